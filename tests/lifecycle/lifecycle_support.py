"""Helpers for the lifecycle tests: a published trunk, admin changes pushed to it, commits read back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from testing.cli import Result, run_cli
from testing.requests import request_data, write_yaml
from testing.trunks import git

from vending.trunk.state import shard_of

DEV = "@example/platform-dev"
PROD = "@example/platform-prod"
DATA = Path(__file__).resolve().parent / "data"
ADMIN = ("-c", "user.name=admin", "-c", "user.email=admin@example.com")


def tip(remote: Path) -> str:
    return git(remote, "rev-parse", "refs/heads/main").strip()


def show(remote: Path, path: str) -> str:
    return git(remote, "show", f"main:{path}")


def exists(remote: Path, path: str) -> bool:
    return bool(git(remote, "ls-tree", "--name-only", "main", path).strip())


def trailers(remote: Path, rev: str = "main") -> dict[str, str]:
    text = git(remote, "log", "-1", "--format=%(trailers:only,unfold)", rev)
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def tombstone(remote: Path, name: str, environment: str = "dev") -> dict[str, Any]:
    path = f"subscriptions/{environment}/_decommissioned/{shard_of(name)}/{name}.json"
    data: dict[str, Any] = json.loads(show(remote, path))
    return data


def push_change(remote: Path, work: Path, files: dict[str, str | None], subject: str) -> str:
    """Commit ``files`` to the remote as an admin would, outside vending; the new tip."""
    if not work.exists():
        git(remote.parent, "clone", "--quiet", str(remote), str(work))
    git(work, "pull", "--quiet", "origin", "main")
    for rel, text in files.items():
        if text is None:
            git(work, "rm", "--quiet", "-r", rel)
            continue
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(text, encoding="utf-8")
        git(work, "add", rel)
    git(work, *ADMIN, "commit", "--quiet", "-m", subject)
    git(work, "push", "--quiet", "origin", "HEAD:main")
    return tip(remote)


def edit_config(remote: Path, work: Path, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` in the remote's vending.yaml, as an admin commit."""
    text = show(remote, "vending.yaml")
    assert old in text, old
    return push_change(remote, work, {"vending.yaml": text.replace(old, new)}, "Change vending.yaml")


def vend(remote: Path, folder: Path, name: str, environment: str = "dev", **fields: Any) -> Path:
    """Submit one request as its environment's pipeline would; the request file."""
    path = folder / f"{name}.yaml"
    write_yaml(path, request_data(name, environment, **fields))
    identity = DEV if environment == "dev" else PROD
    done = run_cli("submit", path, "--trunk", remote, "--as", identity, "--skip-azure-checks")
    assert done.code == 0, done.stderr
    return path


def decommission(remote: Path, name: str, *extra: str, identity: str = DEV) -> Result:
    return run_cli("decommission", name, "--trunk", remote, "--as", identity, "--confirm", name, *extra)


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, dirs_exist_ok=True)

"""Helpers for the trunk tests: reading a bare remote back, generated requests, submit's arguments.

The CLI runner, ``make_trunk`` and the request builder live in the ``testing`` toolkit.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from testing.cli import run_cli
from testing.requests import DROP, request_data, write_yaml
from testing.trunks import git

from vending.trunk.state import shard_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "requests"
DEV = "@example/platform-dev"
PROD = "@example/platform-prod"
ADMINS = "@example/platform-admins"
GENERATED = {"displayName": "Generated subscription", "name": DROP}
BASE: dict[str, Any] = request_data(**GENERATED)
"""A valid dev request without a name."""

vend = run_cli
"""``vending ARGS`` in-process as a user runs it (the trunk tests' name for ``testing.cli.run_cli``)."""


def tip(remote: Path, branch: str = "main") -> str:
    return git(remote, "rev-parse", f"refs/heads/{branch}").strip()


def commits(remote: Path) -> list[str]:
    """Commit ids of the remote's main branch, oldest first."""
    return git(remote, "rev-list", "--reverse", "refs/heads/main").split()


def message(remote: Path, commit: str) -> str:
    return git(remote, "log", "-1", "--format=%B", commit)


def trailers(remote: Path, commit: str) -> list[tuple[str, str]]:
    """The commit's trailers as ``git interpret-trailers --parse`` reads them, in order."""
    parsed = subprocess.run(
        ["git", "interpret-trailers", "--parse"],
        input=message(remote, commit),
        capture_output=True,
        text=True,
        check=True,
        cwd=remote,
    ).stdout
    pairs = [line.split(": ", 1) for line in parsed.splitlines() if line]
    return [(key, value) for key, value in pairs]


def trailer_map(remote: Path, commit: str) -> dict[str, str]:
    return dict(trailers(remote, commit))


def changed_files(remote: Path, commit: str) -> list[str]:
    return sorted(git(remote, "diff-tree", "--no-commit-id", "--name-only", "-r", commit).split())


def show(remote: Path, path: str, rev: str = "main") -> str:
    return git(remote, "show", f"{rev}:{path}")


def exists(remote: Path, path: str, rev: str = "main") -> bool:
    probe = subprocess.run(["git", "cat-file", "-e", f"{rev}:{path}"], cwd=remote, capture_output=True, check=False)
    return probe.returncode == 0


def facts_json(remote: Path, name: str, environment: str = "dev", rev: str = "main") -> dict[str, Any]:
    """A subscription's recorded facts, ``<env>/<name>/facts.json``."""
    data: dict[str, Any] = json.loads(show(remote, f"subscriptions/{environment}/{name}/facts.json", rev))
    return data


def tombstone_json(remote: Path, name: str, environment: str = "dev", rev: str = "main") -> dict[str, Any]:
    """A decommissioned name's tombstone, ``<env>/_decommissioned/<hh>/<name>.json``."""
    path = f"subscriptions/{environment}/_decommissioned/{shard_of(name)}/{name}.json"
    data: dict[str, Any] = json.loads(show(remote, path, rev))
    return data


def shard_path(name: str, environment: str = "dev") -> str:
    """The shard kustomization that lists the subscription."""
    return f"subscriptions/{environment}/_shards/{shard_of(name)}/kustomization.yaml"


def listed(remote: Path, name: str, environment: str = "dev", rev: str = "main") -> bool:
    """Whether the environment's kustomization reaches the subscription (through its shard)."""
    return f"- ../../{name}\n" in show(remote, shard_path(name, environment), rev)


def checkout(remote: Path, target: Path, rev: str | None = None) -> Path:
    """A working tree of the remote (at ``rev`` when given)."""
    git(remote.parent, "clone", "--quiet", str(remote), str(target))
    if rev is not None:
        git(target, "checkout", "--quiet", rev)
    return target


def push_admin_change(remote: Path, work: Path, files: dict[str, str | None], subject: str) -> str:
    """Commit a change straight to the remote as an admin would (outside vending); returns the new tip."""
    tree = checkout(remote, work)
    for rel, text in files.items():
        target = tree / rel
        if text is None:
            git(tree, "rm", "--quiet", rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        git(tree, "add", rel)
    git(tree, "-c", "user.name=admin", "-c", "user.email=admin@example.com", "commit", "--quiet", "-m", subject)
    git(tree, "push", "--quiet", "origin", "HEAD:main")
    return tip(remote)


def trunk_request(name: str, **changes: Any) -> dict[str, Any]:
    """A valid dev request named ``name`` with top-level keys replaced (``None`` removes a key)."""
    dropped = {key: DROP if value is None else value for key, value in changes.items()}
    return request_data(**{**GENERATED, "name": name, **dropped})


def write_request(directory: Path, name: str, **changes: Any) -> Path:
    """A request file ``<directory>/<name>.yaml``."""
    return write_yaml(directory / f"{name}.yaml", trunk_request(name, **changes))


def network(index: int) -> dict[str, Any]:
    """A distinct private /24 for the ``index``-th generated request."""
    return {"addressSpace": [f"10.{100 + index // 256}.{index % 256}.0/24"], "hubPeering": False}


def submit_args(remote: str | Path, *requests: Path, identity: str = DEV) -> list[str | Path]:
    return ["submit", *requests, "--trunk", remote, "--as", identity, "--skip-azure-checks"]

"""Helpers for the request tests: the model alone, real git trunks, the sandbox every CLI test runs in.

The CLI runner and the request builders live in the ``testing`` toolkit.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from testing.cli import Cli, run_cli
from testing.environment import use_temp_dir
from testing.requests import EA_SCOPE, write_request
from testing.trunks import init_trunk

from vending.errors import Finding
from vending.request.load import validate_model
from vending.request.model import Request
from vending.request.yamlio import YamlDocument
from vending.trunk.config import load_config
from vending.trunk.files import write_tree
from vending.trunk.state import Entry, blocks_of, json_text, parse_ranges, paths_of, ranges_text


def write_text(directory: Path, filename: str, text: str | bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / filename
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# ---- the model alone ----------------------------------------------------------------------------------


def check(data: dict[str, Any]) -> tuple[Request | None, list[Finding]]:
    """Validate ``data`` as a request read from ``r.yaml``."""
    return validate_model(Request, YamlDocument("r.yaml", data))


def assert_valid(data: dict[str, Any]) -> Request:
    request, findings = check(data)
    assert findings == []
    assert request is not None
    return request


def assert_rejected(data: dict[str, Any], field: str, *words: str) -> Finding:
    request, findings = check(data)
    assert request is None
    matching = [f for f in findings if f.field == field]
    assert matching, f"no finding for {field!r}: {[f.render() for f in findings]}"
    for word in words:
        assert word in matching[0].message, matching[0].message
    assert all(f.file == "r.yaml" for f in findings)
    return matching[0]


# ---- git trunks ---------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.com", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD")


def is_clean(repo: Path) -> bool:
    return git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return head(repo)


def index_entry(
    workload: str = "DevTest",
    billing_scope: str | None = EA_SCOPE,
    subscription_id: str | None = None,
    address_space: list[str] | None = None,
) -> dict[str, Any]:
    """One live subscription's facts, as ``<env>/<name>/facts.json`` holds them."""
    entry: dict[str, Any] = {"workload": workload}
    if billing_scope is not None:
        entry["billingScope"] = billing_scope
    if subscription_id is not None:
        entry["subscriptionId"] = subscription_id
    if address_space:
        entry["addressSpace"] = address_space
    return entry


def seed_index(
    trunk: Path,
    environment: str,
    subscriptions: dict[str, dict[str, Any]],
    decommissioned: dict[str, dict[str, Any]] | None = None,
) -> str:
    """Record live subscriptions (their facts and network shards) and tombstones in the environment as
    vending lays them out, and commit; returns the new HEAD."""
    config = load_config(trunk)
    paths = paths_of(config, environment)
    files: dict[str, str | None] = {}
    for name, facts in subscriptions.items():
        entry = Entry.from_facts(name, environment, facts)
        files[paths.facts(name)] = entry.facts_text()
        for cidr in entry.address_space:
            for block in blocks_of(cidr):
                path = paths.network(block)
                recorded = parse_ranges(files.get(path) or _read(trunk / path))
                files[path] = ranges_text([*recorded, (cidr, name)])
    for name, tombstone in (decommissioned or {}).items():
        files[paths.tombstone(name)] = json_text(tombstone)
    write_tree(trunk, files)
    return commit_all(trunk, f"seed {environment}")


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def edit_config(trunk: Path, environment: str, **settings: Any) -> str:
    """Change one environment's settings in ``vending.yaml`` and commit."""
    path = trunk / "vending.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["environments"][environment].update(settings)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return commit_all(trunk, f"policy for {environment}")


def tree_files(root: Path) -> set[str]:
    """Every file under ``root`` (relative paths), ``.git`` excluded."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if ".git" not in p.relative_to(root).parts}


# ---- the sandbox every CLI test runs in -----------------------------------------------------------


@dataclass
class Sandbox:
    """A trunk made by ``vending init``, a requests folder, an empty cwd and an empty temp dir."""

    root: Path
    trunk: Path
    requests: Path
    cwd: Path
    tmp: Path
    cli: Cli

    def snapshot(self) -> tuple[str, set[str]]:
        return head(self.trunk), tree_files(self.requests)

    def assert_untouched(self, before: tuple[str, set[str]]) -> None:
        """Nothing committed, nothing written: trunk HEAD and tree, requests, cwd and temp dir."""
        assert head(self.trunk) == before[0], "the trunk got a new commit"
        assert is_clean(self.trunk), git(self.trunk, "status", "--porcelain")
        assert tree_files(self.requests) == before[1]
        assert list(self.cwd.iterdir()) == [], "files were created in the working directory"
        assert list(self.tmp.iterdir()) == [], "files were left in the temp directory"

    def write(self, data: dict[str, Any], filename: str | None = None) -> Path:
        return write_request(self.requests, data, filename)

    def write_text(self, filename: str, text: str | bytes) -> Path:
        return write_text(self.requests, filename, text)


def make_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, org: str = "example") -> Iterator[Sandbox]:
    trunk = init_trunk(tmp_path / "trunk", org=org)
    folders = [tmp_path / name for name in ("requests", "cwd", "tmp")]
    for folder in folders:
        folder.mkdir()
    monkeypatch.chdir(folders[1])
    use_temp_dir(monkeypatch, folders[2])
    yield Sandbox(tmp_path, trunk, folders[0], folders[1], folders[2], run_cli)

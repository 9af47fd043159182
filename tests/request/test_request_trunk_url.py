"""``vending validate --trunk URL``: a trunk read from a remote (any branch), cleaned up after, and the exit
codes when it cannot be read."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from request_support import Sandbox, git, index_entry, seed_index
from testing.cli import Result
from testing.requests import request_data


def validate(sandbox: Sandbox, *paths: Path, trunk: str | Path) -> Result:
    return sandbox.cli("validate", *paths, "--trunk", trunk)


@pytest.fixture
def remote(sandbox: Sandbox) -> Path:
    bare = sandbox.root / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(sandbox.trunk), str(bare)], check=True)
    return bare


def leftovers(sandbox: Sandbox) -> list[Path]:
    return sorted(sandbox.tmp.glob("vending-trunk-*"))


@pytest.mark.parametrize("as_url", [False, True])
def test_trunk_by_url_success_cleans_up(sandbox: Sandbox, remote: Path, as_url: bool) -> None:
    seed_index(sandbox.trunk, "dev", {"taken": index_entry(address_space=["10.1.0.0/16"])})
    git(sandbox.trunk, "push", "-q", str(remote), "main")
    location = remote.as_uri() if as_url else str(remote)
    path = sandbox.write(request_data())
    assert validate(sandbox, path, trunk=location).code == 0
    assert leftovers(sandbox) == []
    clash = sandbox.write(request_data(name="clash", network={"addressSpace": ["10.1.1.0/24"]}))
    result = validate(sandbox, clash, trunk=location)
    assert result.code == 2
    assert "overlaps 10.1.0.0/16 of subscription 'taken'" in result.stderr
    assert leftovers(sandbox) == []


def test_trunk_by_url_other_branch(sandbox: Sandbox, remote: Path) -> None:
    git(sandbox.trunk, "checkout", "-q", "-b", "staging")
    seed_index(sandbox.trunk, "dev", {}, {"app-dev": {}})
    git(sandbox.trunk, "push", "-q", str(remote), "staging")
    path = sandbox.write(request_data())
    assert sandbox.cli("validate", path, "--trunk", remote).code == 0
    result = sandbox.cli("validate", path, "--trunk", remote, "--branch", "staging")
    assert result.code == 2
    assert "decommissioned" in result.stderr
    assert leftovers(sandbox) == []


def test_trunk_by_url_bad_config_cleans_up(sandbox: Sandbox, remote: Path) -> None:
    config = sandbox.trunk / "vending.yaml"
    config.write_text(config.read_text() + "extra: 1\n", encoding="utf-8")
    git(sandbox.trunk, "commit", "-qam", "break config")
    git(sandbox.trunk, "push", "-q", str(remote), "main")
    result = validate(sandbox, sandbox.write(request_data()), trunk=remote.as_uri())
    assert result.code == 2
    assert "vending.yaml:" in result.stderr and "extra: unknown key 'extra'" in result.stderr
    assert leftovers(sandbox) == []


def test_trunk_by_url_internal_error_cleans_up(sandbox: Sandbox, remote: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("vending.trunk.state.read_state", broken)
    result = validate(sandbox, sandbox.write(request_data()), trunk=remote)
    assert result.code == 1
    assert "internal error: RuntimeError: boom" in result.stderr
    assert leftovers(sandbox) == []


@pytest.mark.parametrize("location", ["missing.git", "file:///nonexistent/trunk.git", "https://127.0.0.1:9/t.git"])
def test_unreachable_trunk_exit_5(sandbox: Sandbox, location: str) -> None:
    if location == "missing.git":
        location = str(sandbox.root / location)
    before = sandbox.snapshot()
    path = sandbox.write(request_data())
    result = validate(sandbox, path, trunk=location)
    assert result.code == 5, result
    assert f"{location}: cannot clone branch 'main': fatal:" in result.stderr
    assert "Traceback" not in result.stderr
    assert leftovers(sandbox) == []
    sandbox.assert_untouched((before[0], before[1] | {"app-dev.yaml"}))


def test_missing_branch_exit_5(sandbox: Sandbox, remote: Path) -> None:
    result = sandbox.cli("validate", sandbox.write(request_data()), "--trunk", remote, "--branch", "nope")
    assert result.code == 5
    assert "cannot clone branch 'nope'" in result.stderr
    assert leftovers(sandbox) == []


def test_directory_without_config_is_not_a_trunk(sandbox: Sandbox) -> None:
    empty = sandbox.root / "empty"
    empty.mkdir()
    result = validate(sandbox, sandbox.write(request_data()), trunk=empty)
    assert result.code == 2
    assert "has no vending.yaml" in result.stderr
    assert leftovers(sandbox) == []


def test_unreachable_trunk_json(sandbox: Sandbox) -> None:
    location = str(sandbox.root / "missing.git")
    result = sandbox.cli("--output", "json", "validate", sandbox.write(request_data()), "--trunk", location)
    assert result.code == 5
    document = result.json()
    assert document["error"] == f"cannot read trunk {location}"
    assert document["findings"][0]["file"] == location

"""The review binding: ``vending diff`` prints a hash, ``vending submit --expect-diff`` lands only what was
reviewed. A commit that touches the same subscription since review refuses the submit (exit 2, nothing
committed); a commit elsewhere on the trunk does not."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from testing.cli import Result, run_cli
from testing.requests import request_data, write_yaml
from testing.trunks import make_trunk

DEV = "@example/platform-dev"


def tip(remote: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "main"], cwd=remote, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def request(directory: Path, name: str, **changes: Any) -> Path:
    return write_yaml(directory / f"{name}.yaml", request_data(name, **changes))


def submit(remote: Path, *paths: Path, expect: str | None = None) -> Result:
    extra = ("--expect-diff", expect) if expect else ()
    return run_cli("submit", *paths, "--trunk", remote, "--as", DEV, "--skip-azure-checks", "--output", "json", *extra)


def binding(remote: Path, *paths: Path) -> str:
    result = run_cli("diff", *paths, "--trunk", remote, "--output", "json")
    assert result.code == 0, result.stdout
    value: str = result.json()["hash"]
    return value


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return make_trunk(tmp_path)


@pytest.fixture
def vended(remote: Path, tmp_path: Path) -> Path:
    assert submit(remote, request(tmp_path / "base", "team-a", tags={"cost": "1"})).code == 0
    return remote


def test_an_unchanged_trunk_lands_the_reviewed_change(vended: Path, tmp_path: Path) -> None:
    edited = request(tmp_path, "team-a", tags={"cost": "2"})
    result = submit(vended, edited, expect=binding(vended, edited))
    assert result.code == 0, result.stdout
    assert result.json()["results"][0]["status"] == "committed"


def test_a_commit_to_the_same_subscription_since_review_refuses_and_commits_nothing(
    vended: Path, tmp_path: Path
) -> None:
    edited = request(tmp_path, "team-a", tags={"cost": "2"})
    reviewed = binding(vended, edited)
    assert submit(vended, request(tmp_path / "other", "team-a", tags={"cost": "3"})).code == 0
    head = tip(vended)
    result = submit(vended, edited, expect=reviewed)
    assert result.code == 2
    (outcome,) = result.json()["results"]
    assert outcome["status"] == "rejected" and outcome["commit"] is None
    assert outcome["errors"][0]["field"] == "--expect-diff"
    assert "changed since review" in outcome["errors"][0]["message"]
    assert tip(vended) == head


def test_a_commit_elsewhere_on_the_trunk_keeps_the_binding(vended: Path, tmp_path: Path) -> None:
    edited = request(tmp_path, "team-a", tags={"cost": "2"})
    reviewed = binding(vended, edited)
    assert submit(vended, request(tmp_path, "team-b")).code == 0
    assert binding(vended, edited) == reviewed
    result = submit(vended, edited, expect=reviewed)
    assert result.code == 0, result.stdout
    assert result.json()["results"][0]["status"] == "committed"


def test_a_request_edited_since_review_refuses(vended: Path, tmp_path: Path) -> None:
    edited = request(tmp_path, "team-a", tags={"cost": "2"})
    reviewed = binding(vended, edited)
    request(tmp_path, "team-a", tags={"cost": "9"})
    head = tip(vended)
    assert submit(vended, edited, expect=reviewed).code == 2
    assert tip(vended) == head


def test_the_batch_order_does_not_change_the_binding(remote: Path, tmp_path: Path) -> None:
    first, second = request(tmp_path, "team-a"), request(tmp_path, "team-b")
    assert binding(remote, first, second) == binding(remote, second, first)
    result = submit(remote, second, first, expect=binding(remote, first, second))
    assert result.code == 0 and [r["status"] for r in result.json()["results"]] == ["committed", "committed"]


def test_a_malformed_binding_is_a_usage_error(vended: Path, tmp_path: Path) -> None:
    head = tip(vended)
    result = submit(vended, request(tmp_path, "team-a"), expect="sha256:abc")
    assert result.code == 2
    assert "--expect-diff" in result.stdout and "diff-sha256:" in result.stdout
    assert tip(vended) == head

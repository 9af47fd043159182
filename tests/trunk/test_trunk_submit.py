"""``vending submit`` against a real bare remote: create, idempotency, update in place, immutable fields,
batches, ``--dry-run`` and the JSON report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from testing.requests import OTHER_EA_SCOPE
from trunk_support import (
    DEV,
    EXAMPLES,
    changed_files,
    commits,
    exists,
    facts_json,
    listed,
    shard_path,
    show,
    submit_args,
    tip,
    vend,
    write_request,
)


def _submit_json(remote: Path, *requests: Path, identity: str = DEV) -> tuple[int, dict[str, Any]]:
    run = vend("--output", "json", *submit_args(remote, *requests, identity=identity))
    document: dict[str, Any] = run.json()
    return run.code, document


def test_first_submit_vends_one_commit_per_request(remote: Path, requests_dir: Path) -> None:
    first, second = write_request(requests_dir, "team-a"), write_request(requests_dir, "team-b")
    before = commits(remote)
    code, document = _submit_json(remote, first, second)
    assert code == 0
    assert [r["status"] for r in document["results"]] == ["committed", "committed"]
    after = commits(remote)
    assert after[: len(before)] == before and len(after) == len(before) + 2
    assert [r["commit"] for r in document["results"]] == after[-2:]
    for name in ("team-a", "team-b"):
        for file in ("request.yaml", "main.tf", "terraform.yaml"):
            assert exists(remote, f"subscriptions/dev/{name}/{file}")
        assert listed(remote, name)
        assert facts_json(remote, name)["deletionPolicy"] == "cancel"
    assert vend("check", "--trunk", remote).code == 0


def test_resubmitting_unchanged_commits_nothing(remote: Path, requests_dir: Path) -> None:
    request = write_request(requests_dir, "team-a")
    assert vend(*submit_args(remote, request)).code == 0
    head = tip(remote)
    code, document = _submit_json(remote, request)
    assert code == 0
    assert document["results"][0]["status"] == "unchanged"
    assert document["results"][0]["commit"] is None
    assert document["results"][0]["errors"] == []
    assert tip(remote) == head


def test_examples_resubmitted_are_unchanged(remote: Path) -> None:
    examples = sorted(EXAMPLES.glob("*.yaml"))
    dev = [path for path in examples if "prod" not in path.name]
    assert vend(*submit_args(remote, *dev)).code == 0
    head = tip(remote)
    text = vend(*submit_args(remote, *dev))
    assert text.code == 0
    assert text.stdout.count("unchanged") == len(dev)
    assert tip(remote) == head


def test_update_in_place_touches_only_that_subscription(remote: Path, requests_dir: Path) -> None:
    write_request(requests_dir, "team-b")
    assert vend(*submit_args(remote, write_request(requests_dir, "team-a"), requests_dir / "team-b.yaml")).code == 0
    head = tip(remote)
    changed = write_request(requests_dir, "team-a", displayName="Team A renamed", tags={"costCenter": "42"})
    code, document = _submit_json(remote, changed, requests_dir / "team-b.yaml")
    assert code == 0
    assert [r["status"] for r in document["results"]] == ["committed", "unchanged"]
    new = commits(remote)
    assert new[-2] == head and new[-1] == document["results"][0]["commit"]
    files = changed_files(remote, new[-1])
    assert files and all(path.startswith("subscriptions/dev/team-a/") for path in files)
    assert "Team A renamed" in show(remote, "subscriptions/dev/team-a/request.yaml")
    assert "costCenter" in show(remote, "subscriptions/dev/team-a/main.tf")
    assert vend("check", "--trunk", remote).code == 0


@pytest.mark.parametrize(("key", "value"), [("billingScope", OTHER_EA_SCOPE), ("workload", "Production")])
def test_immutable_field_change_is_rejected(remote: Path, requests_dir: Path, key: str, value: str) -> None:
    assert vend(*submit_args(remote, write_request(requests_dir, "team-a"))).code == 0
    head = tip(remote)
    changed = write_request(requests_dir, "team-a", displayName="Other", **{key: value})
    code, document = _submit_json(remote, changed)
    assert code == 2
    result = document["results"][0]
    assert result["status"] == "rejected" and result["commit"] is None
    assert any(error["field"] == key and "immutable" in error["message"] for error in result["errors"])
    assert tip(remote) == head


def test_one_bad_request_does_not_block_the_batch(remote: Path, requests_dir: Path) -> None:
    good = write_request(requests_dir, "team-good")
    bad = write_request(requests_dir, "team-bad", location="Not A Region")
    code, document = _submit_json(remote, bad, good)
    assert code == 2
    bad_result, good_result = document["results"]
    assert bad_result["status"] == "rejected" and bad_result["commit"] is None
    assert any(error["field"] == "location" for error in bad_result["errors"])
    assert good_result["status"] == "committed" and good_result["commit"] == tip(remote)
    assert not exists(remote, "subscriptions/dev/team-bad/request.yaml")


def test_overlapping_network_with_trunk_is_rejected(remote: Path, requests_dir: Path) -> None:
    net = {"addressSpace": ["10.50.0.0/16"], "hubPeering": False}
    assert vend(*submit_args(remote, write_request(requests_dir, "team-a", network=net))).code == 0
    head = tip(remote)
    overlap = {"addressSpace": ["10.50.4.0/24"], "hubPeering": False}
    code, document = _submit_json(remote, write_request(requests_dir, "team-b", network=overlap))
    assert code == 2
    assert "overlaps 10.50.0.0/16" in document["results"][0]["errors"][0]["message"]
    assert tip(remote) == head


def test_json_report_shape(remote: Path, requests_dir: Path) -> None:
    code, document = _submit_json(
        remote, write_request(requests_dir, "team-a"), write_request(requests_dir, "Bad_Name")
    )
    assert code == 2
    assert isinstance(document["results"], list) and len(document["results"]) == 2
    for result in document["results"]:
        assert {"name", "environment", "status", "commit", "errors"} <= set(result)
        assert result["status"] in ("committed", "unchanged", "rejected")
        assert result["commit"] is None or (isinstance(result["commit"], str) and len(result["commit"]) == 40)
        for error in result["errors"]:
            assert isinstance(error["field"], str) and isinstance(error["message"], str)
    assert document["results"][0] == {
        **document["results"][0],
        "name": "team-a",
        "environment": "dev",
        "status": "committed",
        "errors": [],
    }
    assert document["results"][1]["status"] == "rejected"
    assert any(error["field"] == "name" for error in document["results"][1]["errors"])


def test_dry_run_prints_the_diff_and_pushes_nothing(remote: Path, requests_dir: Path) -> None:
    head = tip(remote)
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")), "--dry-run")
    assert run.code == 0
    assert "diff --git a/subscriptions/dev/team-a/request.yaml" in run.stdout
    assert "+name: team-a" in run.stdout
    assert "subscriptions/dev/team-a/facts.json" in run.stdout
    assert shard_path("team-a") in run.stdout
    assert tip(remote) == head
    assert commits(remote) == [head]


def test_dry_run_json_carries_the_diff(remote: Path, requests_dir: Path) -> None:
    head = tip(remote)
    run = vend("--output", "json", *submit_args(remote, write_request(requests_dir, "team-a")), "--dry-run")
    assert run.code == 0
    document = run.json()
    assert "diff --git" in document["diff"]
    assert document["results"][0]["commit"] is None
    assert tip(remote) == head

"""``vending show NAME``: one subscription's request, history with trailers, and last recorded status."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from listing_support import DEV, SUBSCRIPTION_ID, build_fleet, schema
from testing.cli import run_cli
from testing.trunks import git

TRAILER_KEYS = [
    "Vending-Request",
    "Vending-Interface",
    "Requested-By",
    "Vending-Identity",
    "Azure-Checks",
    "Vending-Render-Hash",
]


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fleet(tmp_path_factory.mktemp("fleet"))


@pytest.fixture(scope="module")
def remote(fleet: Path) -> Path:
    bare = fleet.parent / "remote.git"
    git(fleet.parent, "clone", "--quiet", "--bare", str(fleet), str(bare))
    return bare


def shown(name: str, trunk: str | Path) -> dict[str, Any]:
    result = run_cli("show", name, "--trunk", trunk, "--output", "json")
    assert result.code == 0, result.stderr
    document: dict[str, Any] = result.json()
    Draft202012Validator(schema("show.schema.json")).validate(document)
    return document


def trailers(commit: dict[str, Any]) -> dict[str, str]:
    return {item["key"]: item["value"] for item in commit["trailers"]}


@pytest.mark.parametrize("where", ["working tree", "bare path", "file URL"])
def test_show_a_live_subscription(fleet: Path, remote: Path, where: str) -> None:
    trunk = {"working tree": str(fleet), "bare path": str(remote), "file URL": f"file://{remote}"}[where]
    document = shown("app-dev", trunk)
    assert (document["state"], document["environment"], document["deletion"]) == ("live", "dev", "cancel")
    assert document["request"]["name"] == "app-dev"
    assert document["request"]["workload"] == "DevTest"
    assert document["tombstone"] is None
    assert document["status"]["state"] == "ready"
    assert document["subscriptionId"] == SUBSCRIPTION_ID
    status_commit, vend_commit = document["history"]
    assert status_commit["subject"] == "status: recorded"
    assert vend_commit["subject"] == "Vend app-dev in dev"
    assert [item["key"] for item in vend_commit["trailers"]] == TRAILER_KEYS
    assert trailers(vend_commit)["Requested-By"] == "alice@contoso.com"
    assert trailers(vend_commit)["Vending-Identity"] == DEV
    assert vend_commit["commit"] == git(fleet, "log", "-1", "--format=%H", "--", "subscriptions/dev/app-dev").strip()


def test_show_a_decommissioned_name_has_its_tombstone_and_whole_history(fleet: Path, remote: Path) -> None:
    document = shown("platform-management", f"file://{remote}")
    assert document["state"] == "decommissioned" and document["request"] is None
    assert document["tombstone"]["requestedBy"] == "bob@contoso.com"
    assert document["subscriptionId"] == "00000000-0000-0000-0000-0000000000aa"
    assert [commit["subject"] for commit in document["history"]] == [
        "Decommission platform-management from dev",
        "Vend platform-management in dev",
    ]
    assert trailers(document["history"][0])["Requested-By"] == "bob@contoso.com"


def test_show_history_leaves_out_other_subscriptions(fleet: Path) -> None:
    document = shown("payments-prod", fleet)
    assert [trailers(commit)["Vending-Request"] for commit in document["history"]] == ["payments-prod"]
    assert document["status"] is None and document["subscriptionId"] is None


def test_show_text(fleet: Path) -> None:
    result = run_cli("show", "app-dev", "--trunk", fleet)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("app-dev (dev, live): App team (dev)\n")
    assert f"subscription id: {SUBSCRIPTION_ID}" in result.stdout
    assert "last status:     ready since 2026-01-02T03:04:05Z" in result.stdout
    assert "      Requested-By: alice@contoso.com" in result.stdout
    assert "history (2 commit(s), newest first):" in result.stdout


def test_an_unknown_name_suggests_the_closest(fleet: Path) -> None:
    result = run_cli("show", "app-de", "--trunk", fleet)
    assert result.code == 2
    assert "no subscription named 'app-de'" in result.stderr and "did you mean 'app-dev'?" in result.stderr
    as_json = run_cli("show", "nothing-like-it", "--trunk", fleet, "--output", "json")
    assert as_json.code == 2
    Draft202012Validator(schema("error.schema.json")).validate(as_json.json())
    assert "did you mean" not in as_json.json()["findings"][0]["message"]


def test_an_unreachable_trunk_exits_5(tmp_path: Path) -> None:
    result = run_cli("show", "app-dev", "--trunk", f"file://{tmp_path}/missing.git", "--output", "json")
    assert result.code == 5

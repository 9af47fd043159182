"""``vending list``: the subscriptions and decommissioned names of a trunk, as a user or a CI host reads them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from listing_support import SUBSCRIPTION_ID, build_fleet, schema
from testing.cli import run_cli
from testing.requests import request_data, write_request
from testing.trunks import git, init_trunk

from vending.trunk.records import record_path


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fleet(tmp_path_factory.mktemp("fleet"))


@pytest.fixture(scope="module")
def remote(fleet: Path) -> Path:
    bare = fleet.parent / "remote.git"
    git(fleet.parent, "clone", "--quiet", "--bare", str(fleet), str(bare))
    return bare


def listed(*args: str | Path) -> dict[str, Any]:
    result = run_cli("list", *args, "--output", "json")
    assert result.code == 0, result.stderr
    document: dict[str, Any] = result.json()
    Draft202012Validator(schema("list.schema.json")).validate(document)
    return document


def by_name(document: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in document[key]}


@pytest.mark.parametrize("where", ["working tree", "bare path", "file URL"])
def test_list_shows_live_and_decommissioned_with_ids(fleet: Path, remote: Path, where: str) -> None:
    trunk = {"working tree": str(fleet), "bare path": str(remote), "file URL": f"file://{remote}"}[where]
    document = listed("--trunk", trunk)
    live = by_name(document, "subscriptions")
    assert sorted(live) == ["app-dev", "payments-prod"]
    assert live["app-dev"] == {
        "name": "app-dev",
        "environment": "dev",
        "displayName": "App team (dev)",
        "managementGroup": "mg-corp-dev",
        "subscriptionId": SUBSCRIPTION_ID,
        "deletion": "cancel",
        "state": "ready",
        "adopted": False,
    }
    assert live["payments-prod"]["subscriptionId"] is None
    assert live["payments-prod"]["deletion"] == "retain"
    (gone,) = document["decommissioned"]
    assert gone["name"] == "platform-management" and gone["environment"] == "dev"
    assert gone["subscriptionId"] == "00000000-0000-0000-0000-0000000000aa"
    assert gone["date"].startswith("20")


def test_list_of_one_environment(fleet: Path) -> None:
    document = listed("--trunk", fleet, "--environment", "prod")
    assert [item["name"] for item in document["subscriptions"]] == ["payments-prod"]
    assert document["decommissioned"] == []


def test_an_unknown_environment_names_the_known_ones(fleet: Path) -> None:
    result = run_cli("list", "--trunk", fleet, "--environment", "staging")
    assert result.code == 2
    assert "'staging'" in result.stderr and "dev, prod" in result.stderr
    as_json = run_cli("list", "--trunk", fleet, "--environment", "staging", "--output", "json")
    assert as_json.code == 2
    Draft202012Validator(schema("error.schema.json")).validate(as_json.json())


def test_text_is_a_table_with_counts(fleet: Path) -> None:
    result = run_cli("list", "--trunk", fleet)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["NAME", "ENVIRONMENT"]
    row = next(line for line in lines if line.startswith("app-dev "))
    assert "App team (dev)" in row and SUBSCRIPTION_ID in row and row.rstrip().endswith("cancel")
    assert lines[0].index("DISPLAY NAME") == row.index("App team (dev)")
    assert any(line.startswith("platform-management ") for line in lines)
    assert lines[-1] == "2 subscription(s), 1 decommissioned"


def test_an_empty_trunk_lists_nothing(tmp_path: Path) -> None:
    trunk = init_trunk(tmp_path / "trunk")
    assert listed("--trunk", trunk) == {"subscriptions": [], "decommissioned": []}
    assert run_cli("list", "--trunk", trunk).stdout.splitlines()[-1] == "0 subscription(s), 0 decommissioned"


def test_a_url_reads_only_what_listing_needs(remote: Path) -> None:
    """From a URL, only the requests, facts, tombstones, records and vending.yaml are fetched, never a render."""
    from vending.fleet.listing_files import TipFiles, trunk_files

    with trunk_files(f"file://{remote}", "main") as files:
        assert isinstance(files, TipFiles)
        present = set(files.contents)
    assert "subscriptions/dev/app-dev/request.yaml" in present
    assert "subscriptions/dev/app-dev/facts.json" in present
    assert record_path("dev", "app-dev") in present
    assert not [path for path in present if path.endswith((".tf", "terraform.yaml", "kustomization.yaml"))]


def test_an_unreadable_trunk_exits_5(tmp_path: Path) -> None:
    result = run_cli("list", "--trunk", f"file://{tmp_path}/missing.git", "--output", "json")
    assert result.code == 5
    Draft202012Validator(schema("error.schema.json")).validate(result.json())


def test_a_request_written_by_hand_without_facts_is_listed_as_retain(tmp_path: Path) -> None:
    trunk = init_trunk(tmp_path / "trunk")
    folder = trunk / "subscriptions" / "dev" / "by-hand"
    write_request(folder, request_data("by-hand", displayName="By hand"), "request.yaml")
    (item,) = listed("--trunk", trunk)["subscriptions"]
    assert (item["name"], item["displayName"], item["deletion"], item["subscriptionId"]) == (
        "by-hand",
        "By hand",
        "retain",
        None,
    )


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("displayName: Plain words (dev)", "Plain words (dev)"),
        ("displayName: 'yes'", "yes"),
        ('displayName: "Team: A # 1"', "Team: A # 1"),
        ("displayName: Team # a comment", "Team"),
        ("displayName: &anchor Anchored", "Anchored"),
    ],
)
def test_list_reads_display_names_as_yaml_does(tmp_path: Path, written: str, shown: str) -> None:
    trunk = init_trunk(tmp_path / "trunk")
    folder = trunk / "subscriptions" / "dev" / "by-hand"
    folder.mkdir(parents=True)
    text = f"name: by-hand\n{written}\nmanagementGroup: mg-corp-dev\nowners:\n- principalId: x\n"
    (folder / "request.yaml").write_text(text, encoding="utf-8")
    (item,) = listed("--trunk", trunk)["subscriptions"]
    assert item["displayName"] == shown


def test_an_adopted_subscription_is_listed_as_adopted(tmp_path: Path) -> None:
    trunk = init_trunk(tmp_path / "trunk")
    adopted = request_data("adopted-app", billingScope=None, subscriptionId="00000000-0000-0000-0000-0000000000cc")
    adopted.pop("billingScope")
    request = write_request(tmp_path / "requests", adopted)
    submitted = run_cli("submit", request, "--trunk", trunk, "--as", "@example/platform-dev", "--skip-azure-checks")
    assert submitted.code == 0, submitted.stderr
    (row,) = listed("--trunk", str(trunk))["subscriptions"]
    assert row["adopted"] is True
    assert row["subscriptionId"] == "00000000-0000-0000-0000-0000000000cc"

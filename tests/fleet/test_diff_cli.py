"""``vending diff`` as a user runs it against a real bare remote: create, update, unchanged and every kind of
refusal, field by field, the JSON validated against the shipped schema, and nothing written or pushed."""

from __future__ import annotations

import json
import subprocess
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from testing.cli import Result, run_cli
from testing.requests import BUDGET, OTHER_EA_SCOPE, request_data, write_yaml
from testing.trunks import make_trunk

DEV = "@example/platform-dev"
PROD = "@example/platform-prod"


def tip(remote: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "main"], cwd=remote, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def request(directory: Path, name: str, **changes: Any) -> Path:
    return write_yaml(directory / f"{name}.yaml", request_data(name, **changes))


def submit(remote: Path, *paths: Path, identity: str = DEV, extra: tuple[str, ...] = ()) -> Result:
    return run_cli("submit", *paths, "--trunk", remote, "--as", identity, "--skip-azure-checks", *extra)


def diff_json(remote: Path, *paths: Path, code: int, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run ``vending diff --output json``, check the exit code and the shipped schema, and that nothing moved."""
    head = tip(remote)
    result = run_cli("diff", *paths, "--trunk", remote, "--output", "json", *extra)
    assert result.code == code, result.stdout + result.stderr
    schema = json.loads((files("vending") / "schemas" / "output" / "diff.schema.json").read_text(encoding="utf-8"))
    document: dict[str, Any] = result.json()
    Draft202012Validator(schema).validate(document)
    assert tip(remote) == head
    return document


def fields(change: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["field"]: item for item in change["fields"]}


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return make_trunk(tmp_path)


@pytest.fixture
def requests_dir(tmp_path: Path) -> Path:
    path = tmp_path / "requests"
    path.mkdir()
    return path


def test_a_new_request_is_a_create_listing_every_key_from_nothing(remote: Path, requests_dir: Path) -> None:
    document = diff_json(remote, request(requests_dir, "team-a"), code=0)
    (change,) = document["changes"]
    assert (change["name"], change["environment"], change["kind"]) == ("team-a", "dev", "create")
    changed = fields(change)
    assert changed["displayName"] == {
        "field": "displayName",
        "from": None,
        "to": "App team (dev)",
        "effect": "in-place",
    }
    assert changed["workload"]["to"] == "DevTest"
    assert "subscriptions/dev/team-a/request.yaml" in change["paths"]
    assert document["counts"] == {"create": 1, "update": 0, "unchanged": 0, "refused": 0}
    assert document["scope"] == "not-judged" and document["identity"] is None
    assert document["trunkCommit"] == tip(remote)
    assert document["hash"].startswith("diff-sha256:")


def test_an_edited_request_is_an_update_of_exactly_the_changed_keys(remote: Path, requests_dir: Path) -> None:
    assert submit(remote, request(requests_dir, "team-a", tags={"cost": "1"})).code == 0
    edited = request(requests_dir, "team-a", tags={"cost": "2"}, budget=BUDGET, displayName="Team A")
    (change,) = diff_json(remote, edited, code=0)["changes"]
    assert change["kind"] == "update"
    assert list(fields(change)) == ["displayName", "tags", "budget"]
    assert fields(change)["tags"] == {"field": "tags", "from": {"cost": "1"}, "to": {"cost": "2"}, "effect": "in-place"}
    assert fields(change)["budget"]["from"] is None and fields(change)["budget"]["to"]["amount"] == 100


def test_a_request_as_the_trunk_holds_it_is_unchanged(remote: Path, requests_dir: Path) -> None:
    path = request(requests_dir, "team-a")
    assert submit(remote, path).code == 0
    (change,) = diff_json(remote, path, code=0)["changes"]
    assert (change["kind"], change["fields"], change["paths"]) == ("unchanged", [], [])


def test_an_immutable_field_is_refused_with_its_reason(remote: Path, requests_dir: Path) -> None:
    assert submit(remote, request(requests_dir, "team-a")).code == 0
    edited = request(requests_dir, "team-a", billingScope=OTHER_EA_SCOPE, tags={"cost": "2"})
    (change,) = diff_json(remote, edited, code=2)["changes"]
    assert change["kind"] == "refused"
    scope = fields(change)["billingScope"]
    assert scope["effect"] == "refused" and "immutable" in scope["reason"]
    assert fields(change)["tags"]["effect"] == "in-place"


def test_a_name_taken_in_another_environment_is_refused(remote: Path, requests_dir: Path) -> None:
    assert submit(remote, request(requests_dir, "team-a")).code == 0
    elsewhere = request(requests_dir, "team-a", environment="prod", managementGroup="mg-corp-prod", budget=BUDGET)
    (change,) = diff_json(remote, elsewhere, code=2)["changes"]
    assert change["kind"] == "refused"
    assert fields(change)["environment"]["effect"] == "refused"
    assert "'dev'" in fields(change)["environment"]["reason"]


def test_a_policy_problem_is_a_request_error(remote: Path, requests_dir: Path) -> None:
    prod = request(requests_dir, "team-p", environment="prod", managementGroup="mg-corp-prod")
    (change,) = diff_json(remote, prod, code=2)["changes"]
    assert change["kind"] == "refused"
    assert [(e["field"], "requires a budget" in e["message"]) for e in change["errors"]] == [("budget", True)]


def test_a_decommissioned_name_is_refused(remote: Path, requests_dir: Path) -> None:
    path = request(requests_dir, "team-a")
    assert submit(remote, path).code == 0
    gone = run_cli(
        "decommission",
        "team-a",
        "--trunk",
        remote,
        "--as",
        DEV,
        "--confirm",
        "team-a",
        "--requested-by",
        "b@contoso.com",
    )
    assert gone.code == 0, gone.stderr
    (change,) = diff_json(remote, path, code=2)["changes"]
    assert change["kind"] == "refused"
    assert fields(change)["name"]["effect"] == "refused" and "decommissioned" in fields(change)["name"]["reason"]


def test_scope_is_judged_only_with_an_identity(remote: Path, requests_dir: Path) -> None:
    path = request(requests_dir, "team-a")
    document = diff_json(remote, path, code=4, extra=("--as", PROD))
    (change,) = document["changes"]
    assert change["kind"] == "refused" and document["scope"] == "judged" and document["identity"] == PROD
    assert any("does not own subscriptions/dev/team-a" in e["message"] for e in change["errors"])
    assert all(item["effect"] == "refused" for item in change["fields"])
    assert diff_json(remote, path, code=0, extra=("--as", DEV))["changes"][0]["kind"] == "create"


def test_a_file_that_does_not_load_is_refused_naming_file_and_field(remote: Path, requests_dir: Path) -> None:
    broken = write_yaml(requests_dir / "broken.yaml", request_data("team-b", location="West Europe"))
    good = request(requests_dir, "team-a")
    document = diff_json(remote, good, broken, code=2)
    assert [c["kind"] for c in document["changes"]] == ["create", "refused"]
    refused = document["changes"][1]
    assert refused["file"] == str(broken) and refused["fields"] == []
    assert [e["field"] for e in refused["errors"]] == ["location"]


def test_text_output_lists_each_request_and_the_binding(remote: Path, requests_dir: Path) -> None:
    assert submit(remote, request(requests_dir, "team-a")).code == 0
    result = run_cli("diff", request(requests_dir, "team-a", displayName="Renamed"), "--trunk", remote)
    assert result.code == 0, result.stderr
    assert 'displayName: "App team (dev)" -> "Renamed"  (in-place)' in result.stdout
    assert "update" in result.stdout and "path scope not judged" in result.stdout
    assert "review binding: diff-sha256:" in result.stdout


def test_a_working_tree_is_read_in_place_and_left_alone(tmp_path: Path, requests_dir: Path) -> None:
    tree = tmp_path / "tree"
    assert run_cli("init", tree).code == 0
    before = sorted(str(p.relative_to(tree)) for p in tree.rglob("*") if ".git" not in p.parts)
    result = run_cli("diff", request(requests_dir, "team-a"), "--trunk", tree, "--output", "json")
    assert result.code == 0 and result.json()["changes"][0]["kind"] == "create"
    assert sorted(str(p.relative_to(tree)) for p in tree.rglob("*") if ".git" not in p.parts) == before

"""``vending status --from FILE``: every state from controller-shaped documents, subscription ids from the
outputs Secret (and no other secret value), broken files refused with exit 2, JSON as its schema says."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from controller_documents import (
    PLAN_ID,
    REVISION,
    T1,
    apply_failed,
    awaiting_approval,
    drifted,
    outputs_secret,
    plan_failed,
    progressing,
    ready,
    stalled,
    terraform,
    write_list,
)
from fleet_support import SUBSCRIPTION, trunk_hash
from jsonschema import Draft202012Validator
from testing.cli import run_cli
from testing.trunks import git


def status_of(remote: Path | str, path: Path) -> dict[str, dict[str, Any]]:
    result = run_cli("status", "--trunk", remote, "--from", path, "--output", "json")
    assert result.code == 0, result.stderr
    document = result.json()
    schema = json.loads((files("vending") / "schemas" / "output" / "status.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(document)
    return {item["name"]: item for item in document["subscriptions"]}


Case = Callable[[str], dict[str, Any]]
CASES: dict[str, tuple[Case, str, str]] = {
    "progressing": (lambda h: terraform("app-dev", progressing(), render_hash=h), "pending", "in progress"),
    "never reconciled": (lambda h: terraform("app-dev", None, render_hash=h), "pending", "not reported"),
    "ready": (lambda h: terraform("app-dev", ready(), render_hash=h, approve="auto"), "ready", "Outputs written"),
    "ready, no annotation": (lambda h: terraform("app-dev", ready(), approve="auto"), "ready", "Outputs written"),
    "ready, older render": (
        lambda h: terraform("app-dev", ready(), render_hash="sha256:0000000000000000"),
        "pending",
        "sha256:0000000000000000",
    ),
    "ready, spec not reconciled": (
        lambda h: _unobserved(terraform("app-dev", ready(), render_hash=h, generation=2)),
        "pending",
        "generation 2",
    ),
    "auto plan being applied": (
        lambda h: terraform("app-dev", awaiting_approval(), render_hash=h, approve="auto"),
        "pending",
        "approved",
    ),
    "plan failed": (lambda h: terraform("app-dev", plan_failed(), render_hash=h), "failed", "Invalid value"),
    "apply failed": (lambda h: terraform("app-dev", apply_failed(), render_hash=h), "failed", "AuthorizationFailed"),
    "retries exhausted": (lambda h: terraform("app-dev", stalled(), render_hash=h), "failed", "maximum number"),
    "drift": (lambda h: terraform("app-dev", drifted(), render_hash=h), "drifted", "update"),
    "deleting": (lambda h: terraform("app-dev", ready(), render_hash=h, deleting=True), "destroying", "deleted"),
}


def _unobserved(document: dict[str, Any]) -> dict[str, Any]:
    document["status"]["observedGeneration"] = 1
    return document


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_state_from_the_controllers_status(fleet_trunk: Path, tmp_path: Path, case: str) -> None:
    build, state, words = CASES[case]
    path = write_list(tmp_path / "tf.json", build(trunk_hash(fleet_trunk, "app-dev")))
    item = status_of(fleet_trunk, path)["app-dev"]
    assert item["state"] == state
    assert words in item["message"]
    assert item["environment"] == "dev"


def test_awaiting_approval_names_the_plan(fleet_trunk: Path, tmp_path: Path) -> None:
    digest = trunk_hash(fleet_trunk, "app-prod", "prod")
    path = write_list(tmp_path / "tf.json", terraform("app-prod", awaiting_approval(), render_hash=digest))
    item = status_of(fleet_trunk, path)["app-prod"]
    assert (item["state"], item["planId"]) == ("awaiting-approval", PLAN_ID)
    assert item["since"] == T1
    text = run_cli("status", "--trunk", fleet_trunk, "--from", path)
    assert f"approve {PLAN_ID}" in text.stdout


def test_no_object_is_pending_and_decommissioned_is_gone(fleet_trunk: Path, tmp_path: Path) -> None:
    statuses = status_of(fleet_trunk, write_list(tmp_path / "tf.json"))
    assert {name: item["state"] for name, item in statuses.items()} == {
        "app-dev": "pending",
        "app-prod": "pending",
        "old-dev": "gone",
    }


def test_a_decommissioned_object_being_deleted_is_destroying(fleet_trunk: Path, tmp_path: Path) -> None:
    path = write_list(tmp_path / "tf.json", terraform("old-dev", ready(), deleting=True))
    assert status_of(fleet_trunk, path)["old-dev"]["state"] == "destroying"


def test_subscription_id_from_the_outputs_secret_and_nothing_else(fleet_trunk: Path, tmp_path: Path) -> None:
    digest = trunk_hash(fleet_trunk, "app-dev")
    secret = outputs_secret("app-dev", SUBSCRIPTION, management_group_id="hidden-output-value-7f3a")
    other = outputs_secret("unrelated", "never-shown-value-9b2c") | {"kind": "Secret"}
    other["metadata"]["name"] = "registry-credentials"
    path = write_list(tmp_path / "tf.json", terraform("app-dev", ready(), render_hash=digest), secret, other)
    item = status_of(fleet_trunk, path)["app-dev"]
    assert (item["subscriptionId"], item["appliedRevision"]) == (SUBSCRIPTION, REVISION)
    for output in ("json", "text"):
        result = run_cli("status", "--trunk", fleet_trunk, "--from", path, "--output", output)
        assert SUBSCRIPTION in result.stdout
        assert "hidden-output-value" not in result.stdout + result.stderr
        assert "never-shown-value" not in result.stdout + result.stderr


def test_text_is_a_table_with_counts(fleet_trunk: Path, tmp_path: Path) -> None:
    digest = trunk_hash(fleet_trunk, "app-dev")
    path = write_list(tmp_path / "tf.json", terraform("app-dev", ready(), render_hash=digest), terraform("stray"))
    result = run_cli("status", "--trunk", fleet_trunk, "--from", path)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["NAME", "ENVIRONMENT", "STATE"]
    assert "3 subscriptions: 1 pending, 1 ready, 1 gone" in result.stdout
    assert "1 Terraform objects match no subscription" in result.stdout


BROKEN: dict[str, tuple[str, str]] = {
    "not json": ("{ not json", "not JSON"),
    "not an object": ("[1, 2]", "not a JSON object"),
    "not a list": ('{"kind": "Terraform", "metadata": {}}', "not a List"),
    "no items": ('{"kind": "List"}', "missing or not a list"),
    "item without kind": ('{"kind": "List", "items": [{"metadata": {"name": "a", "namespace": "b"}}]}', "kind"),
    "item without metadata": ('{"kind": "List", "items": [{"kind": "Terraform"}]}', "items[0].metadata"),
    "item without namespace": (
        '{"kind": "List", "items": [{"kind": "Terraform", "metadata": {"name": "a"}}]}',
        "items[0].metadata.namespace",
    ),
    "conditions not a list": (
        '{"kind": "List", "items": [{"kind": "Terraform", "apiVersion": "infra.contrib.fluxcd.io/v1alpha2", '
        '"metadata": {"name": "a", "namespace": "b"}, "status": {"conditions": 3}}]}',
        "items[0].status.conditions",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_is_refused_with_exit_2(fleet_trunk: Path, tmp_path: Path, case: str) -> None:
    text, words = BROKEN[case]
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    before = git(fleet_trunk, "rev-parse", "main")
    for output in ("text", "json"):
        result = run_cli(
            "status", "--trunk", fleet_trunk, "--from", path, "--record", "--as", "@x/y", "--output", output
        )
        assert result.code == 2
        shown = result.stderr if output == "text" else json.dumps(result.json())
        assert str(path) in shown and words in shown
    assert git(fleet_trunk, "rev-parse", "main") == before


def test_an_oversized_file_is_refused(fleet_trunk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vending.fleet.status_objects.MAX_STATUS_FILE", 64)
    path = write_list(tmp_path / "tf.json", terraform("app-dev", ready()))
    result = run_cli("status", "--trunk", fleet_trunk, "--from", path)
    assert result.code == 2
    assert str(path) in result.stderr and "more than" in result.stderr


def test_state_dir_is_refused_as_not_shipped(fleet_trunk: Path, tmp_path: Path) -> None:
    result = run_cli("status", "--trunk", fleet_trunk, "--state-dir", tmp_path, "--output", "json")
    assert result.code == 2
    assert "'vending reconcile' is not shipped" in result.json()["findings"][0]["message"]


def test_from_is_required(fleet_trunk: Path) -> None:
    result = run_cli("status", "--trunk", fleet_trunk)
    assert result.code == 2
    assert "--from" in result.stderr


def test_a_trunk_by_url_reads_the_same(fleet_trunk: Path, tmp_path: Path) -> None:
    digest = trunk_hash(fleet_trunk, "app-dev")
    path = write_list(tmp_path / "tf.json", terraform("app-dev", ready(), render_hash=digest))
    by_path = status_of(fleet_trunk, path)
    assert status_of(f"file://{fleet_trunk}", path) == by_path
    assert by_path["app-dev"]["state"] == "ready"

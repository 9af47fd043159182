"""``vending approve`` as a prod team's pipeline runs it: the approval commit, its guardrails, and an approval
that never outlives the request it approved."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from approve_support import (
    APPROVAL,
    DEV,
    OBJECT,
    OTHER_PLAN,
    PLAN,
    PROD,
    approval_json,
    approve,
    approve_plan,
    changed_files,
    exists,
    show,
    submit,
    tip,
    trailer_map,
)
from jsonschema import Draft202012Validator
from testing.cli import run_cli
from testing.requests import BUDGET, prod_request, request_data, write_request

SCHEMA = json.loads((files("vending") / "schemas" / "output" / "approve.schema.json").read_text(encoding="utf-8"))


def test_approval_commit_sets_approve_plan_with_its_trailers(vended: Path) -> None:
    before = tip(vended)
    result = approve(vended, PLAN, "--output", "json")
    assert result.code == 0, result.stderr
    document = result.json()
    Draft202012Validator(SCHEMA).validate(document)
    assert document["status"] == "committed" and document["planId"] == PLAN
    assert document["environment"] == "prod" and document["commit"] == tip(vended) != before
    assert changed_files(vended) == [APPROVAL, OBJECT]
    assert approve_plan(vended) == PLAN
    recorded = approval_json(vended)
    assert recorded["planId"] == PLAN and recorded["approvedBy"] == PROD
    assert recorded["requestedBy"] == "carol@contoso.com" and recorded["requestDigest"].startswith("sha256:")
    assert trailer_map(vended) == {
        "Vending-Request": "app-prod",
        "Vending-Identity": PROD,
        "Requested-By": "carol@contoso.com",
        "Vending-Approval": PLAN,
    }


def test_check_accepts_the_approval(vended: Path) -> None:
    assert approve(vended).code == 0
    result = run_cli("check", "--trunk", vended)
    assert result.code == 0, result.stdout + result.stderr


def test_same_plan_again_commits_nothing(vended: Path) -> None:
    assert approve(vended).code == 0
    head = tip(vended)
    result = approve(vended, PLAN, "--output", "json")
    assert result.code == 0, result.stderr
    assert result.json()["status"] == "unchanged" and result.json()["commit"] is None
    assert tip(vended) == head


def test_a_new_plan_id_replaces_the_approval(vended: Path) -> None:
    assert approve(vended).code == 0
    assert approve(vended, OTHER_PLAN).code == 0
    assert approve_plan(vended) == OTHER_PLAN and approval_json(vended)["planId"] == OTHER_PLAN


def test_only_the_environment_owners_may_approve(vended: Path) -> None:
    head = tip(vended)
    result = approve(vended, identity=DEV)
    assert result.code == 4
    assert f"{DEV} does not own {APPROVAL}" in result.stderr and PROD in result.stderr
    assert tip(vended) == head


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        ("plan-v0.1.0-0123", "a prefix of a plan id is refused"),
        ("plan-v0.1.0", "a prefix of a plan id is refused"),
        ("plan-v0.1.0-0123456789abcdef", "expected plan-<ref>-<10 hex digits>"),
        ("plan-v0.1.0-0123456ABC", "expected plan-<ref>-<10 hex digits>"),
        ("v0.1.0-0123456789", "expected plan-<ref>-<10 hex digits>"),
        ("plan-main-0123456789", "the trunk pins the module at 'v0.1.0': expected plan-v0.1.0-<10 hex digits>"),
    ],
)
def test_a_plan_id_that_is_not_the_full_id_is_refused(vended: Path, plan: str, expected: str) -> None:
    head = tip(vended)
    result = approve(vended, plan)
    assert result.code == 2
    assert "--plan" in result.stderr and expected in result.stderr
    assert tip(vended) == head


def test_an_auto_environment_has_nothing_to_approve(vended: Path, tmp_path: Path) -> None:
    assert submit(vended, write_request(tmp_path / "dev", request_data()), identity=DEV).code == 0
    head = tip(vended)
    result = approve(vended, name="app-dev", identity=DEV)
    assert result.code == 2
    assert "approval: auto" in result.stderr and "nothing to approve" in result.stderr
    assert tip(vended) == head


def test_an_unknown_subscription_is_refused(vended: Path) -> None:
    head = tip(vended)
    result = approve(vended, name="no-such-thing")
    assert result.code == 2 and "no subscription named 'no-such-thing'" in result.stderr
    assert tip(vended) == head


def test_an_unreachable_trunk_is_exit_5(tmp_path: Path) -> None:
    result = approve(tmp_path / "missing.git", PLAN, "--output", "json")
    assert result.code == 5
    assert result.json()["exitCode"] == 5


CHANGES: dict[str, dict[str, Any]] = {
    "tags": {"tags": {"costCenter": "4712"}},
    "budget": {"budget": {**BUDGET, "amount": 250}},
    "network": {"network": {"addressSpace": ["10.40.0.0/24"], "hubPeering": False}},
    "displayName": {"displayName": "App team (prod, renamed)"},
    "ticket": {"tags": {"costCenter": "4711"}, "ticket": "CHG-1"},
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_request_clears_the_approval_in_the_same_commit(vended: Path, tmp_path: Path, change: str) -> None:
    assert approve(vended).code == 0
    request = {"tags": {"costCenter": "4711"}, **CHANGES[change]}
    result = submit(vended, write_request(tmp_path / "changed", prod_request(**request)))
    assert result.code == 0, result.stderr
    assert APPROVAL in changed_files(vended) and OBJECT in changed_files(vended)
    assert not exists(vended, APPROVAL)
    assert approve_plan(vended) is None
    assert run_cli("check", "--trunk", vended).code == 0


def test_an_unchanged_resubmit_keeps_the_approval(vended: Path, tmp_path: Path) -> None:
    assert approve(vended).code == 0
    head = tip(vended)
    path = write_request(tmp_path / "again", prod_request(tags={"costCenter": "4711"}))
    result = run_cli("--output", "json", "submit", path, "--trunk", vended, "--as", PROD, "--skip-azure-checks")
    assert result.code == 0 and result.json()["results"][0]["status"] == "unchanged"
    assert tip(vended) == head and approve_plan(vended) == PLAN


def test_a_decommission_removes_the_approval_with_the_subscription(vended: Path) -> None:
    assert approve(vended).code == 0
    args = ["--confirm", "app-prod", "--requested-by", "carol@contoso.com"]
    assert run_cli("decommission", "app-prod", "--trunk", vended, "--as", PROD, *args).code == 0
    assert not exists(vended, APPROVAL) and APPROVAL in changed_files(vended)


def test_show_object_text_names_the_plan(vended: Path) -> None:
    assert approve(vended).code == 0
    assert f"approvePlan: {PLAN}\n" in show(vended, OBJECT)


def test_a_request_changed_while_approving_is_not_approved(
    vended: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vending.approve

    original = vending.approve.plan_approval
    changed = write_request(tmp_path / "meanwhile", prod_request(tags={"costCenter": "9999"}))

    def plan_then_lose_the_race(*args: Any, **kwargs: Any) -> Any:
        planned = original(*args, **kwargs)
        if not hasattr(plan_then_lose_the_race, "raced"):
            plan_then_lose_the_race.raced = True  # type: ignore[attr-defined]
            assert submit(vended, changed).code == 0
        return planned

    monkeypatch.setattr(vending.approve, "plan_approval", plan_then_lose_the_race)
    result = approve(vended)
    assert result.code == 2 and "the request changed in the trunk while approving" in result.stderr
    assert not exists(vended, APPROVAL) and approve_plan(vended) is None


def test_refusals_print_the_error_document(vended: Path) -> None:
    schema = json.loads((files("vending") / "schemas" / "output" / "error.schema.json").read_text(encoding="utf-8"))
    for plan, identity, code in (("plan-v0.1.0-01", PROD, 2), (PLAN, DEV, 4)):
        result = approve(vended, plan, "--output", "json", identity=identity)
        assert result.code == code
        document = result.json()
        Draft202012Validator(schema).validate(document)
        assert document["exitCode"] == code and document["findings"]

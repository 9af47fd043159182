"""A new user's first request files through ``vending validate``: every mistake in one run, misspelt names
caught offline with a "did you mean", and hints for what YAML did to an unquoted value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from testing.cli import Result, run_cli
from testing.requests import BUDGET, GUID_A, GUID_B, request_data, write_request

OWNER_ROLE_ID = "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def validate_refused(tmp_path: Path, path: Path, *extra: str) -> Result:
    """``vending validate`` on ``path``: exit 2 and nothing written anywhere under ``tmp_path``."""
    before = snapshot(tmp_path)
    result = run_cli(*extra, "validate", path)
    assert result.code == 2, result
    assert snapshot(tmp_path) == before
    return result


def write_text(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "app-dev.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_mistake_of_one_file_in_one_run(tmp_path: Path) -> None:
    data = request_data(
        ownerz="x",
        requestedBy="alice-at-contoso",
        budget={**BUDGET, "amount": -5, "thresholds": [80, 80]},
        subscriptionId=GUID_B,
        roleAssignments=[
            {"principalId": GUID_B, "role": "Contributer"},
            {"principalId": GUID_A, "role": "Owner"},
        ],
    )
    path = write_request(tmp_path, data)
    result = validate_refused(tmp_path, path, "--output", "json")
    errors = {(e["field"], e["message"]) for r in result.json()["results"] for e in r["errors"]}
    fields = {field for field, _ in errors}
    assert {
        "ownerz",
        "requestedBy",
        "budget.amount",
        "budget.thresholds",
        "subscriptionId",
        "roleAssignments[0].role",
        "roleAssignments[1]",
    } <= fields, errors


def test_text_output_names_file_line_and_field_of_each_mistake(tmp_path: Path) -> None:
    owner = {"principalId": GUID_A, "principalType": "Group"}
    data = request_data(requestedBy="nobody", owners=[owner, owner], location="West Europe")
    path = write_request(tmp_path, data)
    result = validate_refused(tmp_path, path)
    assert f"{path}:" in result.stderr
    for field in ("requestedBy:", "owners: lists", "location:"):
        assert field in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("role", "meant"),
    [("Contributer", "Contributor"), ("Reeder", "Reader"), ("StorageBlobDataReader", "Storage Blob Data Reader")],
)
def test_misspelt_built_in_role_refused_with_did_you_mean(tmp_path: Path, role: str, meant: str) -> None:
    path = write_request(tmp_path, request_data(roleAssignments=[{"principalId": GUID_B, "role": role}]))
    result = validate_refused(tmp_path, path)
    assert "roleAssignments[0].role:" in result.stderr
    assert f"did you mean {meant!r}?" in result.stderr


@pytest.mark.parametrize("role", ["Contributor", "Storage Table Data Reader", "reader", OWNER_ROLE_ID])
def test_built_in_roles_and_unlisted_names_pass(tmp_path: Path, role: str) -> None:
    path = write_request(tmp_path, request_data(roleAssignments=[{"principalId": GUID_B, "role": role}]))
    result = run_cli("validate", path)
    assert result.code == 0, result.stderr


def test_a_role_name_vending_does_not_know_gets_a_warning(tmp_path: Path) -> None:
    path = write_request(tmp_path, request_data(roleAssignments=[{"principalId": GUID_B, "role": "Quantum Wrangler"}]))
    result = run_cli("validate", path)
    assert result.code == 0, result.stderr
    assert "warning:" in result.stderr
    assert "'Quantum Wrangler' is not a built-in role vending knows" in result.stderr


@pytest.mark.parametrize("role", ["Owner", "owner", OWNER_ROLE_ID, OWNER_ROLE_ID.rsplit("/", 1)[-1]])
def test_owner_assignment_repeating_an_owner_refused(tmp_path: Path, role: str) -> None:
    assignments = [{"principalId": GUID_B, "role": "Reader"}, {"principalId": GUID_A.upper(), "role": role}]
    path = write_request(tmp_path, request_data(roleAssignments=assignments))
    result = validate_refused(tmp_path, path)
    assert "roleAssignments[1]: principal" in result.stderr
    assert "is already an owner" in result.stderr


def test_owner_assignment_for_someone_else_passes(tmp_path: Path) -> None:
    path = write_request(tmp_path, request_data(roleAssignments=[{"principalId": GUID_B, "role": "Owner"}]))
    assert run_cli("validate", path).code == 0


def request_text(**lines: str) -> str:
    data: dict[str, Any] = request_data()
    data.update(lines)
    return "".join(f"{key}: {json.dumps(value)}\n" for key, value in data.items() if key not in lines) + "".join(
        f"{key}: {value}\n" for key, value in lines.items()
    )


def test_unquoted_interface_version_hint(tmp_path: Path) -> None:
    path = write_text(tmp_path, request_text(interfaceVersion="0.1"))
    result = validate_refused(tmp_path, path)
    assert 'interfaceVersion: "0.1.0"' in result.stderr
    assert "quote it" in result.stderr


def test_unquoted_number_where_text_belongs_hint(tmp_path: Path) -> None:
    path = write_text(tmp_path, request_text(ticket="4711"))
    result = validate_refused(tmp_path, path)
    assert 'ticket: "4711"' in result.stderr


def test_tabs_in_indentation_name_the_line(tmp_path: Path) -> None:
    text = request_text().replace("owners: ", "owners:\n\t- principalId: x\nx: ")
    path = write_text(tmp_path, text)
    line = text.splitlines().index("\t- principalId: x") + 1
    result = validate_refused(tmp_path, path)
    assert f"{path}:{line}: invalid YAML: a tab where YAML needs spaces; indent with spaces" in result.stderr
    assert "cannot start any token" not in result.stderr


def test_region_display_name_gets_did_you_mean(tmp_path: Path) -> None:
    path = write_request(tmp_path, request_data(location="West Europe"))
    result = validate_refused(tmp_path, path)
    assert "location: must be an Azure region name" in result.stderr
    assert "did you mean 'westeurope'?" in result.stderr


def test_misspelt_region_warns(tmp_path: Path) -> None:
    path = write_request(tmp_path, request_data(location="westeurop"))
    result = run_cli("validate", path)
    assert result.code == 0
    assert "warning:" in result.stderr
    assert "did you mean 'westeurope'?" in result.stderr


@pytest.mark.parametrize(("given", "meant"), [("group", "Group"), ("serviceprincipal", "ServicePrincipal")])
def test_principal_type_case_gets_did_you_mean(tmp_path: Path, given: str, meant: str) -> None:
    path = write_request(tmp_path, request_data(owners=[{"principalId": GUID_A, "principalType": given}]))
    result = validate_refused(tmp_path, path)
    assert "owners[0].principalType:" in result.stderr
    assert f"did you mean {meant!r}?" in result.stderr


def test_role_list_agrees_with_the_emulator() -> None:
    from vending.emulator.roles import BUILT_IN_ROLES as EMULATED
    from vending.request.azurenames import BUILT_IN_ROLES

    assert {role.name: role.guid for role in EMULATED}.items() <= BUILT_IN_ROLES.items()
    assert len(BUILT_IN_ROLES) >= 40

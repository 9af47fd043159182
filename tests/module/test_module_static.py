"""Static checks of modules/subscription: syntax, format, input contract, README, Terraform 1.6 level."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest
from tooling import require_tool

from module.module_spec import (
    argument_problems,
    blocks,
    load_module_outputs,
    load_module_variables,
    load_tf_files,
    module_dir,
    parse_type,
    unquote,
)

REPO = Path(__file__).resolve().parents[2]
MODULE = module_dir(REPO)

# The inputs the renderer is written against: name -> (type, required).
CONTRACT_INPUTS: dict[str, tuple[str, bool]] = {
    "subscription_alias_name": ("string", True),
    "subscription_display_name": ("string", True),
    "subscription_billing_scope": ("string", False),
    "subscription_id": ("string", False),
    "subscription_workload": ("string", True),
    "management_group_id": ("string", True),
    "location": ("string", True),
    "owners": ("list(object({principal_id = string, principal_type = string}))", True),
    "role_assignments": (
        "list(object({principal_id = string, role = string, principal_type = optional(string)}))",
        False,
    ),
    "tags": ("map(string)", False),
    "budget": (
        "object({amount = number, time_grain = string, thresholds = list(number), contact_emails = list(string)})",
        False,
    ),
    "network": ("object({address_space = list(string), hub_peering = bool})", False),
    "hub_network_resource_id": ("string", False),
    "resource_providers": ("list(string)", False),
    "cancel_on_destroy": ("bool", False),
    "requested_by": ("string", True),
    "ticket": ("string", False),
    "rbac_propagation_wait": ("string", False),
}
CONTRACT_OUTPUTS = {"subscription_id", "subscription_resource_id", "management_group_id"}


@pytest.fixture(scope="module")
def parsed() -> dict[Path, dict[str, Any]]:
    return load_tf_files(MODULE)


@pytest.fixture(scope="module")
def variables() -> dict[str, dict[str, Any]]:
    return load_module_variables(REPO)


def resource(parsed: dict[Path, dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    for content in parsed.values():
        for entry in content.get("resource", []):
            body = entry.get(f'"{kind}"', {}).get(f'"{name}"')
            if body is not None:
                return dict(body)
    raise AssertionError(f"resource {kind}.{name} not found")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_terraform_fmt_is_canonical() -> None:
    terraform = require_tool("terraform")
    result = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", "-no-color", "modules/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"CHECKPOINT_DISABLE": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, f"not canonical: {result.stdout}{result.stderr}"


def test_every_tf_file_under_modules_parses() -> None:
    files = sorted((REPO / "modules").rglob("*.tf"))
    assert files
    for path in files:
        with path.open(encoding="utf-8") as handle:
            assert hcl2.load(handle), f"{path} is empty"


def test_every_variable_has_a_type_and_a_description(variables: dict[str, dict[str, Any]]) -> None:
    for name, spec in variables.items():
        assert spec["type"], f"{name} has no type"
        parse_type(spec["type"])
        assert spec["description"] and len(spec["description"]) > 20, f"{name} has no description"


def test_inputs_match_the_renderer_contract(variables: dict[str, dict[str, Any]]) -> None:
    for name, (expected_type, required) in CONTRACT_INPUTS.items():
        assert name in variables, f"{name} missing"
        assert squash(variables[name]["type"]) == squash(expected_type), name
        assert variables[name]["required"] is required, name
    extras = set(variables) - set(CONTRACT_INPUTS)
    assert all(not variables[name]["required"] for name in extras), f"extra required inputs: {extras}"


def test_outputs_cover_the_contract_and_are_described() -> None:
    outputs = load_module_outputs(REPO)
    assert set(outputs) >= CONTRACT_OUTPUTS
    assert all(spec["description"] for spec in outputs.values())


def readme_table(section: str) -> dict[str, list[str]]:
    text = (MODULE / "README.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in body.splitlines():
        match = re.match(r"^\| `([a-z_]+)` \|(.*)\|$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split(" | ")]
    return rows


def hcl_literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return "[]" if value == [] else "{}" if value == {} else repr(value)


def test_readme_documents_every_input_with_its_type_and_default(variables: dict[str, dict[str, Any]]) -> None:
    rows = readme_table("Inputs")
    assert set(rows) == set(variables)
    for name, spec in variables.items():
        type_cell, default_cell = rows[name][0].strip("`"), rows[name][1].strip("`")
        assert squash(type_cell) == squash(spec["type"]), name
        assert default_cell == ("required" if spec["required"] else hcl_literal(spec["default"])), name


def test_readme_documents_every_output() -> None:
    assert set(readme_table("Outputs")) == set(load_module_outputs(REPO))


def test_no_provider_or_backend_blocks_and_pinned_providers(parsed: dict[Path, dict[str, Any]]) -> None:
    assert all("provider" not in content for content in parsed.values())
    terraform_blocks = [block for content in parsed.values() for block in content.get("terraform", [])]
    assert len(terraform_blocks) == 1
    settings = unquote(terraform_blocks[0])
    assert "backend" not in settings and "cloud" not in settings
    assert settings["required_version"] == ">= 1.6"
    providers = settings["required_providers"][0]
    assert providers["azapi"] == {"source": "Azure/azapi", "version": "~> 2.2"}
    assert providers["time"]["source"] == "hashicorp/time"


def test_no_language_features_newer_than_terraform_1_6(parsed: dict[Path, dict[str, Any]]) -> None:
    for path, content in parsed.items():
        assert not {"removed", "import", "ephemeral", "moved"} & set(content), path
        text = path.read_text(encoding="utf-8")
        assert "provider::" not in text, path
        assert not re.search(r"^\s*ephemeral\s", text, re.MULTILINE), path


def test_validations_reference_only_their_own_variable(parsed: dict[Path, dict[str, Any]]) -> None:
    for name, body in blocks(parsed, "variable").items():
        for rule in body.get("validation", []):
            referenced = set(re.findall(r"\bvar\.([a-z_]+)", str(rule["condition"])))
            assert referenced == {name}, f"{name} validation refers to {referenced}"


def test_locals_file_refers_to_inputs_only() -> None:
    text = (MODULE / "locals.tf").read_text(encoding="utf-8")
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    assert not re.search(r"\b(azapi_\w+|time_\w+|terraform_data|data)\.", code)


def test_alias_is_write_once_and_skipped_when_adopting(parsed: dict[Path, dict[str, Any]]) -> None:
    alias = resource(parsed, "azapi_resource", "alias")
    assert unquote(alias["type"]) == "Microsoft.Subscription/aliases@2021-10-01"
    assert unquote(alias["parent_id"]) == "/"
    assert alias["lifecycle"][0]["ignore_changes"] == ["body"]
    assert "creates_subscription" in alias["count"]


def test_cancel_runs_only_on_destroy_and_only_when_asked(parsed: dict[Path, dict[str, Any]]) -> None:
    cancel = resource(parsed, "azapi_resource_action", "cancel")
    assert cancel["count"] == "${var.cancel_on_destroy ? 1 : 0}"
    assert unquote(cancel["when"]) == "destroy"
    assert unquote(cancel["method"]) == "POST"
    assert unquote(cancel["action"]) == "providers/Microsoft.Subscription/cancel"
    assert "ResourcesExistingOnSubscription" in str(cancel["retry"])
    assert blocks(parsed, "variable")["cancel_on_destroy"]["default"] is False


def test_everything_inside_the_subscription_waits_for_the_pause(parsed: dict[Path, dict[str, Any]]) -> None:
    sleep = resource(parsed, "time_sleep", "after_creation")
    assert sleep["depends_on"] == ["${azapi_resource_action.cancel}"]
    for content in parsed.values():
        for entry in content.get("resource", []):
            for kind, named in entry.items():
                for name, body in named.items():
                    text = str(body)
                    if "subscription_resource_id" in text or "subscription_id}" in text:
                        allowed = name in ('"cancel"', '"alias"', '"after_creation"')
                        assert "ready_subscription" in text or allowed, f"{kind}.{name}"


def test_role_assignments_have_deterministic_names(parsed: dict[Path, dict[str, Any]]) -> None:
    assignment = resource(parsed, "azapi_resource", "role_assignment")
    assert assignment["for_each"] == "${local.role_assignments}"
    text = (MODULE / "rbac.tf").read_text(encoding="utf-8")
    assert 'uuidv5("url", "${local.ready_subscription_resource_id}/principals/' in text
    assert "random_uuid" not in text and "uuid()" not in text.replace("uuidv5(", "")


def test_readme_example_is_a_complete_and_well_typed_call(variables: dict[str, dict[str, Any]]) -> None:
    text = (MODULE / "README.md").read_text(encoding="utf-8")
    example = text.split("```hcl\n", 1)[1].split("```", 1)[0]
    call = unquote(hcl2.loads(example)["module"][0]['"subscription"'])
    assert call.pop("source").endswith("//modules/subscription?ref=v0.1.0")
    assert argument_problems(call, variables) == []
    assert argument_problems({**call, "owners": "me", "typo": 1}, variables) == [
        "typo: not a variable of the module",
        'owners: "me" does not fit type list(object({principal_id = string, principal_type = string}))',
    ]

"""The module's input rules and input-only locals, evaluated offline by the real terraform.

variables.tf and locals.tf need no provider, so they are copied into a scratch configuration with one
output exposing the locals, and ``terraform plan`` runs on it: a bad input fails the plan with the
validation's message, a good one yields the computed values.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tooling import require_tool

from module.module_spec import module_dir

REPO = Path(__file__).resolve().parents[2]
LOCALS = (
    "tags",
    "owner_assignments",
    "extra_assignments",
    "role_name_filters",
    "owner_duplicates",
    "resource_providers",
    "budget_notifications",
    "hub_peering_enabled",
    "hub_network_name",
    "creates_subscription",
)
ENV = {"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "PATH": "/usr/bin:/bin"}
OWNER_A = "11111111-1111-1111-1111-11111111111A"
OWNER_B = "33333333-3333-3333-3333-333333333333"
READER = "22222222-2222-2222-2222-222222222222"
BILLING = "/providers/Microsoft.Billing/billingAccounts"
HUB = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-hub/providers/Microsoft.Network"


def base_inputs() -> dict[str, Any]:
    return {
        "subscription_alias_name": "payments-dev",
        "subscription_display_name": "Payments (dev)",
        "subscription_billing_scope": f"{BILLING}/1234567/enrollmentAccounts/7654321",
        "subscription_workload": "DevTest",
        "management_group_id": "mg-corp-dev",
        "location": "westeurope",
        "owners": [{"principal_id": OWNER_A, "principal_type": "Group"}],
        "requested_by": "jane.doe@example.com",
    }


class Scratch:
    def __init__(self, terraform: str, directory: Path) -> None:
        self.terraform = terraform
        self.directory = directory
        self.runs = 0

    def plan(self, inputs: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        self.runs += 1
        var_file = self.directory / f"case{self.runs}.tfvars.json"
        var_file.write_text(json.dumps(inputs), encoding="utf-8")
        command = [
            self.terraform,
            "plan",
            "-input=false",
            "-no-color",
            "-lock=false",
            f"-var-file={var_file}",
        ]
        out = f"-out=case{self.runs}.plan"
        return subprocess.run([*command, out], cwd=self.directory, capture_output=True, text=True, env=ENV, check=False)

    def values(self, inputs: dict[str, Any]) -> dict[str, Any]:
        result = self.plan(inputs)
        assert result.returncode == 0, result.stdout + result.stderr
        shown = subprocess.run(
            [self.terraform, "show", "-json", f"case{self.runs}.plan"],
            cwd=self.directory,
            capture_output=True,
            text=True,
            env=ENV,
            check=True,
        )
        value: dict[str, Any] = json.loads(shown.stdout)["planned_values"]["outputs"]["locals"]["value"]
        return value

    def error(self, inputs: dict[str, Any]) -> str:
        result = self.plan(inputs)
        assert result.returncode != 0, "plan unexpectedly succeeded"
        return re.sub(r"[│╷╵\s]+", " ", result.stderr)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    terraform = require_tool("terraform")
    directory = tmp_path_factory.mktemp("module-inputs")
    for name in ("variables.tf", "locals.tf"):
        shutil.copy(module_dir(REPO) / name, directory / name)
    exposed = ", ".join(f"{name} = local.{name}" for name in LOCALS)
    (directory / "outputs.tf").write_text(f'output "locals" {{\n  value = {{ {exposed} }}\n}}\n', encoding="utf-8")
    subprocess.run(
        [terraform, "init", "-input=false", "-no-color"],
        cwd=directory,
        env=ENV,
        check=True,
        capture_output=True,
    )
    yield Scratch(terraform, directory)


BAD_INPUTS: list[tuple[str, Any, str]] = [
    ("subscription_alias_name", "Payments", "subscription_alias_name must match"),
    ("subscription_alias_name", "ab", "subscription_alias_name must match"),
    ("subscription_alias_name", "payments-", "subscription_alias_name must match"),
    ("subscription_display_name", "", "must be 1-64 characters"),
    ("subscription_display_name", "x" * 65, "must be 1-64 characters"),
    ("subscription_display_name", "a;b", "must not contain < > ; |"),
    ("subscription_display_name", "tab\there", "must not contain < > ; |"),
    ("subscription_billing_scope", "/billingAccounts/1/enrollmentAccounts/2", "must be an EA, MCA or MPA"),
    (
        "subscription_billing_scope",
        "/providers/Microsoft.Billing/billingAccounts/1/departments/2",
        "must be an EA",
    ),
    ("subscription_id", "not-a-guid", "subscription_id must be a GUID"),
    ("subscription_workload", "Dev", "must be Production or DevTest"),
    ("management_group_id", "mg/corp", "management_group_id must match"),
    ("location", "West Europe", "location must be an Azure region name"),
    ("owners", [], "at least one principal"),
    ("owners", [{"principal_id": "nope", "principal_type": "User"}], "principal_id must be a GUID"),
    (
        "owners",
        [{"principal_id": OWNER_A, "principal_type": "Robot"}],
        "must be User, Group or ServicePrincipal",
    ),
    (
        "owners",
        [
            {"principal_id": OWNER_A, "principal_type": "User"},
            {"principal_id": OWNER_A.lower(), "principal_type": "User"},
        ],
        "must not list the same principal_id twice",
    ),
    ("role_assignments", [{"principal_id": "x", "role": "Reader"}], "principal_id must be a GUID"),
    ("role_assignments", [{"principal_id": READER, "role": " "}], "must be a non-empty role name"),
    (
        "role_assignments",
        [{"principal_id": READER, "role": "/providers/Microsoft.Authorization/roleDefinitions/reader"}],
        "must end in /providers/Microsoft.Authorization/roleDefinitions/<guid>",
    ),
    (
        "role_assignments",
        [{"principal_id": READER, "role": "Reader"}, {"principal_id": READER, "role": "reader"}],
        "must not repeat the same principal_id and role",
    ),
    ("role_assignments", [{"principal_id": READER, "role": "Reader", "principal_type": "Bot"}], "when given"),
    ("tags", {"vending-alias": "x"}, "are reserved"),
    ("tags", {"Vending-Ticket": "x"}, "are reserved"),
    ("tags", {"a/b": "x"}, "Tag names must be 1-512 characters"),
    ("tags", {"a" * 513: "x"}, "Tag names must be 1-512 characters"),
    ("tags", {"a": "v" * 257}, "Tag values must be at most 256"),
    ("tags", {f"t{i}": "v" for i in range(48)}, "At most 47 tags"),
    ("tags", {"Env": "a", "env": "b"}, "unique ignoring case"),
    (
        "budget",
        {"amount": 0, "time_grain": "Monthly", "thresholds": [], "contact_emails": []},
        "greater than 0",
    ),
    (
        "budget",
        {"amount": 5, "time_grain": "Weekly", "thresholds": [], "contact_emails": []},
        "Monthly, Quarterly",
    ),
    (
        "budget",
        {"amount": 5, "time_grain": "Monthly", "thresholds": [0], "contact_emails": ["a@b.c"]},
        "between 1",
    ),
    (
        "budget",
        {"amount": 5, "time_grain": "Monthly", "thresholds": [1001], "contact_emails": ["a@b.c"]},
        "and 1000",
    ),
    (
        "budget",
        {"amount": 5, "time_grain": "Monthly", "thresholds": [1, 2, 3, 4, 5, 6], "contact_emails": ["a@b.c"]},
        "at most 5",
    ),
    (
        "budget",
        {"amount": 5, "time_grain": "Monthly", "thresholds": [80], "contact_emails": []},
        "at least one",
    ),
    (
        "budget",
        {"amount": 5, "time_grain": "Monthly", "thresholds": [80], "contact_emails": ["nobody"]},
        "email addresses",
    ),
    ("network", {"address_space": [], "hub_peering": False}, "at least one CIDR"),
    ("network", {"address_space": ["10.0.0.1/24"], "hub_peering": False}, "canonical IPv4 CIDR"),
    ("network", {"address_space": ["fd00::/8"], "hub_peering": False}, "canonical IPv4 CIDR"),
    ("network", {"address_space": ["8.8.8.0/24"], "hub_peering": False}, "private range"),
    ("network", {"address_space": ["172.32.0.0/16"], "hub_peering": False}, "private range"),
    ("network", {"address_space": ["10.0.0.0/7"], "hub_peering": False}, "private range"),
    (
        "hub_network_resource_id",
        "/subscriptions/x/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/h",
        "must be a virtual network resource id",
    ),
    ("resource_providers", ["containerservice"], "namespace like Microsoft.ContainerService"),
    ("requested_by", "jane", "requested_by must be an email"),
    ("ticket", "t" * 129, "at most 128 characters"),
    ("rbac_propagation_wait", "60", "must be a Go duration"),
]


@pytest.mark.parametrize(
    ("name", "value", "message"), BAD_INPUTS, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(BAD_INPUTS)]
)
def test_bad_input_fails_the_plan_with_its_rule(scratch: Scratch, name: str, value: Any, message: str) -> None:
    error = scratch.error({**base_inputs(), name: value})
    assert "Invalid value for variable" in error
    assert message in error
    assert f"var.{name}" in error


@pytest.mark.parametrize("missing", ["subscription_alias_name", "owners", "requested_by", "subscription_workload"])
def test_missing_required_input_fails_the_plan(scratch: Scratch, missing: str) -> None:
    inputs = base_inputs()
    del inputs[missing]
    assert f'variable "{missing}"' in scratch.error(inputs)


def test_good_inputs_at_the_edges_are_accepted(scratch: Scratch) -> None:
    inputs = {
        **base_inputs(),
        "subscription_alias_name": "a" + "b" * 48 + "c",
        "subscription_display_name": "é" * 64,
        "subscription_billing_scope": f"{BILLING}/abc:def_2019_05_31/billingProfiles/bp/invoiceSections/is",
        "management_group_id": "(mg).corp_dev-1",
        "tags": {f"t{i}": "v" * 256 for i in range(47)},
        "budget": {
            "amount": 0.5,
            "time_grain": "Annually",
            "thresholds": [1, 1000],
            "contact_emails": ["a@b.io"],
        },
        "network": {
            "address_space": ["172.16.0.0/12", "192.168.10.0/24", "10.0.0.0/8"],
            "hub_peering": False,
        },
        "ticket": "t" * 128,
        "rbac_propagation_wait": "1m30s",
    }
    values = scratch.values(inputs)
    assert values["hub_peering_enabled"] is False
    assert len(values["tags"]) == 47 + 3


def test_reserved_tags_are_added_without_overriding_user_tags(scratch: Scratch) -> None:
    values = scratch.values({**base_inputs(), "tags": {"costCenter": "4711"}, "ticket": "CHG-1"})
    assert values["tags"] == {
        "costCenter": "4711",
        "vending-alias": "payments-dev",
        "vending-requested-by": "jane.doe@example.com",
        "vending-ticket": "CHG-1",
    }
    assert "vending-ticket" not in scratch.values(base_inputs())["tags"]


def test_adding_an_owner_leaves_the_existing_assignment_unchanged(scratch: Scratch) -> None:
    before = scratch.values(base_inputs())["owner_assignments"]
    grown = {
        **base_inputs(),
        "owners": [{"principal_id": OWNER_B, "principal_type": "User"}, *base_inputs()["owners"]],
    }
    after = scratch.values(grown)["owner_assignments"]
    key = f"owner/{OWNER_A.lower()}"
    assert list(before) == [key]
    assert after[key] == before[key]
    assert set(after) == {key, f"owner/{OWNER_B}"}
    assert before[key]["role_definition"] == "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"


def test_roles_are_split_into_definition_ids_and_names_to_look_up(scratch: Scratch) -> None:
    contributor = "B24988AC-6180-42A0-AB88-20F7382DD24C"
    custom_id = (
        "/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/roleDefinitions/"
        + "ab" * 4
        + "-1111-2222-3333-444455556666"
    )
    roles = [
        {"principal_id": READER, "role": "Reader", "principal_type": "Group"},
        {"principal_id": READER, "role": contributor},
        {"principal_id": READER, "role": custom_id},
        {"principal_id": OWNER_B, "role": "Reader"},
        {"principal_id": OWNER_B, "role": "O'Brien's Role"},
    ]
    values = scratch.values({**base_inputs(), "role_assignments": roles})
    extra = values["extra_assignments"]
    assert extra[f"role/{READER}/reader"] == {
        "principal_id": READER,
        "principal_type": "Group",
        "role_definition": None,
        "role_name": "Reader",
    }
    assert extra[f"role/{READER}/{contributor.lower()}"]["role_definition"] == contributor.lower()
    assert extra[f"role/{READER}/{custom_id.lower()}"]["role_definition"] == "abababab-1111-2222-3333-444455556666"
    assert values["role_name_filters"] == {
        "Reader": "roleName eq 'Reader'",
        "O'Brien's Role": "roleName eq 'O''Brien''s Role'",
    }
    assert values["owner_duplicates"] == []


def test_owner_repeated_in_role_assignments_is_detected(scratch: Scratch) -> None:
    roles = [
        {"principal_id": OWNER_A.lower(), "role": "Owner"},
        {"principal_id": READER, "role": "Owner"},
    ]
    values = scratch.values({**base_inputs(), "role_assignments": roles})
    assert values["owner_duplicates"] == [f"role/{OWNER_A.lower()}/owner"]


def test_budget_notifications_and_implied_resource_providers(scratch: Scratch) -> None:
    inputs = {
        **base_inputs(),
        "budget": {
            "amount": 100,
            "time_grain": "Monthly",
            "thresholds": [80, 12.5],
            "contact_emails": ["a@b.io"],
        },
        "network": {"address_space": ["10.1.0.0/24"], "hub_peering": True},
        "hub_network_resource_id": f"{HUB}/virtualNetworks/vnet-hub",
        "resource_providers": ["Microsoft.ContainerService", "Microsoft.Network"],
    }
    values = scratch.values(inputs)
    assert set(values["budget_notifications"]) == {"actual_ge_80_percent", "actual_ge_12_5_percent"}
    assert values["budget_notifications"]["actual_ge_80_percent"] == {
        "enabled": True,
        "operator": "GreaterThanOrEqualTo",
        "threshold": 80,
        "thresholdType": "Actual",
        "contactEmails": ["a@b.io"],
    }
    assert values["resource_providers"] == [
        "Microsoft.Consumption",
        "Microsoft.ContainerService",
        "Microsoft.Network",
    ]
    assert values["hub_peering_enabled"] is True
    assert values["hub_network_name"] == "vnet-hub"


def test_adopting_an_existing_subscription_needs_no_billing_scope(scratch: Scratch) -> None:
    inputs = {**base_inputs(), "subscription_id": "00000000-0000-0000-0000-0000000000BB"}
    del inputs["subscription_billing_scope"]
    assert scratch.values(inputs)["creates_subscription"] is False

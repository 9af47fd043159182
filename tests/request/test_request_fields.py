"""The contract's request table, rule by rule (tags, budget, network, roles, providers, ticket, keys)."""

from __future__ import annotations

from typing import Any

import pytest
from request_support import assert_rejected, assert_valid, check
from testing.requests import BUDGET, GUID_A, GUID_B, request_data

ROLE_ID = "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"


# ---- tags ----------------------------------------------------------------------------------------------


def test_tags_limits_accepted() -> None:
    tags = {"n" * 512: "v" * 256, "costCenter": "4711", "empty": "", "with space": "a & b <c>"}
    assert assert_valid(request_data(tags=tags)).tags == dict(sorted(tags.items()))


@pytest.mark.parametrize(
    ("tags", "word"),
    [
        ({"n" * 513: "v"}, "1-512"),
        ({"costCenter": "v" * 257}, "at most 256"),
        ({"": "v"}, "1-512"),
        *[({f"a{char}b": "v"}, char) for char in "<>%&\\?/"],
        ({"a\nb": "v"}, "control"),
        ({"a\x00b": "v"}, "control"),
    ],
)
def test_tags_invalid(tags: dict[str, str], word: str) -> None:
    assert_rejected(request_data(tags=tags), "tags", word)


@pytest.mark.parametrize("tags", [{"costCenter": 4711}, {"flag": True}, ["a", "b"], "x=y"])
def test_tags_wrong_types(tags: Any) -> None:
    _, findings = check(request_data(tags=tags))
    assert findings and all(f.field.startswith("tags") for f in findings)


# ---- budget ---------------------------------------------------------------------------------------


def budget(**changes: Any) -> dict[str, Any]:
    return {**BUDGET, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": 0.01},
        {"amount": 1_000_000},
        {"thresholds": [1]},
        {"thresholds": [1000]},
        {"thresholds": [50.5, 100]},
        {"timeGrain": "Quarterly"},
        {"timeGrain": "Annually"},
    ],
)
def test_budget_valid(changes: dict[str, Any]) -> None:
    assert_valid(request_data(budget=budget(**changes)))


@pytest.mark.parametrize(
    ("changes", "field", "word"),
    [
        ({"amount": 0}, "budget.amount", "greater than 0"),
        ({"amount": -5}, "budget.amount", "greater than 0"),
        ({"amount": "lots"}, "budget.amount", "valid number"),
        ({"amount": True}, "budget.amount", "valid number"),
        ({"thresholds": [0]}, "budget.thresholds[0]", "greater than or equal to 1"),
        ({"thresholds": [80, 1001]}, "budget.thresholds[1]", "less than or equal to 1000"),
        ({"thresholds": []}, "budget.thresholds", "at least 1"),
        ({"thresholds": [80, 80]}, "budget.thresholds", "repeat"),
        ({"thresholds": "80"}, "budget.thresholds", "valid list"),
        ({"timeGrain": "Weekly"}, "budget.timeGrain", "Monthly"),
        ({"timeGrain": "monthly"}, "budget.timeGrain", "Monthly"),
        ({"contactEmails": ["not-an-email"]}, "budget.contactEmails[0]", "email"),
        ({"contactEmails": []}, "budget.contactEmails", "at least 1"),
    ],
)
def test_budget_invalid(changes: dict[str, Any], field: str, word: str) -> None:
    assert_rejected(request_data(budget=budget(**changes)), field, word)


def test_budget_unknown_key_hint() -> None:
    data = request_data(budget={**BUDGET, "ammount": 5})
    assert_rejected(data, "budget.ammount", "did you mean 'amount'")


# ---- network -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cidr",
    [
        "10.0.0.0/8",
        "10.1.2.0/24",
        "172.16.0.0/12",
        "172.31.255.0/24",
        "192.168.0.0/16",
        "192.168.1.128/25",
        "10.0.0.5/32",
    ],
)
def test_private_cidrs_accepted(cidr: str) -> None:
    assert_valid(request_data(network={"addressSpace": [cidr], "hubPeering": False}))


@pytest.mark.parametrize(
    ("cidr", "word"),
    [
        ("8.8.8.0/24", "not in a private range"),
        ("172.32.0.0/16", "not in a private range"),
        ("172.15.0.0/16", "not in a private range"),
        ("192.169.0.0/16", "not in a private range"),
        ("10.0.0.0/7", "not in a private range"),
        ("0.0.0.0/0", "not in a private range"),
        ("10.0.0.1/24", "host bits set"),
        ("192.168.1.1/16", "host bits set"),
        ("10.2.0.0", "prefix length"),
        ("10.0.0.0/33", "IPv4 CIDR"),
        ("fd00::/8", "IPv4 CIDR"),
        ("10.0.0/24", "IPv4 CIDR"),
        ("ten/8", "IPv4 CIDR"),
    ],
)
def test_bad_cidrs_rejected(cidr: str, word: str) -> None:
    network = {"addressSpace": ["10.9.0.0/16", cidr]}
    assert_rejected(request_data(network=network), "network.addressSpace[1]", word)


def test_overlapping_cidrs_within_one_request() -> None:
    network = {"addressSpace": ["10.1.0.0/16", "10.2.0.0/24", "10.1.4.0/24"]}
    assert_rejected(request_data(network=network), "network.addressSpace", "10.1.0.0/16", "10.1.4.0/24", "overlap")


@pytest.mark.parametrize(
    ("network", "field"),
    [
        ({"addressSpace": []}, "network.addressSpace"),
        ({"addressSpace": "10.0.0.0/24"}, "network.addressSpace"),
        ({"addressSpace": ["10.0.0.0/24"], "hubPeering": "yes"}, "network.hubPeering"),
        ({"addressSpace": ["10.0.0.0/24"], "hubPeering": 1}, "network.hubPeering"),
        ({"hubPeering": True}, "network.addressSpace"),
    ],
)
def test_network_shape(network: dict[str, Any], field: str) -> None:
    assert_rejected(request_data(network=network), field)


# ---- role assignments and resource providers --------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        "Reader",
        "Storage Blob Data Contributor",
        "Azure Kubernetes Service RBAC Admin (preview)",
        ROLE_ID,
        f"/subscriptions/{GUID_A}{ROLE_ID}",
        "b24988ac-6180-42a0-ab88-20f7382dd24c",
    ],
)
def test_roles_accepted(role: str) -> None:
    assert_valid(request_data(roleAssignments=[{"principalId": GUID_B, "role": role}]))


@pytest.mark.parametrize(
    "role", ["", "Reader; drop", "<script>", ROLE_ID.replace("b24988ac", "xyz"), " Reader", "R" * 129, "Reader\nOwner"]
)
def test_roles_rejected(role: str) -> None:
    data = request_data(roleAssignments=[{"principalId": GUID_B, "role": role}])
    assert_rejected(data, "roleAssignments[0].role")


@pytest.mark.parametrize(
    ("assignment", "field"),
    [
        ({"principalId": "bob", "role": "Reader"}, "roleAssignments[0].principalId"),
        ({"principalId": GUID_B, "role": "Reader", "principalType": "Team"}, "roleAssignments[0].principalType"),
        ({"principalId": GUID_B}, "roleAssignments[0].role"),
        ({"principalId": GUID_B, "role": "Reader", "scope": "/"}, "roleAssignments[0].scope"),
    ],
)
def test_role_assignment_shape(assignment: dict[str, str], field: str) -> None:
    assert_rejected(request_data(roleAssignments=[assignment]), field)


def test_duplicate_role_assignments_rejected() -> None:
    assignments = [{"principalId": GUID_B, "role": "Reader"}, {"principalId": GUID_B, "role": "reader"}]
    assert_rejected(request_data(roleAssignments=assignments), "roleAssignments", "more than once")


def test_same_principal_different_roles_accepted() -> None:
    assignments = [{"principalId": GUID_B, "role": "Reader"}, {"principalId": GUID_B, "role": "Contributor"}]
    assert_valid(request_data(roleAssignments=assignments))


@pytest.mark.parametrize(
    "namespace",
    ["Microsoft.ContainerService", "Microsoft.Insights", "Dynatrace.Observability", "Microsoft.Network.Extra"],
)
def test_resource_providers_accepted(namespace: str) -> None:
    assert_valid(request_data(resourceProviders=[namespace]))


@pytest.mark.parametrize(
    "namespace",
    [
        "ContainerService",
        "Microsoft..Compute",
        "Microsoft.Container Service",
        "Microsoft/Compute",
        ".Microsoft",
        "Microsoft.",
        "1Microsoft.X",
        "",
    ],
)
def test_resource_providers_rejected(namespace: str) -> None:
    assert_rejected(request_data(resourceProviders=[namespace]), "resourceProviders[0]", "namespace")


def test_duplicate_resource_providers_rejected() -> None:
    data = request_data(resourceProviders=["Microsoft.KeyVault", "microsoft.keyvault"])
    assert_rejected(data, "resourceProviders", "more than once")


# ---- ticket and unknown keys ---------------------------------------------------------------------------


@pytest.mark.parametrize("ticket", ["CHG-1", "x" * 128, "JIRA OPS-42: migrate (see #12)"])
def test_ticket_valid(ticket: str) -> None:
    assert assert_valid(request_data(ticket=ticket)).ticket == ticket


@pytest.mark.parametrize(
    ("ticket", "word"),
    [("x" * 129, "1-128"), ("", "1-128"), ("CHG-1\nCHG-2", "single line"), ("CHG\r1", "single line")],
)
def test_ticket_invalid(ticket: str, word: str) -> None:
    assert_rejected(request_data(ticket=ticket), "ticket", word)


@pytest.mark.parametrize(
    ("key", "hint"),
    [("displayname", "displayName"), ("tagz", "tags"), ("billingscope", "billingScope"), ("owner", "owners")],
)
def test_unknown_key_with_hint(key: str, hint: str) -> None:
    data = request_data(**{key: "x"})
    assert_rejected(data, key, f"unknown key {key!r}", f"did you mean {hint!r}")


def test_unknown_key_without_hint() -> None:
    finding = assert_rejected(request_data(zzzqqq="x"), "zzzqqq", "unknown key")
    assert "did you mean" not in finding.message


def test_every_problem_reported_at_once() -> None:
    data = request_data(name="Bad", displayName="a|b", location="West Europe", tagz={}, ticket="a\nb")
    _, findings = check(data)
    assert {f.field for f in findings} == {"name", "displayName", "location", "tagz", "ticket"}


def test_normalized_resolves_workload_default() -> None:
    request = assert_valid(request_data(budget=BUDGET))
    normalized = request.normalized("DevTest")
    assert normalized["workload"] == "DevTest"
    assert normalized["budget"]["amount"] == 100
    assert list(normalized)[:3] == ["interfaceVersion", "name", "displayName"]

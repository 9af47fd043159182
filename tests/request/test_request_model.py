"""The contract's request table, rule by rule (identity, billing, placement, owners, workload)."""

from __future__ import annotations

import pytest
from request_support import assert_rejected, assert_valid
from testing.requests import DROP, EA_SCOPE, GUID_A, GUID_B, MCA_SCOPE, MPA_SCOPE, request_data

CYRILLIC_A = "\u0430"


def test_base_request_is_valid() -> None:
    request = assert_valid(request_data())
    assert request.name == "app-dev"
    assert request.billing_kind == "EA"


@pytest.mark.parametrize(
    "key",
    ["interfaceVersion", "name", "displayName", "environment", "managementGroup", "location", "owners", "requestedBy"],
)
def test_required_keys(key: str) -> None:
    assert_rejected(request_data(**{key: DROP}), key, "is required")


@pytest.mark.parametrize(
    "key", ["workload", "tags", "budget", "network", "roleAssignments", "resourceProviders", "ticket", "subscriptionId"]
)
def test_optional_keys_may_be_absent(key: str) -> None:
    assert_valid(request_data(**{key: DROP}))


# ---- name --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["abc", "a-b", "app-dev-01", "a" + "b" * 48 + "c", "x9z"])
def test_name_valid(name: str) -> None:
    assert assert_valid(request_data(name=name)).name == name


@pytest.mark.parametrize(
    "name",
    [
        "ab",
        "a" * 51,
        "App-dev",
        "app..dev",
        "app/dev",
        "../app",
        "-app",
        "app-",
        "1app",
        "app_dev",
        "app dev",
        f"{CYRILLIC_A}pp-dev",
        "app-dev\n",
        "",
    ],
)
def test_name_invalid(name: str) -> None:
    assert_rejected(request_data(name=name), "name", "3-50 characters")


def test_name_must_be_a_string() -> None:
    assert_rejected(request_data(name=123), "name", "valid string")


# ---- displayName ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["X", "x" * 64, "App team (dev) - \u00e9quipe", "a & b", "100% fun"])
def test_display_name_valid(value: str) -> None:
    assert_valid(request_data(displayName=value))


@pytest.mark.parametrize(
    ("value", "word"),
    [
        ("", "1-64"),
        ("x" * 65, "1-64"),
        ("a<b", "<"),
        ("a>b", ">"),
        ("a;b", ";"),
        ("a|b", "|"),
        ("line\nbreak", "control"),
        ("tab\there", "control"),
        ("del\x7f", "control"),
        ("sep\u2028x", "control"),
    ],
)
def test_display_name_invalid(value: str, word: str) -> None:
    assert_rejected(request_data(displayName=value), "displayName", word)


# ---- billing scope and subscription id -----------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "kind"),
    [
        (EA_SCOPE, "EA"),
        ("/providers/Microsoft.Billing/billingAccounts/1/enrollmentAccounts/2", "EA"),
        (MCA_SCOPE, "MCA"),
        (
            "/providers/Microsoft.Billing/billingAccounts/a1b2c3d4-0000-0000-0000-000000000000:1111_2019-05-31"
            "/billingProfiles/ABCD-EFGH-IJK-LMN/invoiceSections/WXYZ-1234-ABC-DEF",
            "MCA",
        ),
        (MPA_SCOPE, "MPA"),
    ],
)
def test_billing_scope_shapes(scope: str, kind: str) -> None:
    workload = "Production" if kind == "MPA" else "DevTest"
    request = assert_valid(request_data(billingScope=scope, workload=workload))
    assert request.billing_kind == kind


@pytest.mark.parametrize(
    ("scope", "hint"),
    [
        (EA_SCOPE + "/", "remove the trailing '/'"),
        (MCA_SCOPE + "/", "remove the trailing '/'"),
        (EA_SCOPE.replace("Microsoft.Billing", "microsoft.billing"), "must start with"),
        (EA_SCOPE.replace("providers", "Providers"), "must start with"),
        ("/providers/Microsoft.Billing/billingAccounts/1234567", "EA scope"),
        ("/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/abc", "EA scope"),
        ("/providers/Microsoft.Billing/billingAccounts/ba/billingProfiles/bp", "MCA scope"),
        ("/providers/Microsoft.Billing/billingAccounts/ba/billingProfiles/bp/invoiceSections/is/x", "MCA scope"),
        ("/providers/Microsoft.Billing/billingAccounts/ba/customers/", "remove the trailing '/'"),
        ("/providers/Microsoft.Billing/billingAccounts/ba/customers/c/extra", "MPA scope"),
        ("/providers/Microsoft.Billing/billingAccounts/../enrollmentAccounts/1", "EA scope"),
        ("providers/Microsoft.Billing/billingAccounts/1/enrollmentAccounts/2", "must start with"),
        ("", "must start with"),
    ],
)
def test_billing_scope_wrong_shape(scope: str, hint: str) -> None:
    assert_rejected(request_data(billingScope=scope), "billingScope", hint)


def test_devtest_on_mpa_rejected() -> None:
    assert_rejected(request_data(billingScope=MPA_SCOPE, workload="DevTest"), "workload", "MPA")


@pytest.mark.parametrize("workload", ["Production", None])
def test_mpa_without_devtest_accepted(workload: str | None) -> None:
    assert_valid(request_data(billingScope=MPA_SCOPE, workload=workload or DROP))


def test_neither_billing_scope_nor_subscription_id() -> None:
    assert_rejected(request_data(billingScope=DROP), "billingScope", "subscriptionId")


def test_both_billing_scope_and_subscription_id() -> None:
    assert_rejected(request_data(subscriptionId=GUID_B), "subscriptionId", "not both")


def test_adopting_by_subscription_id() -> None:
    request = assert_valid(request_data(billingScope=DROP, subscriptionId=GUID_B.upper()))
    assert request.subscription_id == GUID_B
    assert request.billing_kind is None


@pytest.mark.parametrize(
    "value", ["not-a-guid", GUID_B.replace("-", ""), "{" + GUID_B + "}", GUID_B + "0", GUID_B[:-1] + "g", ""]
)
def test_subscription_id_must_be_a_guid(value: str) -> None:
    assert_rejected(request_data(billingScope=DROP, subscriptionId=value), "subscriptionId", "GUID")


# ---- management group, location, environment ----------------------------------------------------------


@pytest.mark.parametrize("value", ["mg-corp-dev", "MG_1", "(root).x", "a" * 90, "0"])
def test_management_group_valid(value: str) -> None:
    assert_valid(request_data(managementGroup=value))


@pytest.mark.parametrize("value", ["", "a" * 91, "mg corp", "mg/corp", "mg:corp", "mg\u00e9"])
def test_management_group_invalid(value: str) -> None:
    assert_rejected(request_data(managementGroup=value), "managementGroup", "1-90")


@pytest.mark.parametrize("value", ["westeurope", "eastus2", "swedencentral"])
def test_location_valid(value: str) -> None:
    assert_valid(request_data(location=value))


@pytest.mark.parametrize("value", ["West Europe", "WestEurope", "west-europe", "", "2east", "e"])
def test_location_invalid(value: str) -> None:
    assert_rejected(request_data(location=value), "location", "region")


@pytest.mark.parametrize("value", ["", "x" * 64])
def test_environment_length(value: str) -> None:
    assert_rejected(request_data(environment=value), "environment")


# ---- owners, emails, principals -----------------------------------------------------------------------


def test_owners_at_least_one() -> None:
    assert_rejected(request_data(owners=[]), "owners", "at least 1")


def test_owners_not_a_list() -> None:
    assert_rejected(request_data(owners="x"), "owners", "valid list")


@pytest.mark.parametrize("kind", ["User", "Group", "ServicePrincipal"])
def test_owner_principal_types(kind: str) -> None:
    assert_valid(request_data(owners=[{"principalId": GUID_A, "principalType": kind}]))


@pytest.mark.parametrize(
    ("owner", "field"),
    [
        ({"principalId": GUID_A, "principalType": "Robot"}, "owners[0].principalType"),
        ({"principalId": GUID_A, "principalType": "group"}, "owners[0].principalType"),
        ({"principalId": "alice", "principalType": "User"}, "owners[0].principalId"),
        ({"principalId": GUID_A}, "owners[0].principalType"),
        ({"principalId": GUID_A, "principalType": "User", "role": "Owner"}, "owners[0].role"),
    ],
)
def test_owner_invalid(owner: dict[str, str], field: str) -> None:
    assert_rejected(request_data(owners=[owner]), field)


def test_duplicate_owners_rejected() -> None:
    owners = [
        {"principalId": GUID_A, "principalType": "Group"},
        {"principalId": GUID_A.upper(), "principalType": "User"},
    ]
    assert_rejected(request_data(owners=owners), "owners", "more than once")


@pytest.mark.parametrize("value", ["alice@contoso.com", "a.b+tag@mail.contoso.co.uk", "o'neil@x.io"])
def test_requested_by_valid(value: str) -> None:
    assert_valid(request_data(requestedBy=value))


@pytest.mark.parametrize(
    "value",
    [
        "alice",
        "alice@",
        "@contoso.com",
        "alice@contoso",
        "a b@contoso.com",
        "alice@contoso..com",
        "alice@-contoso.com",
        "x" * 250 + "@a.com",
        "",
    ],
)
def test_requested_by_invalid(value: str) -> None:
    assert_rejected(request_data(requestedBy=value), "requestedBy", "email")


# ---- workload ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Production", "DevTest"])
def test_workload_enum(value: str) -> None:
    assert assert_valid(request_data(workload=value)).workload == value


@pytest.mark.parametrize("value", ["production", "Dev", "Test", ""])
def test_workload_invalid(value: str) -> None:
    assert_rejected(request_data(workload=value), "workload", "Production")

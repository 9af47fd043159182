"""The check logic over a fake reader: decisions, roles named, and tolerance of failed reads."""

from __future__ import annotations

import pytest
from azure_checks_support import FakeReader, adopt_request, make_request

from vending.azure import AzureSettings, check_requests
from vending.azure.models import AliasInfo, AzureReadError, SubscriptionInfo, TenantInfo, TenantPolicyInfo
from vending.emulator.data import EA_SCOPE, TENANT_ID
from vending.errors import AzureCheckError

SETTINGS = AzureSettings()
MPA_SCOPE = "/providers/Microsoft.Billing/billingAccounts/partner-1/customers/cust-1"
MCA_SCOPE = "/providers/Microsoft.Billing/billingAccounts/acct:1_2019_05_31/billingProfiles/bp/invoiceSections/is"


@pytest.mark.parametrize(
    ("scope", "role"),
    [
        (EA_SCOPE, "Enrollment account subscription creator"),
        (MCA_SCOPE, "Azure subscription creator"),
        (MPA_SCOPE, "Admin agent"),
    ],
)
def test_user_not_authorized_names_the_missing_billing_role(scope: str, role: str) -> None:
    reader = FakeReader()
    reader.aliases["app-one"] = AzureReadError("alias.get", 403, "UserNotAuthorized", "not allowed")
    report = check_requests([("a.yaml", make_request("app-one", billingScope=scope))], reader, SETTINGS)
    [finding] = report.findings
    assert finding.field == "billingScope"
    assert role in finding.message


def test_a_failed_alias_read_refuses_only_that_request() -> None:
    reader = FakeReader()
    reader.aliases["app-one"] = AzureReadError("alias.get", 503, "ServiceUnavailable", "busy")
    report = check_requests(
        [("a.yaml", make_request("app-one")), ("b.yaml", make_request("app-two"))], reader, SETTINGS
    )
    assert [r.status for r in report.results] == ["refused", "ok"]
    assert "re-run" in report.findings[0].message


def test_tenant_policy_blocks_unless_the_caller_is_exempted() -> None:
    reader = FakeReader()
    reader.tenant_policy = TenantPolicyInfo(block_subscriptions_into_tenant=True, exempted_principals=("me",))
    request = make_request("app-one")
    assert not check_requests([("a.yaml", request)], reader, SETTINGS).passed
    reader.caller = "me"
    assert check_requests([("a.yaml", request)], reader, SETTINGS).passed


def test_unreadable_tenant_policy_is_a_run_note() -> None:
    reader = FakeReader()
    reader.tenant_policy = AzureReadError("policy", 403, "AuthorizationFailed", "no")
    report = check_requests([("a.yaml", make_request("app-one"))], reader, SETTINGS)
    assert report.passed
    assert "tenant subscription policy not checked" in report.notes[0]


def test_forbidden_billing_account_policy_is_only_a_note() -> None:
    reader = FakeReader()
    reader.billing["1234567"] = AzureReadError("billing", 403, "AuthorizationFailed", "no")
    report = check_requests([("a.yaml", make_request("app-one"))], reader, SETTINGS)
    assert report.passed
    assert report.results[0].notes[0].startswith("billing account policy not checked (403")
    assert reader.calls["billing_account.get_policy"] == 1


def test_one_billing_read_per_distinct_account() -> None:
    reader = FakeReader()
    requests = [make_request(f"app-{i}", billingScope=EA_SCOPE if i % 2 else MCA_SCOPE) for i in range(6)]
    check_requests([(f"{r.name}.yaml", r) for r in requests], reader, SETTINGS)
    assert reader.calls["billing_account.get_policy"] == 2
    assert reader.calls["alias.get"] == 6
    assert reader.calls["management_groups.get"] == 1


def test_alias_with_same_scope_but_other_name_conflicts_unless_in_trunk() -> None:
    reader = FakeReader()
    reader.aliases["app-one"] = AliasInfo("app-one", "sub-1", "Old Name", EA_SCOPE, "Succeeded")
    request = make_request("app-one", displayName="New Name")
    assert check_requests([("a.yaml", request)], reader, SETTINGS).findings[0].field == "name"
    report = check_requests([("a.yaml", request)], reader, SETTINGS, in_trunk={"app-one"})
    assert report.results[0].status == "already-vended"


def test_alias_on_another_billing_scope_is_a_conflict_even_in_trunk() -> None:
    reader = FakeReader()
    reader.aliases["app-one"] = AliasInfo("app-one", "sub-1", "Display app-one", MCA_SCOPE)
    report = check_requests([("a.yaml", make_request("app-one"))], reader, SETTINGS, in_trunk={"app-one"})
    assert report.findings[0].field == "name"


@pytest.mark.parametrize("state", ["Warned", "PastDue", "Disabled", "Deleted"])
def test_adoption_needs_an_enabled_subscription(state: str) -> None:
    reader = FakeReader()
    reader.subscriptions.append(SubscriptionInfo("00000000-0000-0000-0000-0000000000cc", "Old", state))
    report = check_requests(
        [("a.yaml", adopt_request("old", "00000000-0000-0000-0000-0000000000cc", displayName="Old"))], reader, SETTINGS
    )
    [finding] = report.findings
    assert f"is {state}" in finding.message


def test_no_visible_subscription_skips_the_location_check_with_a_note() -> None:
    reader = FakeReader()
    reader.subscriptions = []
    report = check_requests([("a.yaml", make_request("app-one", location="nowhere"))], reader, SETTINGS)
    assert report.passed
    assert "location not checked" in report.results[0].notes[0]
    assert reader.calls["subscriptions.list_locations"] == 0


def test_tenant_must_be_visible() -> None:
    reader = FakeReader()
    settings = AzureSettings(tenant_id="00000000-0000-0000-0000-000000000001")
    with pytest.raises(AzureCheckError, match="not visible"):
        check_requests([("a.yaml", make_request())], reader, settings)
    assert reader.calls["alias.get"] == 0
    reader.tenants = [TenantInfo(TENANT_ID), TenantInfo("00000000-0000-0000-0000-000000000001")]
    assert check_requests([("a.yaml", make_request())], reader, settings).passed


def test_a_fatal_error_stops_the_run() -> None:
    class Unreachable(FakeReader):
        def list_subscriptions(self) -> list[SubscriptionInfo]:
            raise AzureCheckError("cannot reach Azure Resource Manager at https://x")

    with pytest.raises(AzureCheckError, match="cannot reach"):
        check_requests([("a.yaml", make_request())], Unreachable(), SETTINGS)

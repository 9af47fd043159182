"""Each pre-flight check, passing and failing, through the real Azure SDK over HTTPS to the emulator."""

from __future__ import annotations

from azure_checks_support import adopt_request, make_request, settings_for

from vending.azure import CheckReport, run_azure_checks
from vending.cli.azureopts import azure_runner
from vending.emulator import Emulator
from vending.emulator.data import LEGACY_SUBSCRIPTION_ID, MCA_SCOPE, PLATFORM_SUBSCRIPTION_ID
from vending.errors import Finding
from vending.request.model import Request

UNKNOWN_ID = "12345678-1234-1234-1234-123456789012"


def check(emu: Emulator, *requests: Request) -> CheckReport:
    return run_azure_checks([(f"requests/{r.name}.yaml", r) for r in requests], settings_for(emu))


def only_finding(report: CheckReport) -> Finding:
    assert len(report.findings) == 1, report.findings
    return report.findings[0]


def test_a_valid_new_request_passes(emu: Emulator) -> None:
    report = check(emu, make_request("app-one"))
    assert report.passed
    assert report.results[0].status == "ok"
    assert report.findings_by_source() == {"requests/app-one.yaml": []}


def test_alias_taken_with_another_display_name_is_a_conflict(emu: Emulator) -> None:
    report = check(emu, make_request("platform-management", displayName="Something Else"))
    finding = only_finding(report)
    assert not report.passed
    assert (finding.file, finding.field) == ("requests/platform-management.yaml", "name")
    assert "already taken" in finding.message
    assert PLATFORM_SUBSCRIPTION_ID in finding.message


def test_own_alias_is_already_vended(emu: Emulator) -> None:
    report = check(
        emu, make_request("platform-management", displayName="Platform Management", managementGroup="mg-platform")
    )
    assert report.passed
    assert report.results[0].status == "already-vended"
    assert "already vended" in report.results[0].notes[0]


def test_renamed_request_already_in_trunk_keeps_its_alias(emu: Emulator) -> None:
    request = make_request("platform-management", displayName="Platform Mgmt", managementGroup="mg-platform")
    report = run_azure_checks([("r.yaml", request)], settings_for(emu), in_trunk={"platform-management"})
    assert report.passed
    assert report.results[0].status == "already-vended"


def test_display_name_collision(emu: Emulator) -> None:
    finding = only_finding(check(emu, make_request("new-platform", displayName="platform management")))
    assert finding.field == "displayName"
    assert PLATFORM_SUBSCRIPTION_ID in finding.message


def test_unknown_management_group_is_missing_or_no_access(emu: Emulator) -> None:
    finding = only_finding(check(emu, make_request("app-one", managementGroup="mg-does-not-exist")))
    assert finding.field == "managementGroup"
    assert "missing or the identity has no access" in finding.message


def test_bad_location(emu: Emulator) -> None:
    finding = only_finding(check(emu, make_request("app-one", location="westeurop")))
    assert finding.field == "location"
    assert "did you mean 'westeurope'" in finding.message


def test_adopting_an_enabled_subscription_passes(emu: Emulator) -> None:
    report = check(emu, adopt_request("platform-adopted", PLATFORM_SUBSCRIPTION_ID, displayName="Platform Management"))
    assert report.passed, report.findings


def test_adopting_a_disabled_subscription_fails(emu: Emulator) -> None:
    finding = only_finding(check(emu, adopt_request("legacy-app", LEGACY_SUBSCRIPTION_ID, displayName="Legacy App")))
    assert finding.field == "subscriptionId"
    assert "is Disabled" in finding.message


def test_adopting_an_unknown_subscription_fails(emu: Emulator) -> None:
    report = check(emu, adopt_request("ghost-app", UNKNOWN_ID))
    finding = only_finding(report)
    assert finding.field == "subscriptionId"
    assert "does not exist" in finding.message
    assert emu.stats.count("GET", f"/subscriptions/{UNKNOWN_ID}") == 1


def test_adoption_bound_to_an_alias_of_another_subscription_conflicts(emu: Emulator) -> None:
    report = check(emu, adopt_request("platform-management", LEGACY_SUBSCRIPTION_ID, displayName="Legacy App"))
    assert [f.field for f in report.findings] == ["name", "subscriptionId"]
    assert "already taken" in report.findings[0].message


def test_tenant_blocking_subscriptions_refuses_creation_not_adoption(emu: Emulator) -> None:
    emu.state.tenant_policy.block_subscriptions_into_tenant = True
    report = check(
        emu,
        make_request("app-one"),
        adopt_request("platform-adopted", PLATFORM_SUBSCRIPTION_ID, displayName="Platform Management"),
    )
    assert [r.status for r in report.results] == ["refused", "ok"]
    assert "blockSubscriptionsIntoTenant" in report.findings[0].message


def test_unknown_billing_account_policy_is_skipped_with_a_note(emu: Emulator) -> None:
    scope = "/providers/Microsoft.Billing/billingAccounts/9999999/enrollmentAccounts/1"
    report = check(emu, make_request("app-one", billingScope=scope))
    assert report.passed
    assert "billing account policy not checked (404" in report.results[0].notes[0]


def test_every_finding_of_a_batch_is_reported(emu: Emulator) -> None:
    report = check(
        emu,
        make_request("app-one", managementGroup="mg-nope", location="mars"),
        make_request("platform-management", displayName="Other"),
        make_request("app-three", billingScope=MCA_SCOPE),
    )
    fields = {(f.file, f.field) for f in report.findings}
    assert fields == {
        ("requests/app-one.yaml", "managementGroup"),
        ("requests/app-one.yaml", "location"),
        ("requests/platform-management.yaml", "name"),
    }
    assert [r.status for r in report.results] == ["refused", "refused", "ok"]


def test_the_cli_runner_resolves_settings_and_returns_findings_in_order(emu: Emulator) -> None:
    run = azure_runner(emu.endpoint, str(emu.ca_bundle), {})
    ok, bad = run([("ok.yaml", make_request("app-one")), ("bad.yaml", make_request("app-two", location="atlantis"))])
    assert list(ok) == []
    assert [f.field for f in bad] == ["location"]

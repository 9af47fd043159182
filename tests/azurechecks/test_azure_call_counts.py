"""How many ARM reads a run makes: one list, one locations read, one read per distinct group and alias."""

from __future__ import annotations

from azure_checks_support import adopt_request, make_request, settings_for

from vending.azure import SdkAzureReader, check_requests, run_azure_checks
from vending.azure.credentials import StaticTestCredential
from vending.emulator import Emulator, run_emulator
from vending.emulator.data import EA_SCOPE, MCA_SCOPE, PLATFORM_SUBSCRIPTION_ID

MG = "/providers/Microsoft.Management/managementGroups"
ALIASES = "/providers/Microsoft.Subscription/aliases"


def test_reads_per_run(emu: Emulator) -> None:
    groups = ["mg-online", "mg-sandbox", "mg-corp-dev"]
    items = [
        (
            f"r{i}.yaml",
            make_request(f"app-{i:02d}", managementGroup=groups[i % 3], billingScope=EA_SCOPE if i % 2 else MCA_SCOPE),
        )
        for i in range(12)
    ]
    items.append(("adopt.yaml", adopt_request("adopted", PLATFORM_SUBSCRIPTION_ID, displayName="Platform Management")))
    report = run_azure_checks(items, settings_for(emu))
    assert report.passed, report.findings
    assert dict(report.usage.operations) == {
        "tenants.list": 1,
        "subscriptions.list": 1,
        "subscriptions.list_locations": 1,
        "management_groups.get": 3,
        "alias.get": 13,
        "subscription_policy.get_policy_for_tenant": 1,
        "billing_account.get_policy": 2,
    }
    stats = emu.stats
    assert stats.count("GET", "/subscriptions") == 1
    assert stats.count("GET", "/tenants") == 1
    assert sum(stats.count("GET", f"/subscriptions/{s}/locations") for s in emu.state.subscriptions) == 1
    assert all(stats.count("GET", f"{MG}/{group}") == 1 for group in groups)
    assert all(stats.count("GET", f"{ALIASES}/app-{i:02d}") == 1 for i in range(12))
    assert report.usage.http_requests == stats.snapshot()["requests"] == 22


def test_a_paged_subscription_list_is_still_one_read() -> None:
    with run_emulator(page_size=10) as emu:
        emu.state.seed_subscriptions(45)
        report = run_azure_checks([("r.yaml", make_request("app-one"))], settings_for(emu))
        pages = emu.stats.count("GET", "/subscriptions")
    assert report.passed
    assert report.usage.operations["subscriptions.list"] == 1
    assert pages == 5
    assert report.usage.retries == 0


def test_adoption_only_batch_skips_policy_reads(emu: Emulator) -> None:
    report = run_azure_checks(
        [("a.yaml", adopt_request("adopted", PLATFORM_SUBSCRIPTION_ID, displayName="Platform Management"))],
        settings_for(emu),
    )
    assert report.passed
    assert "subscription_policy.get_policy_for_tenant" not in report.usage.operations
    assert "billing_account.get_policy" not in report.usage.operations
    assert "subscriptions.get" not in report.usage.operations


def test_report_as_dict_carries_stats(emu: Emulator) -> None:
    document = run_azure_checks([("r.yaml", make_request("app-one"))], settings_for(emu)).as_dict()
    assert document["passed"] is True
    stats = document["stats"]
    assert isinstance(stats, dict)
    assert stats["httpRequests"] == 7
    assert stats["throttled"] == 0


def test_one_token_request_per_run(emu: Emulator) -> None:
    settings = settings_for(emu)
    credential = StaticTestCredential(emu.endpoint)
    reader = SdkAzureReader(settings, credential)
    try:
        items = [(f"r{i}.yaml", make_request(f"app-{i:02d}")) for i in range(20)]
        assert check_requests(items, reader, settings).passed
    finally:
        reader.close()
    assert credential.calls == 1

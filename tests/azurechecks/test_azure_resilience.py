"""Throttling, injected faults, failed authentication and unreachable endpoints, over real HTTPS."""

from __future__ import annotations

import socket
from collections.abc import Mapping
from typing import Any

import pytest
from azure_checks_support import make_request, settings_for, unsigned_jwt

from vending.azure import SdkAzureReader, check_requests, run_azure_checks
from vending.azure.credentials import StaticTestCredential
from vending.azure.settings import AzureSettings
from vending.emulator import BucketLimit, Emulator, ThrottleLimits, run_emulator
from vending.emulator.data import MCA_SCOPE, TENANT_ID
from vending.emulator.protocol import ApiResponse
from vending.errors import AzureCheckError, ExitCode

GROUPS = ("mg-platform", "mg-corp-dev", "mg-corp-prod", "mg-online", "mg-sandbox")


def batch(count: int) -> list[tuple[str, Any]]:
    return [(f"r{i}.yaml", make_request(f"app-{i:03d}", managementGroup=GROUPS[i % len(GROUPS)])) for i in range(count)]


def test_a_429_storm_is_ridden_out_with_retry_after() -> None:
    limits = ThrottleLimits(reads=BucketLimit(8, 40))
    with run_emulator(throttle=True, limits=limits) as emu:
        settings = settings_for(emu, read_burst=10_000, read_refill_per_second=10_000.0)
        report = run_azure_checks(batch(40), settings)
        throttled = emu.stats.snapshot()["throttled"]
    assert report.passed, report.findings
    assert report.usage.throttled == throttled
    assert throttled > 0
    assert report.usage.retries >= throttled


def test_client_pacing_keeps_under_the_bucket() -> None:
    limits = ThrottleLimits(reads=BucketLimit(10, 50))
    with run_emulator(throttle=True, limits=limits) as emu:
        settings = settings_for(emu, read_burst=10, read_refill_per_second=45.0)
        report = run_azure_checks(batch(30), settings)
    assert report.passed, report.findings
    assert report.usage.throttled <= 2
    assert report.usage.paced_seconds > 0


@pytest.mark.parametrize("kinds", [("500", "503"), ("reset",), ("500", "503", "429", "reset")])
def test_injected_faults_are_retried_and_every_request_is_checked(kinds: tuple[str, ...]) -> None:
    with run_emulator(fail_rate=0.3, fault_kinds=kinds, seed=5, retry_after=0) as emu:
        report = run_azure_checks(batch(25), settings_for(emu))
        faults = sum(emu.stats.faults.values())
    assert faults > 0
    assert report.usage.retries >= faults
    assert report.passed, report.findings
    assert len(report.results) == 25


@pytest.mark.parametrize("kind", ["500", "reset"])
def test_persistent_faults_end_in_a_clean_azure_error(kind: str) -> None:
    with run_emulator(fail_rate=1.0, fault_kinds=(kind,), retry_after=0) as emu:
        endpoint = emu.endpoint
        with pytest.raises(AzureCheckError) as caught:
            run_azure_checks(batch(3), settings_for(emu, retry_total=1))
    assert caught.value.exit_code == ExitCode.AZURE
    assert "tenants.list" in caught.value.message or endpoint in caught.value.message


def test_rejected_token_is_an_authentication_error() -> None:
    with run_emulator(token="only-this-token") as emu, pytest.raises(AzureCheckError) as caught:
        run_azure_checks(batch(2), settings_for(emu))
    message = caught.value.message
    assert message.startswith("cannot authenticate to Azure")
    assert "az login" in message
    assert "InvalidAuthenticationToken" in str(caught.value.__cause__) or "token is invalid" in message


def test_unreachable_endpoint_names_the_endpoint() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = f"https://127.0.0.1:{port}"
    settings = AzureSettings(arm_endpoint=endpoint, credential="static-test", retry_total=1)
    with pytest.raises(AzureCheckError) as caught:
        run_azure_checks(batch(1), settings)
    assert f"cannot reach Azure Resource Manager at {endpoint}" in caught.value.message


def test_untrusted_certificate_points_at_the_ca_bundle(emu: Emulator) -> None:
    settings = AzureSettings(arm_endpoint=emu.endpoint, credential="static-test", retry_total=1)
    with pytest.raises(AzureCheckError) as caught:
        run_azure_checks(batch(1), settings)
    assert "--ca-bundle" in caught.value.message


def _answer_alias_with(monkeypatch: pytest.MonkeyPatch, emu: Emulator, status: int, code: str, message: str) -> None:
    """Make alias reads answer an error the emulator does not model for reads."""
    original = emu.app.respond

    def respond(method: str, target: str, headers: Mapping[str, str], body: bytes) -> ApiResponse | None:
        if method == "GET" and "/aliases/" in target:
            return ApiResponse(status, {"error": {"code": code, "message": message}})
        return original(method, target, headers, body)

    monkeypatch.setattr(emu.app, "respond", respond)


@pytest.mark.parametrize(
    ("scope", "role"),
    [
        ("/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/1111111", "Enrollment account"),
        (MCA_SCOPE.replace("is1", "is9"), "Azure subscription creator"),
    ],
)
def test_user_not_authorized_names_the_billing_role(
    monkeypatch: pytest.MonkeyPatch, emu: Emulator, scope: str, role: str
) -> None:
    _answer_alias_with(
        monkeypatch,
        emu,
        401,
        "UserNotAuthorized",
        "User is not authorized to create subscriptions on this enrollment account.",
    )
    report = run_azure_checks([("r.yaml", make_request("app-one", billingScope=scope))], settings_for(emu))
    [finding] = report.findings
    assert finding.field == "billingScope"
    assert "UserNotAuthorized" in finding.message
    assert role in finding.message


def test_exempted_caller_may_create_in_a_blocking_tenant(emu: Emulator) -> None:
    caller = "99999999-8888-7777-6666-555555555555"
    emu.state.tenant_policy.block_subscriptions_into_tenant = True
    emu.state.tenant_policy.exempted_principals = [caller]
    settings = settings_for(emu, tenant_id=TENANT_ID)
    credential = StaticTestCredential(emu.endpoint, token=unsigned_jwt({"oid": caller}))
    reader = SdkAzureReader(settings, credential)
    try:
        report = check_requests([("r.yaml", make_request("app-one"))], reader, settings)
    finally:
        reader.close()
    assert report.passed, report.findings


def test_an_invisible_tenant_is_refused(emu: Emulator) -> None:
    settings = settings_for(emu, tenant_id="00000000-1111-2222-3333-444444444444")
    with pytest.raises(AzureCheckError, match="is not visible"):
        run_azure_checks(batch(1), settings)

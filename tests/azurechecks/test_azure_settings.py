"""Settings from flags and environment, the credential choice, and the loopback-only static token."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from azure.core.pipeline import Pipeline
from azure.core.pipeline.transport import HttpRequest
from azure.identity import AzureAuthorityHosts, AzurePipelinesCredential, DefaultAzureCredential
from azure_checks_support import unsigned_jwt

from vending.azure import settings_from_env
from vending.azure.credentials import (
    STATIC_TEST_TOKEN,
    SharedTokenCache,
    StaticTestCredential,
    StaticTokenRefusedError,
    authority_for,
    build_credential,
    token_object_id,
)
from vending.azure.pacing import LoopbackOnlyPolicy
from vending.azure.settings import AzureSettings
from vending.errors import AzureCheckError, InputError

PIPELINES_ENV = {
    "SYSTEM_OIDCREQUESTURI": "https://dev.azure.com/org/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken",
    "AZURESUBSCRIPTION_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    "AZURESUBSCRIPTION_CLIENT_ID": "0d5e5c52-1f0e-4a5b-9a8b-111111111111",
    "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": "6a1c7d3e-2222-3333-4444-555555555555",
    "SYSTEM_ACCESSTOKEN": "secret-system-token",
}


def test_defaults_are_public_cloud_with_default_credential() -> None:
    settings = settings_from_env({}, None, None)
    assert settings.arm_endpoint == "https://management.azure.com"
    assert settings.credential == "default"
    assert settings.token_scope == "https://management.azure.com/.default"
    assert settings.ca_bundle is None
    assert settings.max_concurrency == 16


def test_flags_win_over_environment(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("x")
    env = {"VENDING_ARM_ENDPOINT": "https://management.usgovcloudapi.net/", "VENDING_ARM_CA_BUNDLE": "/nope"}
    settings = settings_from_env(env, "https://management.chinacloudapi.cn", str(bundle))
    assert settings.arm_endpoint == "https://management.chinacloudapi.cn"
    assert settings.ca_bundle == bundle.resolve()
    assert settings_from_env(env, None, str(bundle)).arm_endpoint == "https://management.usgovcloudapi.net"


def test_missing_ca_bundle_is_invalid_input() -> None:
    with pytest.raises(InputError, match="--ca-bundle"):
        settings_from_env({"VENDING_ARM_CA_BUNDLE": "/does/not/exist.pem"}, None, None)


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:8443", "https://management.azure.com/sub", "arm"])
def test_endpoint_must_be_https_without_path(endpoint: str) -> None:
    with pytest.raises(InputError, match="--arm-endpoint"):
        settings_from_env({}, endpoint, None)


@pytest.mark.parametrize(
    "endpoint", ["https://127.0.0.1:9443", "https://127.8.9.10", "https://localhost:1", "https://[::1]:8443"]
)
def test_loopback_endpoint_uses_the_static_test_token(endpoint: str) -> None:
    settings = settings_from_env({"AZURE_TENANT_ID": "ignored-for-the-emulator"}, endpoint, None)
    assert settings.credential == "static-test"
    assert settings.tenant_id is None
    assert isinstance(build_credential(settings), StaticTestCredential)


def test_azure_devops_service_connection_selects_pipelines_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PIPELINES_ENV.items():
        monkeypatch.setenv(name, value)
    settings = settings_from_env(PIPELINES_ENV, None, None)
    assert settings.credential == "azure-pipelines"
    assert settings.tenant_id == PIPELINES_ENV["AZURESUBSCRIPTION_TENANT_ID"]
    assert "secret-system-token" not in repr(settings)
    assert isinstance(build_credential(settings), AzurePipelinesCredential)


def test_partial_pipelines_environment_falls_back_to_default() -> None:
    env = {k: v for k, v in PIPELINES_ENV.items() if k != "SYSTEM_ACCESSTOKEN"}
    settings = settings_from_env(env, None, None)
    assert settings.credential == "default"
    assert isinstance(build_credential(settings), DefaultAzureCredential)


@pytest.mark.parametrize(
    ("endpoint", "authority"),
    [
        ("https://management.azure.com", AzureAuthorityHosts.AZURE_PUBLIC_CLOUD),
        ("https://management.usgovcloudapi.net", AzureAuthorityHosts.AZURE_GOVERNMENT),
        ("https://management.chinacloudapi.cn", AzureAuthorityHosts.AZURE_CHINA),
        ("https://management.local.azurestack.external", None),
    ],
)
def test_authority_follows_the_cloud(endpoint: str, authority: str | None) -> None:
    assert authority_for(endpoint) == authority
    assert settings_from_env({}, endpoint, None).token_scope == f"{endpoint}/.default"


def test_static_credential_refuses_a_non_loopback_endpoint() -> None:
    with pytest.raises(AzureCheckError, match="only for a loopback"):
        StaticTestCredential("https://management.azure.com")
    with pytest.raises(InputError, match="static test token"):
        AzureSettings(arm_endpoint="https://management.azure.com", credential="static-test")


@pytest.mark.parametrize(
    "scope",
    [
        "https://management.azure.com/.default",
        "https://10.0.0.1:443/.default",
        "https://127.0.0.1.evil.example/.default",
    ],
)
def test_static_credential_never_hands_the_token_to_other_hosts(scope: str) -> None:
    credential = StaticTestCredential("https://127.0.0.1:8443")
    with pytest.raises(StaticTokenRefusedError):
        credential.get_token(scope)
    assert credential.get_token("https://127.0.0.1:8443/.default", claims="x").token == STATIC_TEST_TOKEN


class _RecordingTransport:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    def send(self, request: Any, **kwargs: Any) -> Any:
        self.sent.append(request)
        raise AssertionError("must not be sent")

    def open(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> _RecordingTransport:
        return self

    def __exit__(self, *args: object) -> None: ...


def test_loopback_only_policy_stops_requests_to_other_hosts() -> None:
    transport = _RecordingTransport()
    pipeline = Pipeline(transport, [LoopbackOnlyPolicy()])  # type: ignore[arg-type]
    with pytest.raises(StaticTokenRefusedError, match=r"management\.azure\.com"):
        pipeline.run(HttpRequest("GET", "https://management.azure.com/subscriptions?api-version=2016-06-01"))
    assert transport.sent == []


def test_token_object_id_reads_the_oid_claim() -> None:
    assert token_object_id(unsigned_jwt({"oid": "ABC-def"})) == "abc-def"
    assert token_object_id(STATIC_TEST_TOKEN) is None
    assert token_object_id("a.!!!.c") is None


def test_shared_token_cache_fetches_once_for_many_threads() -> None:
    inner = StaticTestCredential("https://127.0.0.1:8443")
    cache = SharedTokenCache(inner)
    scope = "https://127.0.0.1:8443/.default"
    with ThreadPoolExecutor(max_workers=16) as pool:
        tokens = list(pool.map(lambda _: cache.get_token(scope).token, range(64)))
    assert set(tokens) == {STATIC_TEST_TOKEN}
    assert inner.calls == 1
    cache.get_token(scope, claims="{}")
    assert inner.calls == 2

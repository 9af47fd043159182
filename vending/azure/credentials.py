"""Credentials for ARM: azure-identity in real clouds, a static token for a loopback emulator only."""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
from typing import Any

from azure.core.credentials import AccessToken, TokenCredential
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import AzureAuthorityHosts, AzurePipelinesCredential, DefaultAzureCredential

from vending.azure.endpoint import connect_host as endpoint_host
from vending.azure.endpoint import is_loopback_host
from vending.azure.settings import AzureSettings
from vending.errors import AzureCheckError

STATIC_TEST_TOKEN = "vending-static-test-token"  # noqa: S105 - accepted only by a loopback emulator
AUTHORITY_HOSTS: dict[str, str] = {
    "management.azure.com": AzureAuthorityHosts.AZURE_PUBLIC_CLOUD,
    "management.usgovcloudapi.net": AzureAuthorityHosts.AZURE_GOVERNMENT,
    "management.chinacloudapi.cn": AzureAuthorityHosts.AZURE_CHINA,
}


class StaticTokenRefusedError(ClientAuthenticationError):
    """The static test token was asked for a resource that is not on a loopback address."""


class StaticTestCredential:
    """Hands out a fixed bearer token, and only for resources on a loopback address."""

    def __init__(self, endpoint: str, token: str = STATIC_TEST_TOKEN) -> None:
        if not is_loopback_host(endpoint_host(endpoint)):
            raise AzureCheckError(
                f"the static test token is only for a loopback ARM endpoint (127.0.0.0/8, ::1, localhost), "
                f"not {endpoint}; use a real Azure credential there"
            )
        self._token = token
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        for scope in scopes:
            host = endpoint_host(scope)
            if not is_loopback_host(host):
                raise StaticTokenRefusedError(
                    message=f"the static test token is never sent to {host or scope!r}: it is for loopback "
                    "endpoints only"
                )
        self.calls += 1
        return AccessToken(self._token, int(time.time()) + 3600)


def authority_for(endpoint: str) -> str | None:
    """The Microsoft Entra authority host of a known cloud's ARM endpoint, else None."""
    return AUTHORITY_HOSTS.get(endpoint_host(endpoint))


def build_credential(settings: AzureSettings) -> TokenCredential:
    """The credential ``settings.credential`` names, pointed at the endpoint's cloud."""
    if settings.credential == "static-test":
        return StaticTestCredential(settings.arm_endpoint)
    options: dict[str, Any] = {}
    authority = authority_for(settings.arm_endpoint)
    if authority is not None:
        options["authority"] = authority
    if settings.credential == "azure-pipelines" and settings.pipelines is not None:
        connection = settings.pipelines
        return AzurePipelinesCredential(
            tenant_id=connection.tenant_id,
            client_id=connection.client_id,
            service_connection_id=connection.service_connection_id,
            system_access_token=connection.system_access_token,
            **options,
        )
    return DefaultAzureCredential(**options)


class SharedTokenCache:
    """One token per scope for the whole run, fetched by one thread at a time.

    The two SDK clients and their worker threads would otherwise each ask the credential (and,
    with the Azure CLI credential, start ``az``) when they first need a token.
    """

    REFRESH_MARGIN = 300

    def __init__(self, inner: TokenCredential) -> None:
        self.inner = inner
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, ...], AccessToken] = {}

    def get_token(
        self, *scopes: str, claims: str | None = None, tenant_id: str | None = None, **kwargs: Any
    ) -> AccessToken:
        if claims or tenant_id:
            return self.inner.get_token(*scopes, claims=claims, tenant_id=tenant_id, **kwargs)
        with self._lock:
            token = self._tokens.get(scopes)
            if token is None or token.expires_on - self.REFRESH_MARGIN < time.time():
                token = self.inner.get_token(*scopes, **kwargs)
                self._tokens[scopes] = token
            return token

    def close(self) -> None:
        close_credential(self.inner)


def close_credential(credential: TokenCredential) -> None:
    close = getattr(credential, "close", None)
    if callable(close):
        close()


def token_object_id(token: str) -> str | None:
    """The ``oid`` claim of a JWT access token (unverified; used only to spot policy exemptions)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error):
        return None
    oid = claims.get("oid") if isinstance(claims, dict) else None
    return oid.lower() if isinstance(oid, str) else None

"""Helpers for the emulator tests: a static credential, SDK clients, raw HTTPS calls."""

from __future__ import annotations

import time
from typing import Any

import requests
from azure.core.credentials import AccessToken
from azure.mgmt.managementgroups import ManagementGroupsMgmtClient
from azure.mgmt.subscription import SubscriptionClient

from vending.emulator import Emulator

TOKEN = "emulator-test-token"


class StaticCredential:
    """A test credential: always the same bearer token. Only ever pointed at the emulator."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.calls += 1
        return AccessToken(self.token, int(time.time()) + 3600)


def subscription_client(emu: Emulator, credential: Any = None, **kwargs: Any) -> SubscriptionClient:
    return SubscriptionClient(
        credential or StaticCredential(),
        base_url=emu.endpoint,
        connection_verify=str(emu.ca_bundle),
        **kwargs,
    )


def groups_client(emu: Emulator, credential: Any = None, **kwargs: Any) -> ManagementGroupsMgmtClient:
    return ManagementGroupsMgmtClient(
        credential or StaticCredential(),
        base_url=emu.endpoint,
        connection_verify=str(emu.ca_bundle),
        **kwargs,
    )


class Http:
    """Raw HTTPS calls to the emulator with the test token (for what the SDK hides)."""

    def __init__(self, emu: Emulator, token: str | None = TOKEN) -> None:
        self.emu = emu
        self.session = requests.Session()
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise override ``verify``
        self.session.verify = str(emu.ca_bundle)
        if token is not None:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, api_version: str | None = None, **kwargs: Any) -> requests.Response:
        params = dict(kwargs.pop("params", {}))
        if api_version is not None:
            params["api-version"] = api_version
        return self.session.request(method, self.emu.endpoint + path, params=params, timeout=30, **kwargs)

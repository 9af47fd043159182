"""Helpers for the Azure check tests: requests, settings for an emulator, and a fake reader."""

from __future__ import annotations

import base64
import json
from collections import Counter
from typing import Any, TypeVar

from testing.requests import DROP, request_data

from vending.azure.models import (
    AliasInfo,
    AzureReadError,
    BillingPolicyInfo,
    SubscriptionInfo,
    TenantInfo,
    TenantPolicyInfo,
)
from vending.azure.report import ReadUsage
from vending.azure.settings import AzureSettings
from vending.emulator import Emulator
from vending.emulator.data import EA_SCOPE, TENANT_ID
from vending.request.model import Request

T = TypeVar("T")
OWNER = "11111111-2222-3333-4444-555555555555"


def make_request(name: str = "app-one", **fields: Any) -> Request:
    """A valid request creating a subscription the emulator knows how to check; ``fields`` override
    (None removes a key)."""
    emulated = {
        "displayName": f"Display {name}",
        "billingScope": EA_SCOPE,
        "managementGroup": "mg-online",
        "owners": [{"principalId": OWNER, "principalType": "Group"}],
        "requestedBy": "dev@example.com",
    }
    dropped = {key: DROP if value is None else value for key, value in fields.items()}
    return Request.model_validate(request_data(name, **{**emulated, **dropped}))


def adopt_request(name: str, subscription_id: str, **fields: Any) -> Request:
    return make_request(name, billingScope=None, subscriptionId=subscription_id, **fields)


def settings_for(emu: Emulator, **overrides: Any) -> AzureSettings:
    return AzureSettings(arm_endpoint=emu.endpoint, ca_bundle=emu.ca_bundle, credential="static-test", **overrides)


def unsigned_jwt(claims: dict[str, str]) -> str:
    def part(value: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part(claims)}.sig"


class FakeReader:
    """An in-memory ``AzureReader``; set attributes to shape the answers, read ``calls``."""

    def __init__(self) -> None:
        self.tenants = [TenantInfo(TENANT_ID)]
        self.subscriptions = [
            SubscriptionInfo("00000000-0000-0000-0000-0000000000aa", "Platform Management", "Enabled")
        ]
        self.locations = ["westeurope", "northeurope"]
        self.groups: dict[str, bool | AzureReadError] = {"mg-online": True}
        self.aliases: dict[str, AliasInfo | AzureReadError] = {}
        self.tenant_policy: TenantPolicyInfo | AzureReadError = TenantPolicyInfo()
        self.billing: dict[str, BillingPolicyInfo | AzureReadError] = {}
        self.caller: str | None = None
        self.calls: Counter[str] = Counter()

    def _count(self, what: str) -> None:
        self.calls[what] += 1

    def list_tenants(self) -> list[TenantInfo]:
        self._count("tenants.list")
        return self.tenants

    def list_subscriptions(self) -> list[SubscriptionInfo]:
        self._count("subscriptions.list")
        return self.subscriptions

    def get_subscription(self, subscription_id: str) -> SubscriptionInfo | None:
        self._count("subscriptions.get")
        return next((s for s in self.subscriptions if s.subscription_id == subscription_id), None)

    def list_locations(self, subscription_id: str) -> list[str]:
        self._count("subscriptions.list_locations")
        return self.locations

    def management_group_exists(self, group_id: str) -> bool:
        self._count("management_groups.get")
        return _answer(self.groups.get(group_id, False))

    def get_alias(self, name: str) -> AliasInfo | None:
        self._count("alias.get")
        return _answer(self.aliases.get(name))

    def get_tenant_policy(self) -> TenantPolicyInfo:
        self._count("subscription_policy.get_policy_for_tenant")
        return _answer(self.tenant_policy)

    def get_billing_account_policy(self, billing_account: str) -> BillingPolicyInfo:
        self._count("billing_account.get_policy")
        return _answer(self.billing.get(billing_account, BillingPolicyInfo(True)))

    def caller_object_id(self) -> str | None:
        return self.caller

    def usage(self) -> ReadUsage:
        return ReadUsage(dict(self.calls), http_requests=sum(self.calls.values()))


def _answer(value: T | AzureReadError) -> T:
    if isinstance(value, AzureReadError):
        raise value
    return value

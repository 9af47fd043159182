"""The emulator's state, state file, buckets and fault draws, without sockets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from vending.emulator import (
    BucketLimit,
    EmulatorConfig,
    ThrottleLimits,
    default_state,
    load_state,
    state_from_document,
    store,
)
from vending.emulator.app import Application
from vending.emulator.data import EA_SCOPE, HUB_NETWORK_ID, MCA_SCOPE, TENANT_ID
from vending.emulator.statefile import save_state
from vending.emulator.stats import Stats
from vending.emulator.throttle import FaultInjector, Throttle, TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_default_state_is_the_contract() -> None:
    state = default_state()
    assert state.tenant_id == TENANT_ID
    assert state.root_group == TENANT_ID
    assert {group.name for group in state.groups.values()} == {
        TENANT_ID,
        "mg-platform",
        "mg-corp-dev",
        "mg-corp-prod",
        "mg-online",
        "mg-sandbox",
    }
    assert state.billing_scopes == {EA_SCOPE, MCA_SCOPE}
    subs = {sub.display_name: (sub.subscription_id, sub.state) for sub in state.subscriptions.values()}
    assert subs == {
        "Platform Management": ("00000000-0000-0000-0000-0000000000aa", "Enabled"),
        "Legacy App": ("00000000-0000-0000-0000-0000000000bb", "Disabled"),
    }
    alias = state.alias("platform-management")
    assert alias is not None and alias.subscription_id == "00000000-0000-0000-0000-0000000000aa"
    assert state.locations == [
        "westeurope",
        "northeurope",
        "uksouth",
        "swedencentral",
        "eastus",
        "eastus2",
        "westus3",
        "australiaeast",
    ]


def test_seeded_ids_are_reproducible() -> None:
    first = [sub.subscription_id for sub in default_state(seed=5).seed_subscriptions(3)]
    again = [sub.subscription_id for sub in default_state(seed=5).seed_subscriptions(3)]
    assert first == again
    assert len(set(first)) == 3


def test_state_document_adds_to_default() -> None:
    document = {
        "managementGroups": [{"name": "mg-apps", "parent": "mg-online"}],
        "billingScopes": ["/providers/Microsoft.Billing/billingAccounts/9/customers/c1"],
        "subscriptions": [
            {
                "subscriptionId": "11111111-1111-1111-1111-111111111111",
                "displayName": "Apps",
                "managementGroup": "mg-apps",
                "resourceCount": 2,
                "providers": {"Microsoft.Compute": "Registered"},
            },
        ],
        "aliases": [{"name": "apps", "subscriptionId": "11111111-1111-1111-1111-111111111111"}],
        "tenantPolicy": {"blockSubscriptionsIntoTenant": True},
    }
    state = state_from_document(document)
    assert state.group("mg-apps") is not None and state.group("mg-apps").parent == "mg-online"  # type: ignore[union-attr]
    sub = state.subscription("11111111-1111-1111-1111-111111111111")
    assert sub is not None and (sub.resource_count, sub.management_group) == (2, "mg-apps")
    assert sub.providers == {"microsoft.compute": "Registered"}
    assert state.alias("apps").display_name == "Apps"  # type: ignore[union-attr]
    assert state.alias("platform-management") is not None
    assert state.tenant_policy.block_subscriptions_into_tenant is True
    assert "9" in state.billing_accounts


def test_empty_base_has_only_the_root_group() -> None:
    state = state_from_document({"base": "empty", "tenant": {"id": "22222222-2222-2222-2222-222222222222"}})
    assert list(state.groups) == ["22222222-2222-2222-2222-222222222222"]
    assert state.subscriptions == {} and state.aliases == {} and state.billing_scopes == set()


@pytest.mark.parametrize(
    "document",
    [
        {"subscription": []},
        {"subscriptions": [{"subscriptionId": "x", "displayName": "y", "state": "Frozen"}]},
        {"subscriptions": [{"subscriptionId": "x", "displayName": "y", "managementGroup": "mg-nope"}]},
        {"base": "something"},
    ],
)
def test_state_document_is_checked(document: dict[str, Any]) -> None:
    with pytest.raises((ValidationError, ValueError)):
        state_from_document(document)


def test_pending_alias_settles_after_polls() -> None:
    state = default_state()
    alias = state.alias("platform-management")
    assert alias is not None
    alias.provisioning_state, alias.polls_left = "Accepted", 2
    seen = [state.observe_alias(alias).provisioning_state for _ in range(3)]
    assert seen == ["Accepted", "Accepted", "Succeeded"]


def test_token_bucket_refills_and_computes_retry_after() -> None:
    clock = FakeClock()
    bucket = TokenBucket(BucketLimit(capacity=2, refill_per_second=0.25), clock)
    assert [bucket.take(), bucket.take(), bucket.take()] == [True, True, False]
    assert bucket.retry_after() == 4
    clock.now += 2
    assert bucket.take() is False and bucket.retry_after() == 2
    clock.now += 2
    assert bucket.take() is True


def test_throttle_keeps_principals_and_kinds_apart() -> None:
    limits = ThrottleLimits(reads=BucketLimit(1, 1), writes=BucketLimit(1, 1), deletes=BucketLimit(1, 1))
    throttle = Throttle(EmulatorConfig(throttle=True, limits=limits), FakeClock())
    assert throttle.admit("a", "GET").allowed and not throttle.admit("a", "GET").allowed
    assert throttle.admit("b", "GET").allowed
    assert throttle.admit("a", "PUT").allowed and throttle.admit("a", "DELETE").allowed
    assert throttle.admit("a", "POST").allowed is False


def test_disabled_throttle_reports_full_buckets() -> None:
    throttle = Throttle(EmulatorConfig())
    verdicts = [throttle.admit("a", "GET") for _ in range(300)]
    assert all(verdict.allowed and verdict.remaining == 250 for verdict in verdicts)


def test_fault_draws_are_seeded() -> None:
    config = EmulatorConfig(fail_rate=0.5, seed=42)
    first = [FaultInjector(config).draw() for _ in range(1)]
    one, two = FaultInjector(config), FaultInjector(config)
    draws = [one.draw() for _ in range(50)]
    assert draws == [two.draw() for _ in range(50)]
    assert first == draws[:1]
    assert 10 < sum(draw is not None for draw in draws) < 40
    assert set(draws) <= {None, "500", "503", "429", "reset"}
    assert FaultInjector(EmulatorConfig()).draw() is None


@pytest.mark.parametrize(
    "settings",
    [{"polling": "push"}, {"fail_rate": 1.5}, {"page_size": 0}, {"fault_kinds": ("teapot",)}, {"polls": -1}],
)
def test_config_rejects_bad_settings(settings: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        EmulatorConfig(**settings)


def test_method_not_allowed_and_bad_json() -> None:
    app = Application(default_state(), EmulatorConfig(), Stats())
    auth = {"Authorization": "Bearer t"}
    wrong = app.respond("DELETE", "/tenants?api-version=2016-06-01", auth, b"")
    assert wrong is not None and wrong.status == 405
    bad = app.respond("PUT", "/providers/Microsoft.Subscription/aliases/a?api-version=2021-10-01", auth, b"{nope")
    assert bad is not None and (bad.status, bad.body["error"]["code"]) == (400, "InvalidRequestContent")


def test_state_file_resources_and_round_trip(tmp_path: Path) -> None:
    group = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-x"
    vnet = f"{group}/providers/Microsoft.Network/virtualNetworks/v"
    document = {
        "resources": [
            {"id": vnet.split("/providers/")[0], "type": "Microsoft.Resources/resourceGroups", "location": "uksouth"},
            {
                "id": vnet,
                "type": "Microsoft.Network/virtualNetworks",
                "location": "uksouth",
                "properties": {"addressSpace": {"addressPrefixes": ["10.9.0.0/16"]}},
            },
        ]
    }
    state = state_from_document(document)
    loaded = store.get(state, vnet)
    assert loaded is not None and loaded["properties"]["provisioningState"] == "Succeeded"
    assert store.get(state, "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/NetworkWatcherRG")
    path = tmp_path / "state.json"
    save_state(state, path)
    again = load_state(path)
    assert again.resources == state.resources
    assert again.subscriptions.keys() == state.subscriptions.keys()
    assert {key: sub.billing_scope for key, sub in again.subscriptions.items()} == {
        key: sub.billing_scope for key, sub in state.subscriptions.items()
    }
    assert again.aliases.keys() == state.aliases.keys() and again.groups.keys() == state.groups.keys()


def test_default_state_has_the_hub_network() -> None:
    state = default_state()
    hub = store.get(state, HUB_NETWORK_ID)
    assert hub is not None
    assert (hub["location"], hub["properties"]["addressSpace"]["addressPrefixes"]) == ("westeurope", ["10.0.0.0/16"])

"""The emulator through the real Azure SDK over HTTPS, as the pre-flight checks will use it."""

from __future__ import annotations

from typing import Any, TypeVar

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError
from azure.mgmt.subscription.models import (
    PutAliasRequest,
    PutAliasRequestAdditionalProperties,
    PutAliasRequestProperties,
    PutTenantPolicyRequestProperties,
    SubscriptionName,
)
from emulator_support import StaticCredential, groups_client, subscription_client

from vending.emulator import BucketLimit, Emulator, ThrottleLimits, run_emulator
from vending.emulator.data import (
    EA_SCOPE,
    LEGACY_SUBSCRIPTION_ID,
    LOCATION_NAMES,
    PLATFORM_SUBSCRIPTION_ID,
    TENANT_ID,
)

T = TypeVar("T")


def present(value: T | None) -> T:
    assert value is not None
    return value


def alias_request(display_name: str, group: str | None = "mg-online", **extra: Any) -> PutAliasRequest:
    return PutAliasRequest(
        properties=PutAliasRequestProperties(
            display_name=display_name,
            workload="Production",
            billing_scope=EA_SCOPE,
            additional_properties=PutAliasRequestAdditionalProperties(
                management_group_id=group, tags={"costCenter": "42"}
            ),
            **extra,
        )
    )


def test_tenants_list(emu: Emulator) -> None:
    tenants = list(subscription_client(emu).tenants.list())
    assert [tenant.tenant_id for tenant in tenants] == [TENANT_ID]


def test_subscriptions_list_follows_next_links(emu: Emulator) -> None:
    emu.state.seed_subscriptions(120)
    subscriptions = list(subscription_client(emu).subscriptions.list())
    assert len(subscriptions) == 122
    assert len({sub.subscription_id for sub in subscriptions}) == 122
    assert emu.stats.count("GET", "/subscriptions") == 3


def test_subscription_get_and_states(emu: Emulator) -> None:
    client = subscription_client(emu)
    assert client.subscriptions.get(PLATFORM_SUBSCRIPTION_ID).state == "Enabled"
    assert client.subscriptions.get(LEGACY_SUBSCRIPTION_ID).state == "Disabled"
    with pytest.raises(ResourceNotFoundError) as caught:
        client.subscriptions.get("11111111-1111-1111-1111-111111111111")
    assert caught.value.error is not None
    assert caught.value.error.code == "SubscriptionNotFound"


def test_list_locations(emu: Emulator) -> None:
    locations = list(subscription_client(emu).subscriptions.list_locations(PLATFORM_SUBSCRIPTION_ID))
    assert [location.name for location in locations] == list(LOCATION_NAMES)
    assert locations[0].display_name == "West Europe"


def test_alias_get_absent_and_present(emu: Emulator) -> None:
    client = subscription_client(emu)
    with pytest.raises(ResourceNotFoundError):
        client.alias.get("not-vended-yet")
    existing = client.alias.get("platform-management")
    assert present(existing.properties).subscription_id == PLATFORM_SUBSCRIPTION_ID
    assert present(existing.properties).provisioning_state == "Succeeded"


@pytest.mark.parametrize("polling", ["body", "location"])
def test_alias_create_polls_until_succeeded(polling: str) -> None:
    with run_emulator(polling=polling, polls=2, retry_after=0, seed=1) as emu:
        client = subscription_client(emu)
        poller = client.alias.begin_create("app-one", alias_request("App One"), polling_interval=0)
        result = poller.result()
        assert poller.status() == "Succeeded"
        if polling == "body":
            assert present(result.properties).provisioning_state == "Succeeded"
            assert emu.stats.count("GET", "/providers/Microsoft.Subscription/aliases/app-one") == 3
        else:
            assert result.properties is None  # the SDK deserializes {"subscriptionLink"}: re-read the alias
        alias = present(client.alias.get("app-one").properties)
        assert alias.provisioning_state == "Succeeded"
        subscription_id = str(alias.subscription_id)
        created = vars(client.subscriptions.get(subscription_id))
        assert (created["display_name"], created["state"]) == ("App One", "Enabled")
        groups = groups_client(emu).management_group_subscriptions
        assert groups.get_subscription("mg-online", subscription_id).name == subscription_id


def test_alias_pending_subscription_is_not_listed_yet(emu: Emulator) -> None:
    client = subscription_client(emu)
    client.alias.begin_create("pending", alias_request("Pending App"), polling=False)
    names = {sub.display_name for sub in client.subscriptions.list()}
    assert "Pending App" not in names
    emu.state.settle_all()
    assert "Pending App" in {sub.display_name for sub in client.subscriptions.list()}


def test_alias_re_put_returns_stored_resource(emu: Emulator) -> None:
    client = subscription_client(emu)
    first = client.alias.begin_create("app-two", alias_request("App Two"), polling_interval=0).result()
    again = client.alias.begin_create("app-two", alias_request("Renamed"), polling_interval=0).result()
    assert present(again.properties).display_name == "App Two"
    assert present(again.properties).subscription_id == present(first.properties).subscription_id


def test_alias_create_rejects_missing_display_name(emu: Emulator) -> None:
    body = PutAliasRequest(properties=PutAliasRequestProperties(workload="Production", billing_scope=EA_SCOPE))
    with pytest.raises(HttpResponseError) as caught:
        subscription_client(emu).alias.begin_create("bad", body, polling_interval=0)
    assert caught.value.status_code == 400
    assert caught.value.error is not None
    assert caught.value.error.code == "MissingParameter"
    assert "DisplayName" in str(caught.value.error.message)


def test_alias_delete_keeps_subscription(emu: Emulator) -> None:
    client = subscription_client(emu)
    client.alias.delete("platform-management")
    with pytest.raises(ResourceNotFoundError):
        client.alias.get("platform-management")
    assert client.subscriptions.get(PLATFORM_SUBSCRIPTION_ID).state == "Enabled"
    client.alias.delete("platform-management")  # 204 when absent: no error


def test_cancel_rename_enable(emu: Emulator) -> None:
    client = subscription_client(emu)
    sub_id = emu.state.add_subscription("Empty").subscription_id  # the platform subscription holds the hub
    assert client.subscription.rename(sub_id, SubscriptionName(subscription_name="Renamed")) is not None
    assert client.subscriptions.get(sub_id).display_name == "Renamed"
    cancelled = client.subscription.cancel(sub_id)
    assert cancelled.subscription_id == sub_id
    assert client.subscriptions.get(sub_id).state == "Disabled"
    assert client.subscription.enable(sub_id).subscription_id == sub_id
    assert client.subscriptions.get(sub_id).state == "Enabled"


def test_cancel_refused_while_resources_exist(emu: Emulator) -> None:
    busy = emu.state.add_subscription("Busy", resource_count=3)
    with pytest.raises(HttpResponseError) as caught:
        subscription_client(emu).subscription.cancel(busy.subscription_id)
    assert caught.value.status_code == 400
    assert caught.value.error is not None
    assert caught.value.error.code == "ResourcesExistingOnSubscription"
    assert busy.state == "Enabled"


def test_management_group_exists_or_forbidden(emu: Emulator) -> None:
    client = groups_client(emu)
    group = client.management_groups.get("mg-corp-prod")
    assert group.name == "mg-corp-prod"
    assert present(present(present(group.properties).details).parent).name == TENANT_ID
    with pytest.raises(HttpResponseError) as caught:
        client.management_groups.get("mg-missing")
    assert caught.value.status_code == 403
    assert "AuthorizationFailed" in str(caught.value)
    assert (
        str(caught.value.message)
        .rstrip()
        .endswith("or the scope is invalid. If access was recently granted, please refresh your credentials.")
    )


def test_tenant_and_billing_account_policies(emu: Emulator) -> None:
    client = subscription_client(emu)
    policy = present(client.subscription_policy.get_policy_for_tenant().properties)
    assert policy.block_subscriptions_into_tenant is False
    principal = "e879cf0f-2b4d-5431-109a-f72fc9868693"
    changed = client.subscription_policy.add_update_policy_for_tenant(
        PutTenantPolicyRequestProperties(block_subscriptions_into_tenant=True, exempted_principals=[principal])
    )
    assert present(changed.properties).block_subscriptions_into_tenant is True
    listed = list(client.subscription_policy.list_policy_for_tenant())
    assert present(listed[0].properties).exempted_principals == [principal]
    assert present(client.billing_account.get_policy("1234567").properties).allow_transfers is True


def test_wrong_or_missing_token_is_401() -> None:
    with run_emulator(token="only-this-one") as emu:
        with pytest.raises(ClientAuthenticationError):
            next(iter(subscription_client(emu, StaticCredential("another-token")).tenants.list()))
        assert list(subscription_client(emu, StaticCredential("only-this-one")).tenants.list())
        assert emu.stats.snapshot()["by_status"] == {401: 1, 200: 1}


def test_throttled_burst_gets_429_then_sdk_retries_succeed() -> None:
    limits = ThrottleLimits(reads=BucketLimit(capacity=5, refill_per_second=5))
    with run_emulator(throttle=True, limits=limits) as emu:
        client = subscription_client(emu)
        states = [client.subscriptions.get(PLATFORM_SUBSCRIPTION_ID).state for _ in range(8)]
        assert states == ["Enabled"] * 8
        assert emu.stats.throttled >= 1
        assert emu.stats.by_status[200] == 8


def test_sdk_rides_out_injected_faults() -> None:
    with run_emulator(fail_rate=0.3, seed=11, fault_kinds=("500", "503", "reset")) as emu:
        client = subscription_client(emu, retry_backoff_factor=0.01)
        names = [client.subscriptions.get(PLATFORM_SUBSCRIPTION_ID).display_name for _ in range(10)]
        assert names == ["Platform Management"] * 10
        assert sum(emu.stats.faults.values()) >= 1

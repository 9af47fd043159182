"""The emulator's default state, as docs/emulator.md describes it: tenant, management groups, billing scopes,
the platform and legacy subscriptions, and the hub network."""

from __future__ import annotations

from vending.emulator import data, network
from vending.emulator.state import Alias, EmulatorState


def default_state(seed: int | None = None, tenant_id: str = data.TENANT_ID) -> EmulatorState:
    """The emulator's documented default state (docs/emulator.md)."""
    state = EmulatorState(tenant_id, seed)
    for name, display_name in data.MANAGEMENT_GROUPS:
        state.add_management_group(name, display_name)
    for scope in data.BILLING_SCOPES:
        state.accept_billing_scope(scope)
    platform = state.add_subscription(
        "Platform Management", data.PLATFORM_SUBSCRIPTION_ID, management_group="mg-platform"
    )
    platform.billing_scope = data.EA_SCOPE
    platform.providers["microsoft.network"] = "Registered"
    hub_group = f"/subscriptions/{data.PLATFORM_SUBSCRIPTION_ID}/resourceGroups/{data.HUB_RESOURCE_GROUP}"
    network.add_resource_group(state, hub_group, data.HUB_LOCATION)
    network.add_virtual_network(state, data.HUB_NETWORK_ID, data.HUB_LOCATION, data.HUB_ADDRESS_SPACE)
    state.add_subscription("Legacy App", data.LEGACY_SUBSCRIPTION_ID, state="Disabled")
    state.add_alias(
        Alias(
            name="platform-management",
            subscription_id=data.PLATFORM_SUBSCRIPTION_ID,
            display_name="Platform Management",
            workload="Production",
            billing_scope=data.EA_SCOPE,
            management_group_id="mg-platform",
            created_time="2024-01-15T09:00:00.000000Z",
        )
    )
    return state

"""Virtual networks and peerings as stored documents, and the rules that tie the two sides together.

A peering reads ``Initiated`` until the remote network has a peering back, then both read
``Connected``; when one side goes away the other reads ``Disconnected``. The first virtual network
of a subscription in a region makes Azure create ``NetworkWatcherRG`` with a network watcher.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from vending.emulator import data, store
from vending.emulator.protocol import JsonObject, bad_request
from vending.emulator.state import EmulatorState

VNET_TYPE = "Microsoft.Network/virtualNetworks"
PEERING_TYPE = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
WATCHER_TYPE = "Microsoft.Network/networkWatchers"
GROUP_TYPE = "Microsoft.Resources/resourceGroups"
GROUP_TYPE = "Microsoft.Resources/resourceGroups"
WATCHER_GROUP = data.NETWORK_WATCHER_GROUP
PEERING_FLAGS = ("allowVirtualNetworkAccess", "allowForwardedTraffic", "allowGatewayTransit", "useRemoteGateways")


def etag(state: EmulatorState) -> str:
    return f'W/"{state.new_id()}"'


def address_prefixes(value: Any) -> list[str]:
    """Valid CIDR prefixes (host bits zero); 400 InvalidAddressPrefix otherwise."""
    prefixes = value.get("addressPrefixes") if isinstance(value, dict) else None
    if not isinstance(prefixes, list) or not prefixes:
        raise bad_request("InvalidAddressSpace", "The virtual network must have at least one address prefix.")
    for prefix in prefixes:
        try:
            ipaddress.ip_network(str(prefix), strict=True)
        except ValueError as error:
            raise bad_request("InvalidAddressPrefix", f"The address prefix {prefix} is not valid: {error}.") from error
    return [str(prefix) for prefix in prefixes]


def overlaps(left: list[str], right: list[str]) -> bool:
    networks = [ipaddress.ip_network(prefix) for prefix in right]
    return any(ipaddress.ip_network(prefix).overlaps(other) for prefix in left for other in networks)


def vnet_json(state: EmulatorState, resource_id: str, location: str, properties: JsonObject) -> JsonObject:
    name = resource_id.rstrip("/").rsplit("/", 1)[-1]
    return {
        "id": resource_id,
        "name": name,
        "type": VNET_TYPE,
        "location": location,
        "etag": etag(state),
        "tags": {},
        "properties": {
            "provisioningState": "Succeeded",
            "resourceGuid": state.new_id(),
            "addressSpace": {"addressPrefixes": address_prefixes(properties.get("addressSpace"))},
            "enableDdosProtection": bool(properties.get("enableDdosProtection", False)),
            "subnets": [],
            "virtualNetworkPeerings": [],
        },
    }


def add_virtual_network(
    state: EmulatorState, resource_id: str, location: str, prefixes: tuple[str, ...] | list[str]
) -> JsonObject:
    """Store a virtual network (and the network watcher Azure adds for its region)."""
    document = store.put(
        state, vnet_json(state, resource_id, location, {"addressSpace": {"addressPrefixes": list(prefixes)}})
    )
    ensure_network_watcher(state, resource_id, location)
    return document


def add_resource_group(state: EmulatorState, group_id: str, location: str) -> JsonObject:
    """The resource group ``group_id``, stored first when it does not exist yet."""
    existing = store.get(state, group_id)
    if existing is not None:
        return existing
    name = group_id.rstrip("/").rsplit("/", 1)[-1]
    group = {"id": group_id, "name": name, "type": GROUP_TYPE, "location": location, "tags": {}}
    return store.put(state, {**group, "properties": {"provisioningState": "Succeeded"}})


def ensure_network_watcher(state: EmulatorState, vnet_id: str, location: str) -> None:
    """Azure's ``NetworkWatcherRG`` and the region's ``NetworkWatcher_{location}``, created when missing."""
    subscription = store.parse_id(vnet_id).subscription
    group_id = f"/subscriptions/{subscription}/resourceGroups/{WATCHER_GROUP}"
    watcher_id = f"{group_id}/providers/{WATCHER_TYPE}/NetworkWatcher_{location}"
    add_resource_group(state, group_id, location)
    if store.get(state, watcher_id) is None:
        watcher = {"id": watcher_id, "name": f"NetworkWatcher_{location}", "type": WATCHER_TYPE}
        store.put(
            state,
            {
                **watcher,
                "location": location,
                "etag": etag(state),
                "tags": {},
                "properties": {"provisioningState": "Succeeded"},
            },
        )


def peering_json(state: EmulatorState, resource_id: str, properties: JsonObject) -> JsonObject:
    remote = properties.get("remoteVirtualNetwork")
    remote_id = remote.get("id") if isinstance(remote, dict) else None
    if not isinstance(remote_id, str) or not remote_id:
        raise bad_request("InvalidRequestFormat", "The peering must name a remoteVirtualNetwork id.")
    flags = {flag: bool(properties.get(flag, flag == "allowVirtualNetworkAccess")) for flag in PEERING_FLAGS}
    return {
        "id": resource_id,
        "name": resource_id.rsplit("/", 1)[-1],
        "type": PEERING_TYPE,
        "etag": etag(state),
        "properties": {
            **flags,
            "remoteVirtualNetwork": {"id": remote_id},
            "peeringState": "Initiated",
            "peeringSyncLevel": "FullyInSync",
            "provisioningState": "Succeeded",
            "resourceGuid": state.new_id(),
            "doNotVerifyRemoteGateways": False,
        },
    }


def vnet_of(peering_id: str) -> str:
    return peering_id.rsplit("/virtualNetworkPeerings/", 1)[0]


def _peers_back(state: EmulatorState, remote_id: str, local_id: str) -> bool:
    return any(
        store.normalize(peering["properties"]["remoteVirtualNetwork"]["id"]).lower() == local_id.lower()
        for peering in store.below(state, remote_id, PEERING_TYPE)
    )


def refresh_peerings(state: EmulatorState) -> None:
    """Recompute every peering's state and remote address space, and each network's peering list."""
    for peering in store.of_type(state, PEERING_TYPE):
        properties = peering["properties"]
        local_id = vnet_of(peering["id"])
        remote = store.get(state, properties["remoteVirtualNetwork"]["id"])
        if remote is not None and _peers_back(state, remote["id"], local_id):
            properties["peeringState"] = "Connected"
        elif properties["peeringState"] != "Initiated" or remote is None:
            properties["peeringState"] = "Disconnected"
        if remote is not None:
            space = {"addressPrefixes": list(remote["properties"]["addressSpace"]["addressPrefixes"])}
            properties["remoteAddressSpace"] = space
            properties["remoteVirtualNetworkAddressSpace"] = dict(space)
    for vnet in store.of_type(state, VNET_TYPE):
        vnet["properties"]["virtualNetworkPeerings"] = store.below(state, vnet["id"], PEERING_TYPE)

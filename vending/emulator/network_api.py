"""Handlers: virtual networks (create or update with subnets, read, tag, delete, list) and network watchers."""

from __future__ import annotations

import copy
import ipaddress
from typing import Any

from vending.emulator import checks, lro, network, scopes, store
from vending.emulator.protocol import (
    ApiRequest,
    ApiResponse,
    ArmError,
    Context,
    JsonObject,
    bad_request,
    body_object,
    ok,
    page,
)

NAMESPACE = "Microsoft.Network"


def vnet_id(request: ApiRequest) -> str:
    params = request.params
    group = scopes.group_id(params["subscription"], params["rg"])
    return f"{group}/providers/{network.VNET_TYPE}/{params['vnet']}"


def existing_vnet(ctx: Context, request: ApiRequest) -> JsonObject:
    """The network the request names; 404 for a missing group or network."""
    scopes.resource_group(ctx, request.params["subscription"], request.params["rg"])
    found = store.get(ctx.state, vnet_id(request))
    if found is None:
        raise scopes.resource_not_found(vnet_id(request))
    return found


def writable_network(ctx: Context, request: ApiRequest) -> None:
    """The subscription is writable and registered for Microsoft.Network; the group exists."""
    sub = scopes.writable(scopes.subscription(ctx, request.params["subscription"]))
    scopes.resource_group(ctx, request.params["subscription"], request.params["rg"])
    scopes.registered(sub, NAMESPACE)


def accepted(ctx: Context, request: ApiRequest, document: JsonObject, status: int) -> ApiResponse:
    """The answer to a PUT: the resource, ``Updating`` while its operation runs, and the status URL."""
    body = store.snapshot(document)
    if ctx.config.polls > 0:
        body["properties"]["provisioningState"] = "Updating"
    location = str(document.get("location") or _location_of(ctx, document["id"]))
    headers = lro.network_headers(ctx, request, request.params["subscription"], location)
    return ApiResponse(status, body, headers)


def _location_of(ctx: Context, resource_id: str) -> str:
    parent = store.get(ctx.state, network.vnet_of(resource_id))
    return str(parent["location"]) if parent else ctx.state.locations[0]


def _subnets(vnet: JsonObject, given: Any) -> list[JsonObject]:
    """The subnets of a PUT body, each inside the network's address space."""
    if given is None:
        return []
    if not isinstance(given, list) or not all(isinstance(subnet, dict) for subnet in given):
        raise bad_request("InvalidRequestFormat", "subnets must be a list of objects.")
    return [_subnet(vnet, subnet) for subnet in given]


def _subnet(vnet: JsonObject, given: JsonObject) -> JsonObject:
    name = str(given.get("name", ""))
    subnet_id = f"{vnet['id']}/subnets/{name}"
    properties = copy.deepcopy(given.get("properties") or {})
    spaces = [ipaddress.ip_network(prefix) for prefix in vnet["properties"]["addressSpace"]["addressPrefixes"]]
    for prefix in properties.get("addressPrefixes") or [properties.get("addressPrefix")]:
        _inside(str(prefix), spaces, name)
    properties["provisioningState"] = "Succeeded"
    _complete_subnet(properties, subnet_id, vnet["location"])
    subnet_type = "Microsoft.Network/virtualNetworks/subnets"
    return {"id": subnet_id, "name": name, "etag": vnet["etag"], "type": subnet_type, "properties": properties}


def _complete_subnet(properties: JsonObject, subnet_id: str, location: str) -> None:
    """What Azure adds to a subnet's service endpoints and delegations."""
    for endpoint in properties.get("serviceEndpoints") or []:
        endpoint.setdefault("locations", [location])
        endpoint["provisioningState"] = "Succeeded"
    for delegation in properties.get("delegations") or []:
        delegation["id"] = f"{subnet_id}/delegations/{delegation.get('name', '')}"
        delegation.setdefault("properties", {}).setdefault("actions", [])
        delegation["properties"]["provisioningState"] = "Succeeded"


def _inside(prefix: str, spaces: list[ipaddress.IPv4Network | ipaddress.IPv6Network], name: str) -> None:
    try:
        subnet = ipaddress.ip_network(prefix, strict=True)
    except ValueError as error:
        raise bad_request("InvalidAddressPrefix", f"Subnet '{name}': {prefix} is not a valid prefix.") from error
    if not any(subnet.version == space.version and subnet.subnet_of(space) for space in spaces):  # type: ignore[arg-type]
        raise bad_request(
            "NetcfgSubnetRangeOutsideVnet",
            f"Subnet '{name}' is not valid because its IP address range is outside the IP address range of "
            "the virtual network.",
        )


def _check_peered_overlap(ctx: Context, document: JsonObject, prefixes: list[str]) -> None:
    for peering in store.below(ctx.state, document["id"], network.PEERING_TYPE):
        remote = store.get(ctx.state, peering["properties"]["remoteVirtualNetwork"]["id"])
        if remote and network.overlaps(prefixes, remote["properties"]["addressSpace"]["addressPrefixes"]):
            raise bad_request(
                "VnetAddressSpacesOverlap",
                f"Cannot update the address space of {document['id']}: it overlaps with the address space of "
                f"the peered virtual network {remote['id']}.",
            )


def _given_properties(request: ApiRequest) -> tuple[JsonObject, JsonObject]:
    body = body_object(request)
    properties = body.get("properties")
    if not isinstance(properties, dict):
        raise bad_request("InvalidRequestFormat", "The request must carry the network's properties.")
    return body, copy.deepcopy(properties)


def put_vnet(ctx: Context, request: ApiRequest) -> ApiResponse:
    writable_network(ctx, request)
    checks.resource_name(request.params["vnet"], "virtual network")
    body, given = _given_properties(request)
    location = scopes.location(ctx, body.get("location"), "LocationNotAvailableForResourceType", "virtual networks")
    resource_id = vnet_id(request)
    existing = store.get(ctx.state, resource_id)
    document = network.vnet_json(ctx.state, resource_id, location, given)
    if existing is not None:
        if existing["location"] != location:
            raise ArmError(
                409,
                "InvalidResourceLocation",
                f"The resource '{request.params['vnet']}' already "
                f"exists in location '{existing['location']}'. A resource with the same name cannot "
                f"be created in location '{location}'.",
            )
        _check_peered_overlap(ctx, existing, document["properties"]["addressSpace"]["addressPrefixes"])
        document["properties"]["resourceGuid"] = existing["properties"]["resourceGuid"]
    subnets = _subnets(document, given.pop("subnets", None))
    given.pop("virtualNetworkPeerings", None)
    document["properties"] = {**given, **document["properties"], "subnets": subnets}
    document["tags"] = checks.tags(body.get("tags"))
    store.put(ctx.state, document)
    if existing is None:
        network.ensure_network_watcher(ctx.state, resource_id, location)
    network.refresh_peerings(ctx.state)
    return accepted(ctx, request, document, 200 if existing else 201)


def get_vnet(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok(store.snapshot(existing_vnet(ctx, request)))


def patch_vnet(ctx: Context, request: ApiRequest) -> ApiResponse:
    document = existing_vnet(ctx, request)
    scopes.writable(scopes.subscription(ctx, request.params["subscription"]))
    document["tags"] = checks.tags(body_object(request).get("tags"))
    document["etag"] = network.etag(ctx.state)
    return ok(store.snapshot(document))


def delete_vnet(ctx: Context, request: ApiRequest) -> ApiResponse:
    scopes.writable(scopes.subscription(ctx, request.params["subscription"]))
    scopes.resource_group(ctx, request.params["subscription"], request.params["rg"])
    removed = store.remove(ctx.state, vnet_id(request))
    if removed is None:
        return ApiResponse(204)
    network.refresh_peerings(ctx.state)
    headers = lro.network_headers(ctx, request, request.params["subscription"], str(removed["location"]))
    return ApiResponse(202, None, headers)


def list_vnets(ctx: Context, request: ApiRequest) -> ApiResponse:
    params = request.params
    if "rg" in params:
        scopes.resource_group(ctx, params["subscription"], params["rg"])
        prefix = scopes.group_id(params["subscription"], params["rg"])
    else:
        prefix = f"/subscriptions/{scopes.subscription(ctx, params['subscription']).subscription_id}"
    items = [store.snapshot(document) for document in store.below(ctx.state, prefix, network.VNET_TYPE)]
    return ok(page(request, items, ctx.config.page_size, request.path))


def get_watcher(ctx: Context, request: ApiRequest) -> ApiResponse:
    params = request.params
    scopes.resource_group(ctx, params["subscription"], params["rg"])
    resource_id = f"{scopes.group_id(params['subscription'], params['rg'])}/providers/{network.WATCHER_TYPE}/"
    found = store.get(ctx.state, resource_id + params["name"])
    if found is None:
        raise scopes.resource_not_found(resource_id + params["name"])
    return ok(store.snapshot(found))

"""Handlers: virtual network peerings (create or update, read, delete, list), both sides kept in step."""

from __future__ import annotations

from vending.emulator import lro, network, scopes, store
from vending.emulator.network_api import accepted, existing_vnet, writable_network
from vending.emulator.protocol import ApiRequest, ApiResponse, Context, JsonObject, bad_request, body_object, ok, page


def peering_id(request: ApiRequest, vnet: JsonObject) -> str:
    return f"{vnet['id']}/virtualNetworkPeerings/{request.params['peering']}"


def _remote(ctx: Context, resource_id: str, remote_id: str) -> JsonObject:
    remote = store.get(ctx.state, remote_id)
    if remote is None or store.parse_id(remote_id).subscription is None:
        raise bad_request(
            "InvalidResourceReference",
            f"Resource {remote_id} referenced by resource {resource_id} was not found. "
            "Please make sure that the referenced resource exists, and that both resources are in the same region.",
        )
    return remote


def _check_overlap(resource_id: str, vnet: JsonObject, remote: JsonObject) -> None:
    local_space = vnet["properties"]["addressSpace"]["addressPrefixes"]
    remote_space = remote["properties"]["addressSpace"]["addressPrefixes"]
    if network.overlaps(local_space, remote_space):
        raise bad_request(
            "VnetAddressSpacesOverlap",
            f"Cannot create or update peering {resource_id} because the address space of virtual network "
            f"{vnet['id']} ({', '.join(local_space)}) overlaps with the address space of remote virtual network "
            f"{remote['id']} ({', '.join(remote_space)}).",
        )


def put_peering(ctx: Context, request: ApiRequest) -> ApiResponse:
    writable_network(ctx, request)
    vnet = existing_vnet(ctx, request)
    resource_id = peering_id(request, vnet)
    properties = body_object(request).get("properties")
    document = network.peering_json(ctx.state, resource_id, properties if isinstance(properties, dict) else {})
    remote = _remote(ctx, resource_id, document["properties"]["remoteVirtualNetwork"]["id"])
    if store.normalize(remote["id"]).lower() == store.normalize(vnet["id"]).lower():
        raise bad_request("CannotPeerVirtualNetworkWithItself", f"Virtual network {vnet['id']} cannot peer itself.")
    _check_overlap(resource_id, vnet, remote)
    existing = store.get(ctx.state, resource_id)
    if existing is not None:
        document["properties"]["peeringState"] = existing["properties"]["peeringState"]
        document["properties"]["resourceGuid"] = existing["properties"]["resourceGuid"]
    store.put(ctx.state, document)
    network.refresh_peerings(ctx.state)
    return accepted(ctx, request, document, 200 if existing else 201)


def get_peering(ctx: Context, request: ApiRequest) -> ApiResponse:
    vnet = existing_vnet(ctx, request)
    found = store.get(ctx.state, peering_id(request, vnet))
    if found is None:
        raise scopes.resource_not_found(peering_id(request, vnet))
    return ok(store.snapshot(found))


def delete_peering(ctx: Context, request: ApiRequest) -> ApiResponse:
    scopes.writable(scopes.subscription(ctx, request.params["subscription"]))
    vnet = existing_vnet(ctx, request)
    removed = store.remove(ctx.state, peering_id(request, vnet))
    if removed is None:
        return ApiResponse(204)
    network.refresh_peerings(ctx.state)
    headers = lro.network_headers(ctx, request, request.params["subscription"], str(vnet["location"]))
    return ApiResponse(202, None, headers)


def list_peerings(ctx: Context, request: ApiRequest) -> ApiResponse:
    vnet = existing_vnet(ctx, request)
    items = [store.snapshot(document) for document in store.below(ctx.state, vnet["id"], network.PEERING_TYPE)]
    return ok(page(request, items, ctx.config.page_size, request.path))

"""Handlers: resource groups (create, read, check, update tags, delete with its resources, list)."""

from __future__ import annotations

from vending.emulator import checks, lro, network, scopes, store
from vending.emulator.protocol import ApiRequest, ApiResponse, Context, JsonObject, body_object, ok, page
from vending.emulator.state import EmulatorState

GROUP_TYPE = "Microsoft.Resources/resourceGroups"


def group_json(subscription_id: str, name: str, location: str, tags: dict[str, str]) -> JsonObject:
    return {
        "id": scopes.group_id(subscription_id, name),
        "name": name,
        "type": GROUP_TYPE,
        "location": location,
        "tags": dict(tags),
        "properties": {"provisioningState": "Succeeded"},
    }


def _params(request: ApiRequest) -> tuple[str, str]:
    return request.params["subscription"], request.params["rg"]


def put_group(ctx: Context, request: ApiRequest) -> ApiResponse:
    subscription_id, name = _params(request)
    scopes.writable(scopes.subscription(ctx, subscription_id))
    checks.resource_group_name(name)
    body = body_object(request)
    location = scopes.location(ctx, body.get("location"), "LocationNotAvailableForResourceGroup", "resource group")
    tags = checks.tags(body.get("tags"))
    existing = store.get(ctx.state, scopes.group_id(subscription_id, name))
    if existing is not None:
        if existing["location"] != location:
            message = f"Invalid resource group location '{location}'. The Resource group already exists in "
            raise checks.conflict("InvalidResourceGroupLocation", message + f"location '{existing['location']}'.")
        existing["tags"] = tags
        return ok(store.snapshot(existing))
    created = store.put(ctx.state, group_json(subscription_id, name, location, tags))
    return ok(store.snapshot(created), status=201)


def get_group(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok(store.snapshot(scopes.resource_group(ctx, *_params(request))))


def check_group(ctx: Context, request: ApiRequest) -> ApiResponse:
    subscription_id, name = _params(request)
    scopes.subscription(ctx, subscription_id)
    found = store.get(ctx.state, scopes.group_id(subscription_id, name))
    return ApiResponse(204 if found is not None else 404)


def patch_group(ctx: Context, request: ApiRequest) -> ApiResponse:
    subscription_id, name = _params(request)
    group = scopes.resource_group(ctx, subscription_id, name)
    scopes.writable(scopes.subscription(ctx, subscription_id))
    body = body_object(request)
    if "tags" in body:
        group["tags"] = checks.tags(body.get("tags"))
    return ok(store.snapshot(group))


def delete_group(ctx: Context, request: ApiRequest) -> ApiResponse:
    """202 with a ``Location`` to poll; the group and everything in it are gone at once."""
    subscription_id, name = _params(request)
    sub = scopes.writable(scopes.subscription(ctx, subscription_id))
    scopes.resource_group(ctx, subscription_id, name)
    store.remove(ctx.state, scopes.group_id(subscription_id, name))
    network.refresh_peerings(ctx.state)
    return ApiResponse(202, None, lro.resources_headers(ctx, request, sub.subscription_id))


def list_groups(ctx: Context, request: ApiRequest) -> ApiResponse:
    subscription_id = request.params["subscription"]
    sub = scopes.subscription(ctx, subscription_id)
    items = [
        store.snapshot(document)
        for document in store.below(ctx.state, f"/subscriptions/{sub.subscription_id}/resourceGroups", GROUP_TYPE)
    ]
    path = f"/subscriptions/{sub.subscription_id}/resourcegroups"
    return ok(page(request, items, ctx.config.page_size, path))


def user_resource_count(state: EmulatorState, subscription_id: str) -> int:
    """Resource groups other than the ones Azure manages, and the resources in them."""
    prefix = f"/subscriptions/{subscription_id}/resourcegroups/".lower()
    managed = f"{prefix}{network.WATCHER_GROUP.lower()}"
    return sum(
        1
        for key in state.resources
        if key.startswith(prefix)
        and not (key == managed or key.startswith(managed + "/"))
        and "/providers/microsoft.authorization/" not in key
        and "/providers/microsoft.consumption/" not in key
    )

"""Handlers: management groups and the subscriptions placed under them."""

from __future__ import annotations

from vending.emulator import views
from vending.emulator.aliases_api import forbidden_scope
from vending.emulator.protocol import (
    ApiRequest,
    ApiResponse,
    Context,
    not_found,
    ok,
    page,
    subscription_not_found,
)
from vending.emulator.state import ManagementGroup, Subscription


def _group(ctx: Context, request: ApiRequest, action: str = "read") -> ManagementGroup:
    group = ctx.state.group(request.params["group"])
    if group is None:
        scope = f"{views.MG_PREFIX}/{request.params['group']}"
        raise forbidden_scope(request, f"Microsoft.Management/managementGroups/{action}", scope)
    return group


def _subscription(ctx: Context, request: ApiRequest) -> Subscription:
    sub = ctx.state.subscription(request.params["subscription"])
    if sub is None:
        raise subscription_not_found(request.params["subscription"])
    return sub


def _is_under(sub: Subscription, group: ManagementGroup) -> bool:
    return sub.management_group.lower() == group.name.lower()


def get_group(ctx: Context, request: ApiRequest) -> ApiResponse:
    group = _group(ctx, request)
    return ok(views.management_group_json(ctx.state, group, request.query.get("$expand", "")))


def list_groups(ctx: Context, request: ApiRequest) -> ApiResponse:
    items = [
        {
            "id": f"{views.MG_PREFIX}/{group.name}",
            "type": "Microsoft.Management/managementGroups",
            "name": group.name,
            "properties": {"tenantId": ctx.state.tenant_id, "displayName": group.display_name},
        }
        for group in ctx.state.groups.values()
    ]
    return ok({"value": items})


def put_group_subscription(ctx: Context, request: ApiRequest) -> ApiResponse:
    group = _group(ctx, request, "subscriptions/write")
    sub = _subscription(ctx, request)
    sub.management_group = group.name
    return ok(views.group_subscription_json(ctx.state, group, sub))


def get_group_subscription(ctx: Context, request: ApiRequest) -> ApiResponse:
    group = _group(ctx, request)
    sub = _subscription(ctx, request)
    if not _is_under(sub, group):
        raise not_found(
            "NotFound", f"Subscription '{sub.subscription_id}' is not under management group '{group.name}'."
        )
    return ok(views.group_subscription_json(ctx.state, group, sub))


def delete_group_subscription(ctx: Context, request: ApiRequest) -> ApiResponse:
    group = _group(ctx, request, "subscriptions/delete")
    sub = _subscription(ctx, request)
    if not _is_under(sub, group) or group.name.lower() == ctx.state.root_group.lower():
        return ApiResponse(204)
    sub.management_group = ctx.state.root_group
    return ApiResponse(200)


def list_group_subscriptions(ctx: Context, request: ApiRequest) -> ApiResponse:
    group = _group(ctx, request)
    items = [
        views.group_subscription_json(ctx.state, group, sub)
        for sub in ctx.state.subscriptions.values()
        if _is_under(sub, group)
    ]
    path = f"{views.MG_PREFIX}/{group.name}/subscriptions"
    return ok(page(request, items, ctx.config.page_size, path))

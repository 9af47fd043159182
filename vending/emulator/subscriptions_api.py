"""Handlers: tenants, subscriptions, locations, cancel/rename/enable."""

from __future__ import annotations

from vending.emulator import checks, scopes, views
from vending.emulator.protocol import (
    ApiRequest,
    ApiResponse,
    Context,
    bad_request,
    body_object,
    ok,
    page,
    subscription_not_found,
)
from vending.emulator.resourcegroups_api import user_resource_count
from vending.emulator.state import Subscription


def _subscription(ctx: Context, request: ApiRequest) -> Subscription:
    sub = ctx.state.subscription(request.params["subscription"])
    if sub is None:
        raise subscription_not_found(request.params["subscription"])
    return sub


def _writable(ctx: Context, request: ApiRequest) -> Subscription:
    return scopes.writable(_subscription(ctx, request))


def list_tenants(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok({"value": [views.tenant_json(ctx.state)]})


def list_subscriptions(ctx: Context, request: ApiRequest) -> ApiResponse:
    items = [views.subscription_json(ctx.state, sub) for sub in ctx.state.subscriptions.values()]
    return ok(page(request, items, ctx.config.page_size, "/subscriptions"))


def get_subscription(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok(views.subscription_json(ctx.state, _subscription(ctx, request)))


def list_locations(ctx: Context, request: ApiRequest) -> ApiResponse:
    sub = _subscription(ctx, request)
    return ok({"value": [views.location_json(sub.subscription_id, name) for name in ctx.state.locations]})


def cancel_subscription(ctx: Context, request: ApiRequest) -> ApiResponse:
    sub = _subscription(ctx, request)
    count = sub.resource_count + user_resource_count(ctx.state, sub.subscription_id)
    if count > 0:
        raise bad_request(
            "ResourcesExistingOnSubscription",
            f"Subscription '{sub.subscription_id}' has {count} resources. "
            "Delete all resources before cancelling the subscription.",
        )
    sub.state = "Disabled"
    return ok({"subscriptionId": sub.subscription_id})


def rename_subscription(ctx: Context, request: ApiRequest) -> ApiResponse:
    name = checks.display_name(body_object(request).get("subscriptionName"), "SubscriptionName")
    sub = _writable(ctx, request)
    sub.display_name = name
    return ok({"subscriptionId": sub.subscription_id})


def enable_subscription(ctx: Context, request: ApiRequest) -> ApiResponse:
    sub = _subscription(ctx, request)
    if sub.state == "Deleted":
        raise bad_request("SubscriptionNotEnabled", f"The subscription '{sub.subscription_id}' is deleted.")
    sub.state = "Enabled"
    return ok({"subscriptionId": sub.subscription_id})

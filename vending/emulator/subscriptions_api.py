"""Handlers: tenants, subscriptions, locations, cancel/rename/enable, tags, provider registration."""

from __future__ import annotations

from vending.emulator import checks, views
from vending.emulator.protocol import (
    ApiRequest,
    ApiResponse,
    ArmError,
    Context,
    bad_request,
    body_object,
    ok,
    page,
    subscription_not_found,
)
from vending.emulator.state import Subscription

WRITABLE_STATES = frozenset({"Enabled", "Warned", "PastDue"})


def _subscription(ctx: Context, request: ApiRequest) -> Subscription:
    sub = ctx.state.subscription(request.params["subscription"])
    if sub is None:
        raise subscription_not_found(request.params["subscription"])
    return sub


def _writable(ctx: Context, request: ApiRequest) -> Subscription:
    sub = _subscription(ctx, request)
    if sub.state not in WRITABLE_STATES:
        raise ArmError(
            409,
            "ReadOnlyDisabledSubscription",
            f"The subscription '{sub.subscription_id}' is disabled and therefore marked as read only.",
        )
    return sub


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
    if sub.resource_count > 0:
        raise bad_request(
            "ResourcesExistingOnSubscription",
            f"Subscription '{sub.subscription_id}' has {sub.resource_count} resources. "
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


def get_tags(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok(views.tags_json(_subscription(ctx, request)))


def put_tags(ctx: Context, request: ApiRequest) -> ApiResponse:
    properties = body_object(request).get("properties") or {}
    new_tags = checks.tags(properties.get("tags") if isinstance(properties, dict) else None)
    sub = _writable(ctx, request)
    sub.tags = new_tags
    return ok(views.tags_json(sub))


def patch_tags(ctx: Context, request: ApiRequest) -> ApiResponse:
    body = body_object(request)
    properties = body.get("properties") or {}
    given = checks.tags(properties.get("tags") if isinstance(properties, dict) else None)
    operation = str(body.get("operation", "")).lower()
    if operation not in ("merge", "replace", "delete"):
        raise bad_request("InvalidTagOperation", "The operation must be one of Merge, Replace or Delete.")
    sub = _writable(ctx, request)
    if operation == "replace":
        sub.tags = given
    elif operation == "merge":
        sub.tags = {**sub.tags, **given}
    else:
        sub.tags = {
            name: value for name, value in sub.tags.items() if not (name in given and given[name] in ("", value))
        }
    return ok(views.tags_json(sub))


def get_provider(ctx: Context, request: ApiRequest) -> ApiResponse:
    sub = _subscription(ctx, request)
    namespace = request.params["namespace"]
    key = namespace.lower()
    if sub.providers.get(key) == "Registering":
        left = sub.pending_providers.pop(key, 0)
        if left > 0:
            sub.pending_providers[key] = left - 1
        else:
            sub.providers[key] = "Registered"
    return ok(views.provider_json(sub, namespace))


def list_providers(ctx: Context, request: ApiRequest) -> ApiResponse:
    sub = _subscription(ctx, request)
    return ok({"value": [views.provider_json(sub, namespace) for namespace in sorted(sub.providers)]})


def register_provider(ctx: Context, request: ApiRequest) -> ApiResponse:
    sub = _writable(ctx, request)
    key = request.params["namespace"].lower()
    if sub.providers.get(key) != "Registered":
        sub.providers[key] = "Registering"
        sub.pending_providers[key] = ctx.config.polls
    return ok(views.provider_json(sub, request.params["namespace"]))

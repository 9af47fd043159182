"""Preconditions shared by the resource handlers: the subscription, its state, the group, registration."""

from __future__ import annotations

from vending.emulator import data, store
from vending.emulator.protocol import ArmError, Context, JsonObject, bad_request, not_found, subscription_not_found
from vending.emulator.state import Subscription

WRITABLE_STATES = frozenset({"Enabled", "Warned", "PastDue"})
MG_SCOPE = "/providers/microsoft.management/managementgroups/"


def subscription(ctx: Context, subscription_id: str) -> Subscription:
    sub = ctx.state.subscription(subscription_id)
    if sub is None:
        raise subscription_not_found(subscription_id)
    return sub


def writable(sub: Subscription) -> Subscription:
    """The subscription, when it accepts writes; 409 ReadOnlyDisabledSubscription otherwise."""
    if sub.state not in WRITABLE_STATES:
        raise ArmError(
            409,
            "ReadOnlyDisabledSubscription",
            f"The subscription '{sub.subscription_id}' is disabled and therefore marked as read only.",
        )
    return sub


def group_id(subscription_id: str, name: str) -> str:
    return f"/subscriptions/{subscription_id}/resourceGroups/{name}"


def resource_group(ctx: Context, subscription_id: str, name: str) -> JsonObject:
    """The stored resource group; 404 ResourceGroupNotFound when it does not exist."""
    subscription(ctx, subscription_id)
    found = store.get(ctx.state, group_id(subscription_id, name))
    if found is None:
        raise not_found("ResourceGroupNotFound", f"Resource group '{name}' could not be found.")
    return found


def registered(sub: Subscription, namespace: str) -> None:
    """409 MissingSubscriptionRegistration (with the namespace as ``details[0].target``) unless registered."""
    if registration_state(sub, namespace) == "Registered":
        return
    message = (
        f"The subscription is not registered to use namespace '{namespace}'. "
        "See https://aka.ms/rps-not-found for how to register subscriptions."
    )
    detail = {"code": "MissingSubscriptionRegistration", "target": namespace, "message": message}
    raise ArmError(409, "MissingSubscriptionRegistration", message, details=[detail])


def registration_state(sub: Subscription, namespace: str) -> str:
    key = namespace.lower()
    if key in sub.providers:
        return sub.providers[key]
    return "Registered" if key in data.DEFAULT_REGISTERED else "NotRegistered"


def location(ctx: Context, value: object, code: str, what: str) -> str:
    """A known region name (``West Europe`` and ``westeurope`` both work); 400 ``code`` otherwise."""
    name = str(value or "").replace(" ", "").lower()
    if not name:
        raise bad_request("LocationRequired", "The location property is required for this definition.")
    if name not in ctx.state.locations:
        available = ",".join(ctx.state.locations)
        raise bad_request(
            code,
            f"The provided location '{value}' is not available for {what}. List of available regions is '{available}'.",
        )
    return name


def extension_scope(ctx: Context, scope: str, write: bool) -> None:
    """Check the scope of an extension resource (role assignment, budget, tags) exists; writable if ``write``."""
    scope = store.normalize(scope)
    if scope.lower().startswith(MG_SCOPE):
        name = scope.rstrip("/").rsplit("/", 1)[-1]
        if ctx.state.group(name) is None:
            raise not_found("ManagementGroupNotFound", f"The management group '{name}' was not found.")
        return
    parsed = store.parse_id(scope)
    if parsed.subscription is None:
        if scope != "/":
            raise bad_request("InvalidScope", f"The scope '{scope}' is not a valid ARM scope.")
        return
    sub = subscription(ctx, parsed.subscription)
    if write:
        writable(sub)
    if parsed.resource_group is not None:
        resource_group(ctx, parsed.subscription, parsed.resource_group)
    if parsed.provider_path and store.get(ctx.state, scope) is None:
        raise resource_not_found(scope)


def resource_not_found(resource_id: str) -> ArmError:
    parsed = store.parse_id(resource_id)
    path = parsed.provider_path.split("/", 1)[-1]
    return not_found(
        "ResourceNotFound",
        f"The Resource '{path}' under resource group '{parsed.resource_group}' was not found. "
        "For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    )

"""Handlers: resource provider registration in a subscription, and the tenant's provider catalogue."""

from __future__ import annotations

from vending.emulator import data, scopes
from vending.emulator.protocol import ApiRequest, ApiResponse, Context, JsonObject, ok
from vending.emulator.state import EmulatorState, Subscription

CAPABILITIES = "CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation"
CANONICAL = {name.lower(): name for name in data.PROVIDER_TYPES}


def canonical(namespace: str) -> str:
    return CANONICAL.get(namespace.lower(), namespace)


def _resource_types(state: EmulatorState, namespace: str) -> list[JsonObject]:
    locations = [data.region_for(name).display_name for name in state.locations]
    return [
        {
            "resourceType": kind,
            "locations": locations,
            "apiVersions": list(versions),
            "locationMappings": [],
            "capabilities": CAPABILITIES,
        }
        for kind, versions in data.PROVIDER_TYPES.get(canonical(namespace), ())
    ]


def provider_json(state: EmulatorState, namespace: str, sub: Subscription | None) -> JsonObject:
    name = canonical(namespace)
    body: JsonObject = {"id": f"/providers/{name}", "namespace": name, "resourceTypes": _resource_types(state, name)}
    if sub is not None:
        body["id"] = f"/subscriptions/{sub.subscription_id}/providers/{name}"
        body["registrationState"] = scopes.registration_state(sub, name)
        body["registrationPolicy"] = "RegistrationRequired"
    return body


def _namespaces(sub: Subscription | None) -> list[str]:
    known = {name.lower(): name for name in data.PROVIDER_TYPES}
    if sub is not None:
        known.update({key: canonical(key) for key in sub.providers})
    return sorted(known.values(), key=str.lower)


def _observe(sub: Subscription, key: str) -> None:
    """One read of a provider that is Registering: after ``polls`` of them it is Registered."""
    if sub.providers.get(key) != "Registering":
        return
    left = sub.pending_providers.pop(key, 0)
    if left > 0:
        sub.pending_providers[key] = left - 1
    else:
        sub.providers[key] = "Registered"


def get_provider(ctx: Context, request: ApiRequest) -> ApiResponse:
    sub = scopes.subscription(ctx, request.params["subscription"])
    namespace = request.params["namespace"]
    _observe(sub, namespace.lower())
    return ok(provider_json(ctx.state, namespace, sub))


def list_providers(ctx: Context, request: ApiRequest) -> ApiResponse:
    sub = scopes.subscription(ctx, request.params["subscription"])
    return ok({"value": [provider_json(ctx.state, name, sub) for name in _namespaces(sub)]})


def register_provider(ctx: Context, request: ApiRequest) -> ApiResponse:
    sub = scopes.writable(scopes.subscription(ctx, request.params["subscription"]))
    namespace = request.params["namespace"]
    key = namespace.lower()
    if scopes.registration_state(sub, namespace) not in ("Registered", "Registering"):
        sub.providers[key] = "Registering"
        sub.pending_providers[key] = ctx.config.polls
    return ok(provider_json(ctx.state, namespace, sub))


def unregister_provider(ctx: Context, request: ApiRequest) -> ApiResponse:
    sub = scopes.writable(scopes.subscription(ctx, request.params["subscription"]))
    namespace = request.params["namespace"]
    sub.providers[namespace.lower()] = "Unregistered"
    sub.pending_providers.pop(namespace.lower(), None)
    return ok(provider_json(ctx.state, namespace, sub))


def list_resource_types(ctx: Context, request: ApiRequest) -> ApiResponse:
    scopes.subscription(ctx, request.params["subscription"])
    return ok({"value": _resource_types(ctx.state, request.params["namespace"])})


def get_tenant_provider(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok(provider_json(ctx.state, request.params["namespace"], None))


def list_tenant_providers(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok({"value": [provider_json(ctx.state, name, None) for name in _namespaces(None)]})

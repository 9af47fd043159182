"""The route table: method + path pattern → handler, accepted api-versions, throttle bucket."""

from __future__ import annotations

from vending.emulator import aliases_api, groups_api, operations_api, policies_api, subscriptions_api
from vending.emulator.protocol import (
    MANAGEMENT_VERSIONS,
    MSI_VERSIONS,
    RESOURCES_VERSIONS,
    SUBSCRIPTION_VERSIONS,
    ApiRequest,
    ApiResponse,
    ArmError,
    Context,
)
from vending.emulator.resource_routes import RESOURCE_ROUTES
from vending.emulator.routing import Route
from vending.emulator.routing import route as _route

MG = "/providers/Microsoft.Management/managementGroups"
MSUB = "/providers/Microsoft.Subscription"
SUB = subscriptions_api
ROUTES: tuple[Route, ...] = (
    _route("GET", "/tenants", SUB.list_tenants, RESOURCES_VERSIONS),
    _route("GET", "/subscriptions", SUB.list_subscriptions, RESOURCES_VERSIONS),
    _route("GET", "/subscriptions/{sub}", SUB.get_subscription, RESOURCES_VERSIONS),
    _route("GET", "/subscriptions/{sub}/locations", SUB.list_locations, RESOURCES_VERSIONS),
    _route("POST", "/subscriptions/{sub}" + MSUB + "/cancel", SUB.cancel_subscription, SUBSCRIPTION_VERSIONS),
    _route("POST", "/subscriptions/{sub}" + MSUB + "/rename", SUB.rename_subscription, SUBSCRIPTION_VERSIONS),
    _route("POST", "/subscriptions/{sub}" + MSUB + "/enable", SUB.enable_subscription, SUBSCRIPTION_VERSIONS),
    _route("GET", MSUB + "/operations", policies_api.list_operations, SUBSCRIPTION_VERSIONS),
    _route("GET", "/providers/Microsoft.ManagedIdentity/operations", operations_api.list_msi_operations, MSI_VERSIONS),
    _route("GET", MSUB + "/aliases", aliases_api.list_aliases, SUBSCRIPTION_VERSIONS),
    _route("PUT", MSUB + "/aliases/{alias}", aliases_api.create_alias, SUBSCRIPTION_VERSIONS),
    _route("GET", MSUB + "/aliases/{alias}", aliases_api.get_alias, SUBSCRIPTION_VERSIONS),
    _route("DELETE", MSUB + "/aliases/{alias}", aliases_api.delete_alias, SUBSCRIPTION_VERSIONS),
    _route(
        "GET",
        MSUB + "/subscriptionOperations/{op}",
        aliases_api.get_subscription_operation,
        SUBSCRIPTION_VERSIONS,
    ),
    _route("GET", MSUB + "/policies", policies_api.list_tenant_policies, SUBSCRIPTION_VERSIONS),
    _route("GET", MSUB + "/policies/default", policies_api.get_tenant_policy, SUBSCRIPTION_VERSIONS),
    _route("PUT", MSUB + "/policies/default", policies_api.put_tenant_policy, SUBSCRIPTION_VERSIONS),
    _route(
        "GET",
        "/providers/Microsoft.Billing/billingAccounts/{account}" + MSUB + "/policies/default",
        policies_api.get_billing_account_policy,
        SUBSCRIPTION_VERSIONS,
    ),
    _route("GET", MG, groups_api.list_groups, MANAGEMENT_VERSIONS),
    _route("GET", MG + "/{group}", groups_api.get_group, MANAGEMENT_VERSIONS),
    _route("GET", MG + "/{group}/subscriptions", groups_api.list_group_subscriptions, MANAGEMENT_VERSIONS),
    _route("PUT", MG + "/{group}/subscriptions/{sub}", groups_api.put_group_subscription, MANAGEMENT_VERSIONS),
    _route("GET", MG + "/{group}/subscriptions/{sub}", groups_api.get_group_subscription, MANAGEMENT_VERSIONS),
    _route(
        "DELETE",
        MG + "/{group}/subscriptions/{sub}",
        groups_api.delete_group_subscription,
        MANAGEMENT_VERSIONS,
    ),
    *RESOURCE_ROUTES,
)


def match(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for ``method path`` and its captures; 404/405 ARM errors otherwise."""
    path_matched = False
    for route in ROUTES:
        found = route.pattern.match(path)
        if found is None:
            continue
        if route.method == method:
            return route, found.groupdict()
        path_matched = True
    if path_matched:
        raise ArmError(405, "MethodNotAllowed", f"The method '{method}' is not supported on '{path}'.")
    raise ArmError(404, "NotFound", f"No route for '{method} {path}' in the local ARM emulator.")


def check_api_version(route: Route, api_version: str) -> None:
    if not api_version:
        raise ArmError(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        )
    if api_version not in route.versions:
        supported = ", ".join(sorted(route.versions))
        raise ArmError(
            400,
            "InvalidApiVersionParameter",
            f"The api-version '{api_version}' is invalid. The supported versions are '{supported}'.",
        )


def dispatch(ctx: Context, request: ApiRequest) -> ApiResponse:
    """Route, check the api-version and run the handler under the state lock."""
    route, params = match(request.method, request.path)
    check_api_version(route, request.api_version)
    routed = ApiRequest(
        request.method, request.path, request.query, request.body, request.base_url, request.principal, params
    )
    with ctx.state.lock:
        return route.handler(ctx, routed)

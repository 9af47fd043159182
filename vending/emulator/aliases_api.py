"""Handlers: the subscription alias API and its two polling styles."""

from __future__ import annotations

from typing import Any

from vending.emulator import checks, views
from vending.emulator.protocol import (
    ApiRequest,
    ApiResponse,
    ArmError,
    Context,
    JsonObject,
    bad_request,
    body_object,
    not_found,
    ok,
    subscription_not_found,
)
from vending.emulator.state import Alias

OPERATIONS_PATH = "/providers/Microsoft.Subscription/subscriptionOperations"
WORKLOADS = {"production": "Production", "devtest": "DevTest"}


def _workload(value: Any) -> str:
    if value is None or value == "":
        raise bad_request("MissingParameter", "Required parameter Workload not provided.")
    workload = WORKLOADS.get(str(value).lower())
    if workload is None:
        raise bad_request("InvalidParameter", f"The workload '{value}' is invalid: use Production or DevTest.")
    return workload


def _unauthorized_scope(scope: str) -> ArmError:
    lowered = scope.lower()
    if "/enrollmentaccounts/" in lowered:
        return ArmError(
            401,
            "UserNotAuthorized",
            "User is not authorized to create subscriptions on this enrollment account.",
        )
    if "/invoicesections/" in lowered:
        return ArmError(
            403,
            "UserNotAuthorized",
            "You do not have sufficient permissions on the specified invoice section.",
        )
    if "/customers/" in lowered:
        return ArmError(403, "UserNotAuthorized", "You do not have sufficient permissions on the specified customer.")
    return ArmError(403, "UserNotAuthorized", f"User is not authorized to create subscriptions on '{scope}'.")


def _billing_scope(ctx: Context, value: Any, workload: str) -> str:
    if not value or not isinstance(value, str):
        raise bad_request("MissingParameter", "Required parameter BillingScope not provided.")
    if not ctx.state.is_accepted_scope(value):
        raise _unauthorized_scope(value)
    if workload == "DevTest" and "/customers/" in value.lower():
        raise bad_request("InvalidParameter", "The DevTest workload is not available on a partner agreement.")
    return value


def _management_group(ctx: Context, request: ApiRequest, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or ctx.state.group(value) is None:
        scope = f"{views.MG_PREFIX}/{value}"
        raise forbidden_scope(request, "Microsoft.Management/managementGroups/subscriptions/write", scope)
    return value


def forbidden_scope(request: ApiRequest, action: str, scope: str) -> ArmError:
    """The 403 ARM answers for a scope that is missing or not visible to the caller."""
    return ArmError(
        403,
        "AuthorizationFailed",
        f"The client '{request.principal}' with object id '{request.principal}' does not have authorization "
        f"to perform action '{action}' over scope '{scope}' or the scope is invalid. "
        "If access was recently granted, please refresh your credentials.",
    )


def _new_alias(ctx: Context, request: ApiRequest, name: str) -> Alias:
    properties = body_object(request).get("properties")
    if not isinstance(properties, dict):
        raise bad_request("MissingParameter", "Required parameter Properties not provided.")
    display_name = checks.display_name(properties.get("displayName"))
    workload = _workload(properties.get("workload"))
    extra: JsonObject = properties.get("additionalProperties") or {}
    existing = properties.get("subscriptionId")
    if existing:
        if ctx.state.subscription(str(existing)) is None:
            raise subscription_not_found(str(existing))
        scope = properties.get("billingScope")
    else:
        scope = _billing_scope(ctx, properties.get("billingScope"), workload)
    return Alias(
        name=name,
        subscription_id=str(existing) if existing else ctx.state.new_id(),
        display_name=display_name,
        workload=workload,
        billing_scope=scope,
        management_group_id=_management_group(ctx, request, extra.get("managementGroupId")),
        subscription_owner_id=extra.get("subscriptionOwnerId"),
        subscription_tenant_id=extra.get("subscriptionTenantId"),
        reseller_id=properties.get("resellerId"),
        tags=checks.tags(extra.get("tags")),
        provisioning_state="Accepted",
        polls_left=ctx.config.polls,
    )


def _poll_headers(ctx: Context, request: ApiRequest, alias: Alias) -> dict[str, str]:
    if alias.provisioning_state != "Accepted":
        return {}
    headers = {"Retry-After": str(ctx.config.retry_after)}
    if ctx.config.polling == "location":
        headers["Location"] = request.link(f"{OPERATIONS_PATH}/{alias.operation_id}")
    return headers


def create_alias(ctx: Context, request: ApiRequest) -> ApiResponse:
    name = checks.alias_name(request.params["alias"])
    existing = ctx.state.alias(name)
    if existing is not None:
        return ok(views.alias_json(existing))
    alias = ctx.state.add_alias(_new_alias(ctx, request, name))
    return ApiResponse(201, views.alias_json(alias), _poll_headers(ctx, request, alias))


def get_alias(ctx: Context, request: ApiRequest) -> ApiResponse:
    alias = ctx.state.alias(request.params["alias"])
    if alias is None:
        raise not_found("NotFound", f"The alias '{request.params['alias']}' was not found.")
    ctx.state.observe_alias(alias)
    headers = {"Retry-After": str(ctx.config.retry_after)} if alias.provisioning_state == "Accepted" else {}
    return ApiResponse(200, views.alias_json(alias), headers)


def delete_alias(ctx: Context, request: ApiRequest) -> ApiResponse:
    removed = ctx.state.remove_alias(request.params["alias"])
    return ApiResponse(200 if removed else 204)


def list_aliases(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok({"value": [views.alias_json(alias) for alias in ctx.state.aliases.values()]})


def get_subscription_operation(ctx: Context, request: ApiRequest) -> ApiResponse:
    operation = request.params["operation"]
    alias_key = ctx.state.operations.get(operation.lower())
    alias = ctx.state.alias(alias_key) if alias_key else None
    if alias is None:
        raise not_found("NotFound", f"The subscription operation '{operation}' was not found.")
    ctx.state.observe_alias(alias)
    if alias.provisioning_state == "Accepted":
        location = request.link(f"{OPERATIONS_PATH}/{alias.operation_id}")
        return ApiResponse(202, None, {"Location": location, "Retry-After": str(ctx.config.retry_after)})
    return ok({"subscriptionLink": f"/subscriptions/{alias.subscription_id}"})

"""Handlers: cost budgets (Microsoft.Consumption) at a subscription or resource group scope."""

from __future__ import annotations

import copy
import re
from typing import Any

from vending.emulator import scopes, store
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
)

BUDGET_TYPE = "Microsoft.Consumption/budgets"
NAMESPACE = "Microsoft.Consumption"
TIME_GRAINS = ("Monthly", "Quarterly", "Annually", "BillingMonth", "BillingQuarter", "BillingAnnual")
OPERATORS = ("EqualTo", "GreaterThan", "GreaterThanOrEqualTo")
MONTH_START = re.compile(r"^\d{4}-\d{2}-01(T00:00:00(\.0+)?Z?)?$")
MAX_NOTIFICATIONS = 5


def budget_id(scope: str, name: str) -> str:
    return f"{scope}/providers/{BUDGET_TYPE}/{name}"


def _invalid(message: str) -> ArmError:
    return bad_request("InvalidBudget", message)


def _one_of(value: Any, allowed: tuple[str, ...], what: str) -> str:
    matched = [item for item in allowed if item.lower() == str(value).lower()]
    if not matched:
        raise _invalid(f"The {what} '{value}' is not valid: use one of {', '.join(allowed)}.")
    return matched[0]


def _notification(name: str, value: Any) -> JsonObject:
    if not isinstance(value, dict):
        raise _invalid(f"Notification '{name}' must be an object.")
    threshold = value.get("threshold")
    if not isinstance(threshold, int | float) or isinstance(threshold, bool) or not 0 < threshold <= 1000:
        raise _invalid(f"Notification '{name}': threshold must be a number greater than 0 and at most 1000.")
    if not any(value.get(key) for key in ("contactEmails", "contactRoles", "contactGroups")):
        raise _invalid(f"Notification '{name}': give at least one of contactEmails, contactRoles, contactGroups.")
    notification = copy.deepcopy(value)
    notification["operator"] = _one_of(value.get("operator"), OPERATORS, "notification operator")
    notification["thresholdType"] = _one_of(value.get("thresholdType", "Actual"), ("Actual", "Forecasted"), "type")
    notification.setdefault("enabled", True)
    notification.setdefault("locale", "en-us")
    return notification


def _properties(body: JsonObject) -> JsonObject:
    given = body.get("properties")
    if not isinstance(given, dict):
        raise _invalid("The budget must carry properties.")
    properties = copy.deepcopy(given)
    if str(given.get("category", "")).lower() != "cost":
        raise _invalid("The budget category must be Cost.")
    amount = given.get("amount")
    if not isinstance(amount, int | float) or isinstance(amount, bool) or amount <= 0:
        raise _invalid("The budget amount must be a number greater than 0.")
    properties["category"] = "Cost"
    properties["timeGrain"] = _one_of(given.get("timeGrain"), TIME_GRAINS, "time grain")
    period = given.get("timePeriod")
    if not isinstance(period, dict) or not MONTH_START.match(str(period.get("startDate", ""))):
        raise _invalid("The budget's timePeriod.startDate must be the first day of a month.")
    notifications = given.get("notifications") or {}
    if not isinstance(notifications, dict) or len(notifications) > MAX_NOTIFICATIONS:
        raise _invalid(f"A budget has at most {MAX_NOTIFICATIONS} notifications.")
    properties["notifications"] = {name: _notification(name, value) for name, value in notifications.items()}
    properties["currentSpend"] = {"amount": 0, "unit": "USD"}
    return properties


def _scope(ctx: Context, request: ApiRequest, write: bool) -> str:
    scope = store.normalize(request.params["scope"])
    scopes.extension_scope(ctx, scope, write)
    parsed = store.parse_id(scope)
    if parsed.subscription is not None and write:
        scopes.registered(scopes.subscription(ctx, parsed.subscription), NAMESPACE)
    return scope


def put_budget(ctx: Context, request: ApiRequest) -> ApiResponse:
    scope = _scope(ctx, request, write=True)
    properties = _properties(body_object(request))
    resource_id = budget_id(scope, request.params["name"])
    existing = store.get(ctx.state, resource_id)
    document = {
        "id": resource_id,
        "name": request.params["name"],
        "type": BUDGET_TYPE,
        "eTag": f'"{ctx.state.new_id().replace("-", "")[:15]}"',
        "properties": properties,
    }
    store.put(ctx.state, document)
    return ok(store.snapshot(document), status=200 if existing else 201)


def get_budget(ctx: Context, request: ApiRequest) -> ApiResponse:
    scope = _scope(ctx, request, write=False)
    found = store.get(ctx.state, budget_id(scope, request.params["name"]))
    if found is None:
        raise not_found("NotFound", f"The budget '{request.params['name']}' was not found.")
    return ok(store.snapshot(found))


def delete_budget(ctx: Context, request: ApiRequest) -> ApiResponse:
    scope = _scope(ctx, request, write=True)
    removed = store.remove(ctx.state, budget_id(scope, request.params["name"]))
    if removed is None:
        raise not_found("NotFound", f"The budget '{request.params['name']}' was not found.")
    return ApiResponse(200)


def list_budgets(ctx: Context, request: ApiRequest) -> ApiResponse:
    scope = _scope(ctx, request, write=False)
    prefix = f"{scope}/providers/{BUDGET_TYPE}"
    items = [store.snapshot(document) for document in store.below(ctx.state, prefix, BUDGET_TYPE)]
    return ok({"value": items})

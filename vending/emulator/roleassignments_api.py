"""Handlers: role assignments at any scope (create, read, delete, list with ARM's filters)."""

from __future__ import annotations

import re

from vending.emulator import checks, roledefinitions_api, roles, scopes, store, views
from vending.emulator.protocol import (
    ApiRequest,
    ApiResponse,
    ArmError,
    Context,
    JsonObject,
    bad_request,
    body_object,
    ok,
    page,
)
from vending.emulator.state import EmulatorState, utc_now

ASSIGNMENT_TYPE = "Microsoft.Authorization/roleAssignments"
OPTIONAL_FIELDS = ("description", "condition", "conditionVersion", "delegatedManagedIdentityResourceId")
PRINCIPAL_TYPES = ("User", "Group", "ServicePrincipal", "ForeignGroup", "Device")
PRINCIPAL_FILTER = re.compile(r"^\s*(?:principalId\s+eq\s+'([^']+)'|assignedTo\('([^']+)'\))\s*$", re.IGNORECASE)


def assignment_id(scope: str, name: str) -> str:
    prefix = "" if scope == "/" else scope
    return f"{prefix}/providers/Microsoft.Authorization/roleAssignments/{name}"


def _scope(request: ApiRequest) -> str:
    return store.normalize(request.params["scope"])


def _principal_type(value: object) -> str:
    if value is None:
        return "User"
    matched = [kind for kind in PRINCIPAL_TYPES if kind.lower() == str(value).lower()]
    if not matched:
        raise bad_request("InvalidPrincipalType", f"The principal type '{value}' is not valid.")
    return matched[0]


def _new_assignment(ctx: Context, request: ApiRequest, scope: str, name: str) -> JsonObject:
    properties = body_object(request).get("properties")
    if not isinstance(properties, dict):
        raise bad_request("InvalidRequestContent", "The role assignment must carry properties.")
    definition = str(properties.get("roleDefinitionId") or "")
    if not definition:
        raise bad_request("MissingRoleDefinitionId", "The role definition ID is required.")
    if roledefinitions_api.find(ctx, scope, roles.guid_of(definition)) is None:
        raise bad_request(
            "RoleDefinitionDoesNotExist",
            f"The specified role definition with ID '{roles.guid_of(definition)}' does not exist.",
        )
    principal = checks.guid(properties.get("principalId"), "InvalidPrincipalId", "principal ID").lower()
    now = utc_now()
    optional = {field: properties.get(field) for field in OPTIONAL_FIELDS if properties.get(field) is not None}
    return {
        "id": assignment_id(scope, name),
        "type": ASSIGNMENT_TYPE,
        "name": name,
        "properties": {
            "roleDefinitionId": definition,
            "principalId": principal,
            "principalType": _principal_type(properties.get("principalType")),
            "scope": scope,
            **optional,
            "createdOn": now,
            "updatedOn": now,
            "createdBy": request.principal,
            "updatedBy": request.principal,
        },
    }


def _key(document: JsonObject) -> tuple[str, str, str]:
    properties = document["properties"]
    return (
        str(properties["scope"]).lower(),
        str(properties["principalId"]).lower(),
        roles.guid_of(str(properties["roleDefinitionId"])),
    )


def _existing_for(state: EmulatorState, wanted: JsonObject) -> JsonObject | None:
    for document in store.of_type(state, ASSIGNMENT_TYPE):
        if _key(document) == _key(wanted):
            return document
    return None


def put_assignment(ctx: Context, request: ApiRequest) -> ApiResponse:
    scope = _scope(request)
    name = checks.guid(request.params["name"], "InvalidRoleAssignmentId", "role assignment ID")
    if scope != "/":
        scopes.extension_scope(ctx, scope, write=True)
    wanted = _new_assignment(ctx, request, scope, name)
    current = store.get(ctx.state, wanted["id"])
    if current is not None:
        if _key(current) != _key(wanted):
            raise ArmError(
                409,
                "RoleAssignmentUpdateNotPermitted",
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
            )
        for field in OPTIONAL_FIELDS:
            current["properties"].pop(field, None)
            if field in wanted["properties"]:
                current["properties"][field] = wanted["properties"][field]
        current["properties"]["updatedOn"] = wanted["properties"]["updatedOn"]
        return ok(store.snapshot(current))
    twin = _existing_for(ctx.state, wanted)
    if twin is not None:
        raise ArmError(
            409,
            "RoleAssignmentExists",
            f"The role assignment already exists. The ID of the existing role assignment is {twin['name']}.",
        )
    return ok(store.snapshot(store.put(ctx.state, wanted)), status=201)


def _found(ctx: Context, request: ApiRequest) -> JsonObject | None:
    return store.get(ctx.state, assignment_id(_scope(request), request.params["name"]))


def get_assignment(ctx: Context, request: ApiRequest) -> ApiResponse:
    found = _found(ctx, request)
    if found is None:
        message = f"The role assignment '{request.params['name']}' is not found."
        raise ArmError(404, "RoleAssignmentNotFound", message)
    return ok(store.snapshot(found))


def delete_assignment(ctx: Context, request: ApiRequest) -> ApiResponse:
    scope = _scope(request)
    found = _found(ctx, request)
    if found is None:
        return ApiResponse(204)
    if scope != "/":
        scopes.extension_scope(ctx, scope, write=True)
    store.remove(ctx.state, found["id"])
    return ok(store.snapshot(found))


def ancestors(state: EmulatorState, scope: str) -> set[str]:
    """``scope``, every scope above it (management groups of a subscription included) and the root."""
    parts = [part for part in scope.split("/") if part]
    found = {"/"} | {"/" + "/".join(parts[:end]).lower() for end in range(2, len(parts) + 1, 2)}
    subscription = store.parse_id(scope).subscription
    sub = state.subscription(subscription) if subscription else None
    group = state.group(sub.management_group) if sub else None
    while group is not None:
        found.add(f"{views.MG_PREFIX}/{group.name}".lower())
        group = state.group(group.parent) if group.parent else None
    return found


def _visible(state: EmulatorState, document: JsonObject, scope: str, at_scope: bool) -> bool:
    assigned = str(document["properties"]["scope"]).lower()
    if assigned in ancestors(state, scope):
        return True
    return not at_scope and assigned.startswith(scope.lower().rstrip("/") + "/")


def _principal_filter(query: str) -> str | None:
    found = PRINCIPAL_FILTER.match(query)
    if found is None:
        raise bad_request("UnsupportedQuery", f"The filter '{query}' is not supported.")
    return (found.group(1) or found.group(2)).lower()


def list_assignments(ctx: Context, request: ApiRequest) -> ApiResponse:
    scope = _scope(request)
    if scope != "/":
        scopes.extension_scope(ctx, scope, write=False)
    query = request.query.get("$filter", "").strip()
    at_scope = query.lower() == "atscope()"
    principal = _principal_filter(query) if query and not at_scope else None
    items = [
        store.snapshot(document)
        for document in store.of_type(ctx.state, ASSIGNMENT_TYPE)
        if _visible(ctx.state, document, scope, at_scope)
        and (principal is None or document["properties"]["principalId"] == principal)
    ]
    return ok(page(request, items, ctx.config.page_size, request.path))

"""Handlers: role definitions (the built-ins with their real ids, plus custom ones from the state)."""

from __future__ import annotations

import re

from vending.emulator import roles, scopes, store
from vending.emulator.protocol import ApiRequest, ApiResponse, ArmError, Context, JsonObject, bad_request, ok, page

DEFINITION_TYPE = "Microsoft.Authorization/roleDefinitions"
FILTER = re.compile(r"^\s*(roleName|type)\s+eq\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)


def _check_scope(ctx: Context, scope: str) -> str:
    scope = store.normalize(scope)
    if scope != "/":
        scopes.extension_scope(ctx, scope, write=False)
    return scope


def _custom(ctx: Context, scope: str) -> list[JsonObject]:
    return [
        _at_scope(document, scope)
        for document in store.of_type(ctx.state, DEFINITION_TYPE)
        if _assignable(document, scope)
    ]


def _assignable(document: JsonObject, scope: str) -> bool:
    lowered = scope.lower().rstrip("/") + "/"
    for assignable in document.get("properties", {}).get("assignableScopes", []):
        prefix = str(assignable).lower().rstrip("/") + "/"
        if lowered.startswith(prefix):
            return True
    return False


def _at_scope(document: JsonObject, scope: str) -> JsonObject:
    answer = store.snapshot(document)
    answer["id"] = roles.definition_id(scope, document["name"])
    return answer


def definitions(ctx: Context, scope: str) -> list[JsonObject]:
    """Every role definition visible at ``scope``: the built-ins, then custom ones assignable there."""
    return [roles.built_in_json(role, scope) for role in roles.BUILT_IN_ROLES] + _custom(ctx, scope)


def find(ctx: Context, scope: str, guid: str) -> JsonObject | None:
    role = roles.BY_GUID.get(guid.lower())
    if role is not None:
        return roles.built_in_json(role, scope)
    stored = [document for document in store.of_type(ctx.state, DEFINITION_TYPE) if document["name"].lower() == guid]
    return _at_scope(stored[0], scope) if stored else None


def not_found(guid: str) -> ArmError:
    return ArmError(
        404, "RoleDefinitionDoesNotExist", f"The specified role definition with ID '{guid}' does not exist."
    )


def _matches(definition: JsonObject, query: str) -> bool:
    if not query:
        return True
    found = FILTER.match(query)
    if found is None:
        raise bad_request(
            "UnsupportedQuery", f"The filter '{query}' is not supported: use roleName eq '...' or type eq '...'."
        )
    field, value = found.group(1).lower(), found.group(2).replace("''", "'")
    actual = definition["properties"]["roleName" if field == "rolename" else "type"]
    return str(actual).lower() == value.lower()


def list_definitions(ctx: Context, request: ApiRequest) -> ApiResponse:
    scope = _check_scope(ctx, request.params["scope"])
    query = request.query.get("$filter", "")
    items = [item for item in definitions(ctx, scope) if _matches(item, query)]
    return ok(page(request, items, ctx.config.page_size, request.path))


def get_definition(ctx: Context, request: ApiRequest) -> ApiResponse:
    scope = _check_scope(ctx, request.params["scope"])
    guid = request.params["name"].lower()
    found = find(ctx, scope, guid)
    if found is None:
        raise not_found(guid)
    return ok(found)

"""Handlers: the tags of a subscription, resource group or resource (``{scope}/.../tags/default``)."""

from __future__ import annotations

from vending.emulator import checks, scopes, store
from vending.emulator.protocol import ApiRequest, ApiResponse, Context, JsonObject, bad_request, body_object, ok

OPERATIONS = ("merge", "replace", "delete")


class _Target:
    """Where a scope's tags live: the subscription record or the stored resource document."""

    def __init__(self, ctx: Context, scope: str, write: bool) -> None:
        self.scope = store.normalize(scope)
        scopes.extension_scope(ctx, self.scope, write)
        parsed = store.parse_id(self.scope)
        if parsed.subscription is None:
            raise bad_request("InvalidScope", f"Tags cannot be set at scope '{self.scope}'.")
        self.sub = scopes.subscription(ctx, parsed.subscription)
        self.document = None if parsed.resource_group is None else store.get(ctx.state, self.scope)

    @property
    def tags(self) -> dict[str, str]:
        return dict(self.sub.tags if self.document is None else self.document.get("tags") or {})

    @tags.setter
    def tags(self, value: dict[str, str]) -> None:
        if self.document is None:
            self.sub.tags = value
        else:
            self.document["tags"] = value

    def json(self) -> JsonObject:
        return {
            "id": f"{self.scope}/providers/Microsoft.Resources/tags/default",
            "name": "default",
            "type": "Microsoft.Resources/tags",
            "properties": {"tags": self.tags},
        }


def _given(request: ApiRequest) -> dict[str, str]:
    properties = body_object(request).get("properties") or {}
    return checks.tags(properties.get("tags") if isinstance(properties, dict) else None)


def get_tags(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok(_Target(ctx, request.params["scope"], write=False).json())


def put_tags(ctx: Context, request: ApiRequest) -> ApiResponse:
    given = _given(request)
    target = _Target(ctx, request.params["scope"], write=True)
    target.tags = given
    return ok(target.json())


def patch_tags(ctx: Context, request: ApiRequest) -> ApiResponse:
    given = _given(request)
    operation = str(body_object(request).get("operation", "")).lower()
    if operation not in OPERATIONS:
        raise bad_request("InvalidTagOperation", "The operation must be one of Merge, Replace or Delete.")
    target = _Target(ctx, request.params["scope"], write=True)
    current = target.tags
    if operation == "replace":
        target.tags = given
    elif operation == "merge":
        target.tags = {**current, **given}
    else:
        target.tags = {
            name: value for name, value in current.items() if not (name in given and given[name] in ("", value))
        }
    return ok(target.json())


def delete_tags(ctx: Context, request: ApiRequest) -> ApiResponse:
    target = _Target(ctx, request.params["scope"], write=True)
    target.tags = {}
    return ApiResponse(200)

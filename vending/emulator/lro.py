"""Long-running operations: the status URLs ARM hands out for PUTs and DELETEs, and their handlers.

The resource change itself is applied when the PUT or DELETE is answered; the operation only
reports ``InProgress`` (or 202) for ``EmulatorConfig.polls`` reads of its status URL, so clients
exercise their polling loops.
"""

from __future__ import annotations

from vending.emulator.protocol import ApiRequest, ApiResponse, Context, not_found, ok

NETWORK_OPERATIONS = "/subscriptions/{sub}/providers/Microsoft.Network/locations/{location}/operations/{op}"
NETWORK_RESULTS = "/subscriptions/{sub}/providers/Microsoft.Network/locations/{location}/operationResults/{op}"
RESOURCES_RESULTS = "/subscriptions/{sub}/operationresults/{op}"


def start(ctx: Context) -> str:
    """Register a new operation; its id."""
    operation = ctx.state.new_id()
    ctx.state.async_operations[operation] = ctx.config.polls
    return operation


def _path(template: str, subscription: str, operation: str, location: str = "") -> str:
    return template.format(sub=subscription, location=location, op=operation)


def network_headers(ctx: Context, request: ApiRequest, subscription: str, location: str) -> dict[str, str]:
    """Headers of an accepted Microsoft.Network PUT or DELETE: ``Azure-AsyncOperation`` (+ ``Location``)."""
    operation = start(ctx)
    status = _path(NETWORK_OPERATIONS, subscription, operation, location)
    headers = {"Azure-AsyncOperation": request.link(status), "Retry-After": str(ctx.config.retry_after)}
    if request.method == "DELETE":
        headers["Location"] = request.link(_path(NETWORK_RESULTS, subscription, operation, location))
    return headers


def resources_headers(ctx: Context, request: ApiRequest, subscription: str) -> dict[str, str]:
    """Headers of an accepted Microsoft.Resources DELETE: ``Location`` of its operation result."""
    operation = start(ctx)
    location = request.link(_path(RESOURCES_RESULTS, subscription, operation))
    return {"Location": location, "Retry-After": str(ctx.config.retry_after)}


def _advance(ctx: Context, operation: str) -> bool:
    """Count one poll; True once the operation has finished. 404 for an unknown operation."""
    left = ctx.state.async_operations.get(operation.lower())
    if left is None:
        raise not_found("OperationNotFound", f"The operation '{operation}' was not found.")
    if left > 0:
        ctx.state.async_operations[operation.lower()] = left - 1
        return False
    return True


def get_network_operation(ctx: Context, request: ApiRequest) -> ApiResponse:
    if _advance(ctx, request.params["operation"]):
        return ok({"status": "Succeeded"})
    return ApiResponse(200, {"status": "InProgress"}, {"Retry-After": str(ctx.config.retry_after)})


def get_operation_result(ctx: Context, request: ApiRequest) -> ApiResponse:
    """202 with ``Location`` while the operation runs, then 200 without a body."""
    if _advance(ctx, request.params["operation"]):
        return ApiResponse(200)
    location = request.link(request.path)
    return ApiResponse(202, None, {"Location": location, "Retry-After": str(ctx.config.retry_after)})

"""Handlers: the operations lists of resource providers other than Microsoft.Subscription."""

from __future__ import annotations

from vending.emulator.protocol import ApiRequest, ApiResponse, Context, JsonObject, ok

MSI_PROVIDER = "Managed Service Identity"
MSI_IDENTITIES = "User Assigned Identities"
MSI_OPERATIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "Microsoft.ManagedIdentity/userAssignedIdentities/read",
        MSI_IDENTITIES,
        "Get User Assigned Identity",
        "Gets an existing user assigned identity",
    ),
    (
        "Microsoft.ManagedIdentity/userAssignedIdentities/write",
        MSI_IDENTITIES,
        "Create/Update User Assigned Identity",
        "Creates a new user assigned identity or updates the tags associated with an existing user assigned identity",
    ),
    (
        "Microsoft.ManagedIdentity/userAssignedIdentities/delete",
        MSI_IDENTITIES,
        "Delete User Assigned Identity",
        "Deletes an existing user assigned identity",
    ),
    (
        "Microsoft.ManagedIdentity/identities/read",
        "Managed Identities",
        "Get Managed Identity",
        "Gets an existing system assigned identity",
    ),
)


def _operation(name: str, resource: str, operation: str, description: str, provider: str) -> JsonObject:
    display = {"provider": provider, "resource": resource, "operation": operation, "description": description}
    return {"name": name, "display": display}


def list_msi_operations(ctx: Context, request: ApiRequest) -> ApiResponse:
    return ok({"value": [_operation(*row, MSI_PROVIDER) for row in MSI_OPERATIONS]})

"""Built-in role definitions (real ids and names) and the JSON shape of a role definition."""

from __future__ import annotations

from dataclasses import dataclass

from vending.emulator.protocol import JsonObject

DEFINITIONS_PATH = "/providers/Microsoft.Authorization/roleDefinitions"
BUILT_IN_DATE = "2015-02-02T21:55:09.8806423Z"


@dataclass(frozen=True)
class BuiltInRole:
    guid: str
    name: str
    description: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...] = ()
    data_actions: tuple[str, ...] = ()


CONTRIBUTOR_NOT_ACTIONS = (
    "Microsoft.Authorization/*/Delete",
    "Microsoft.Authorization/*/Write",
    "Microsoft.Authorization/elevateAccess/Action",
    "Microsoft.Blueprint/blueprintAssignments/write",
    "Microsoft.Blueprint/blueprintAssignments/delete",
    "Microsoft.Compute/galleries/share/action",
    "Microsoft.Purview/consents/write",
    "Microsoft.Purview/consents/delete",
    "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
    "Microsoft.Subscription/cancel/action",
    "Microsoft.Subscription/enable/action",
)
READ = ("*/read",)
BUILT_IN_ROLES: tuple[BuiltInRole, ...] = (
    BuiltInRole(
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        "Owner",
        "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        ("*",),
    ),
    BuiltInRole(
        "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "Contributor",
        "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.",
        ("*",),
        CONTRIBUTOR_NOT_ACTIONS,
    ),
    BuiltInRole(
        "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "Reader",
        "View all resources, but does not allow you to make any changes.",
        READ,
    ),
    BuiltInRole(
        "18d7d88d-ec35-4ee5-beee-5a5a9f5b7f06",
        "User Access Administrator",
        "Lets you manage user access to Azure resources.",
        ("*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"),
    ),
    BuiltInRole(
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        "Role Based Access Control Administrator",
        "Manage access to Azure resources by assigning roles using Azure RBAC.",
        (
            "Microsoft.Authorization/roleAssignments/write",
            "Microsoft.Authorization/roleAssignments/delete",
            "*/read",
            "Microsoft.Support/*",
        ),
    ),
    BuiltInRole(
        "4d97b98b-1d4f-4787-a291-c67834d212e7",
        "Network Contributor",
        "Lets you manage networks, but not access to them.",
        (
            "Microsoft.Authorization/*/read",
            "Microsoft.Network/*",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
        ),
    ),
    BuiltInRole(
        "72fafb9e-0641-4937-9268-a91bfd8191a3",
        "Cost Management Reader",
        "Can view cost data and configuration (e.g. budgets, exports)",
        ("Microsoft.Consumption/*/read", "Microsoft.CostManagement/*/read"),
    ),
    BuiltInRole(
        "434105ed-43f6-45c7-a02f-909b2ba83430",
        "Cost Management Contributor",
        "Can view costs and manage cost configuration (e.g. budgets, exports)",
        ("Microsoft.Consumption/*", "Microsoft.CostManagement/*"),
    ),
    BuiltInRole("43d0d8ad-25c7-4714-9337-8ba259a9fe05", "Monitoring Reader", "Can read all monitoring data.", READ),
    BuiltInRole("39bc4728-0917-49c7-9d2c-d95423bc2eb4", "Security Reader", "Security Reader Role", READ),
    BuiltInRole(
        "73c42c96-874c-492b-b04d-ab87d138a893",
        "Log Analytics Reader",
        "Log Analytics Reader can view and search all monitoring data.",
        READ,
    ),
    BuiltInRole(
        "f1a07417-d97a-45cb-824c-7a7467783830",
        "Managed Identity Operator",
        "Read and Assign User Assigned Identity",
        (
            "Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
            "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
        ),
    ),
    BuiltInRole(
        "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
        "Virtual Machine Contributor",
        "Lets you manage virtual machines, but not access to them.",
        ("Microsoft.Compute/*", "Microsoft.Network/*/read"),
    ),
    BuiltInRole(
        "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        "Key Vault Administrator",
        "Perform all data plane operations on a key vault and all objects in it.",
        ("Microsoft.KeyVault/*/read",),
        data_actions=("Microsoft.KeyVault/vaults/*",),
    ),
    BuiltInRole(
        "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        "AcrPull",
        "acr pull",
        ("Microsoft.ContainerRegistry/registries/pull/read",),
    ),
    BuiltInRole(
        "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        "Storage Blob Data Contributor",
        "Allows for read, write and delete access to Azure Storage blob containers and data",
        ("Microsoft.Storage/storageAccounts/blobServices/containers/*",),
        data_actions=("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*",),
    ),
    BuiltInRole(
        "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        "Storage Blob Data Reader",
        "Allows for read access to Azure Storage blob containers and data",
        ("Microsoft.Storage/storageAccounts/blobServices/containers/read",),
        data_actions=("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",),
    ),
)
BY_GUID = {role.guid: role for role in BUILT_IN_ROLES}


def definition_id(scope: str, guid: str) -> str:
    """A role definition id as ARM reports it at ``scope`` (``""`` is the tenant root)."""
    prefix = "" if scope.strip("/") == "" or "managementgroups" in scope.lower() else "/" + scope.strip("/")
    return f"{prefix}{DEFINITIONS_PATH}/{guid}"


def built_in_json(role: BuiltInRole, scope: str) -> JsonObject:
    permissions = {
        "actions": list(role.actions),
        "notActions": list(role.not_actions),
        "dataActions": list(role.data_actions),
        "notDataActions": [],
    }
    return {
        "id": definition_id(scope, role.guid),
        "type": "Microsoft.Authorization/roleDefinitions",
        "name": role.guid,
        "properties": {
            "roleName": role.name,
            "type": "BuiltInRole",
            "description": role.description,
            "assignableScopes": ["/"],
            "permissions": [permissions],
            "createdOn": BUILT_IN_DATE,
            "updatedOn": BUILT_IN_DATE,
            "createdBy": None,
            "updatedBy": None,
        },
    }


def guid_of(role_definition_id: str) -> str:
    """The GUID at the end of a role definition id (or the GUID itself)."""
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()

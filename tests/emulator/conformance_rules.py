"""What the conformance replay checks, and every deliberate exception with its reason."""

from __future__ import annotations

IMPLEMENTED = {
    "Tenants_List",
    "Subscriptions_List",
    "Subscriptions_Get",
    "Subscriptions_ListLocations",
    "Subscription_Cancel",
    "Subscription_Rename",
    "Subscription_Enable",
    "Operations_List",
    "Alias_Create",
    "Alias_Get",
    "Alias_Delete",
    "Alias_List",
    "SubscriptionPolicy_AddUpdatePolicyForTenant",
    "SubscriptionPolicy_GetPolicyForTenant",
    "SubscriptionPolicy_ListPolicyForTenant",
    "BillingAccount_GetPolicy",
    "ManagementGroups_Get",
    "ManagementGroups_List",
    "ManagementGroupSubscriptions_Create",
    "ManagementGroupSubscriptions_Delete",
    "ManagementGroupSubscriptions_GetSubscription",
    "ManagementGroupSubscriptions_GetSubscriptionsUnderManagementGroup",
    "ResourceGroups_CheckExistence",
    "ResourceGroups_CreateOrUpdate",
    "ResourceGroups_Delete",
    "ResourceGroups_Get",
    "ResourceGroups_Update",
    "ResourceGroups_List",
    "Tags_CreateOrUpdateAtScope",
    "Tags_UpdateAtScope",
    "Tags_GetAtScope",
    "Tags_DeleteAtScope",
    "Providers_Get",
    "Providers_List",
    "Providers_Register",
    "Providers_Unregister",
    "Providers_GetAtTenantScope",
    "Providers_ListAtTenantScope",
    "ProviderResourceTypes_List",
    "RoleAssignments_Create",
    "RoleAssignments_CreateById",
    "RoleAssignments_Get",
    "RoleAssignments_GetById",
    "RoleAssignments_Delete",
    "RoleAssignments_DeleteById",
    "RoleAssignments_ListForScope",
    "RoleAssignments_ListForSubscription",
    "RoleAssignments_ListForResourceGroup",
    "RoleAssignments_ListForResource",
    "RoleDefinitions_Get",
    "RoleDefinitions_List",
    "Budgets_CreateOrUpdate",
    "Budgets_Get",
    "Budgets_Delete",
    "Budgets_List",
    "VirtualNetworks_CreateOrUpdate",
    "VirtualNetworks_Get",
    "VirtualNetworks_Delete",
    "VirtualNetworks_UpdateTags",
    "VirtualNetworks_List",
    "VirtualNetworks_ListAll",
    "VirtualNetworkPeerings_CreateOrUpdate",
    "VirtualNetworkPeerings_Get",
    "VirtualNetworkPeerings_Delete",
    "VirtualNetworkPeerings_List",
}
# Examples with no operation in the copied specs, replayed against the emulator's route for them.
UNSPECIFIED_ROUTES = {
    "getSubscriptionOperation": (
        "GET",
        "/providers/Microsoft.Subscription/subscriptionOperations/{operationId}",
    ),
}
SYNC_TAGS = "the emulator writes tags at once and answers 200; ARM answers 202 only when it defers the write"
SYNC_SECOND_DELETE = "a replay repeats the DELETE: the emulator answers the first with 202 (long-running) and the "
SYNC_SECOND_DELETE += "second with 204 or 404 once the resource is gone; a synchronous 200 is not emulated"
PLACEHOLDER_SCOPE = "the example's scope 'scope' and id 'roleDefinitionId' are placeholders, not ARM ids"
SKIPPED_STATUSES = {
    ("AddManagementGroupSubscription", "201"): "the spec declares only 200 for this PUT and "
    "azure-mgmt-managementgroups 2.0.0 accepts only 200, so the emulator never answers 201",
    ("PutTagsResource", "202"): SYNC_TAGS,
    ("PutTagsSubscription", "202"): SYNC_TAGS,
    ("PatchTagsResource", "202"): SYNC_TAGS,
    ("PatchTagsSubscription", "202"): SYNC_TAGS,
    ("DeleteTagsResource", "202"): SYNC_TAGS,
    ("DeleteTagsSubscription", "202"): SYNC_TAGS,
    ("ForceDeleteVMsInResourceGroup", "200"): SYNC_SECOND_DELETE,
    ("ForceDeleteVMsAndVMSSInResourceGroup", "200"): SYNC_SECOND_DELETE,
    ("VirtualNetworkDelete", "200"): SYNC_SECOND_DELETE,
    ("VirtualNetworkPeeringDelete", "200"): SYNC_SECOND_DELETE,
    ("CheckExistenceResourceGroups", "404"): "a replay sends the same HEAD for 404 and 204 against one seeded "
    "state, where the group exists; test_emulator_resources checks the 404 of an absent group",
    ("GetRoleDefinitionAtScope", "200"): PLACEHOLDER_SCOPE,
    ("GetRoleDefinitionByName", "200"): PLACEHOLDER_SCOPE,
}
SCHEMA_STATUS = {
    ("SubscriptionPolicy_AddUpdatePolicyForTenant", "200"): "201",  # the spec says 201, the example and
    # azure-mgmt-subscription 3.1.1 (which raises on anything but 200) say 200: the schema is the same.
}
RELAXED_REQUIRED = {
    "nextLink": "ARM omits nextLink on the last page and the SDK stops paging when it is absent",
}
OMITTED_FIELDS = {
    "nextLink": "paging has its own tests; a single page carries no nextLink",
    "acceptOwnershipUrl": "the cross-tenant accept-ownership flow is not emulated",
    "acceptOwnershipState": "the cross-tenant accept-ownership flow is not emulated",
    "subscriptionOwnerId": "echoed only for aliases whose request set it",
    "tenantBrandingLogoUrl": "optional tenant branding is not modelled",
    "tenantChangeAllowedTenants": "in neither the 2021-10-01 schema nor the SDK's TenantPolicy model",
    "remoteBgpCommunities": "BGP communities of virtual networks are not modelled",
    "remoteVirtualNetworkEncryption": "virtual network encryption is not modelled",
    "regionalCommunity": "Azure derives it from the region; BGP communities are not modelled",
    "ipConfigurations": "network interfaces are not emulated, so no subnet has IP configurations",
    "resourceNavigationLinks": "no emulated resource links itself to a subnet",
    "purpose": "Azure sets a subnet's purpose for some delegated services; not modelled",
}
RENAMED_FIELDS = {
    # The examples show {"value": id}; the schema (CanceledSubscriptionId, EnabledSubscriptionId)
    # and the SDK models read {"subscriptionId": id}.
    "Subscription_Cancel": {"value": "subscriptionId"},
    "Subscription_Enable": {"value": "subscriptionId"},
}
OMITTED_PATHS = {
    "$.properties.id": "PutTagsResource.json puts the id inside properties; the TagsResource schema (checked) "
    "and the other tags examples have it at the top",
}
MAP_FIELDS = {"tags", "notifications"}
# arm-spec has no copy of the shared common-types files, nor of the network specs that describe
# resources the emulator does not serve (network interfaces, security groups, ...).
KNOWN_ABSENT_REFS = (
    "common-types",
    "./applicationGateway.json",
    "./networkInterface.json",
    "./networkProfile.json",
    "./networkSecurityGroup.json",
    "./networkWatcher.json",
    "./privateEndpoint.json",
    "./publicIpAddress.json",
    "./routeTable.json",
    "./serviceEndpointPolicy.json",
)

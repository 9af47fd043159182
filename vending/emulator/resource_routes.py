"""The route table of ARM resources: groups, tags, providers, RBAC, budgets, networks, operations."""

from __future__ import annotations

from vending.emulator import (
    budgets_api,
    lro,
    network_api,
    peerings_api,
    providers_api,
    resourcegroups_api,
    roleassignments_api,
    roledefinitions_api,
    tags_api,
)
from vending.emulator.protocol import (
    AUTHORIZATION_VERSIONS,
    CONSUMPTION_VERSIONS,
    NETWORK_VERSIONS,
    PROVIDERS_VERSIONS,
)
from vending.emulator.routing import Route, route

SUB = "/subscriptions/{sub}"
RG = SUB + "/resourceGroups/{rg}"
VNETS = "/providers/Microsoft.Network/virtualNetworks"
VNET = RG + VNETS + "/{vnet}"
PEERING = VNET + "/virtualNetworkPeerings/{peering}"
TAGS = "{scope}/providers/Microsoft.Resources/tags/default"
ASSIGNMENTS = "{scope}/providers/Microsoft.Authorization/roleAssignments"
DEFINITIONS = "{scope}/providers/Microsoft.Authorization/roleDefinitions"
BUDGETS = "{scope}/providers/Microsoft.Consumption/budgets"
NETWORK_LOCATION = SUB + "/providers/Microsoft.Network/locations/{location}"
RGS = resourcegroups_api
PROVIDERS = providers_api
PROVIDER_ROUTES: tuple[Route, ...] = (
    route("GET", SUB + "/providers", PROVIDERS.list_providers, PROVIDERS_VERSIONS),
    route("GET", SUB + "/providers/{ns}", PROVIDERS.get_provider, PROVIDERS_VERSIONS),
    route("POST", SUB + "/providers/{ns}/register", PROVIDERS.register_provider, PROVIDERS_VERSIONS),
    route("POST", SUB + "/providers/{ns}/unregister", PROVIDERS.unregister_provider, PROVIDERS_VERSIONS),
    route("GET", SUB + "/providers/{ns}/resourceTypes", PROVIDERS.list_resource_types, PROVIDERS_VERSIONS),
    route("GET", "/providers", PROVIDERS.list_tenant_providers, PROVIDERS_VERSIONS),
    route("GET", "/providers/{ns}", PROVIDERS.get_tenant_provider, PROVIDERS_VERSIONS),
)
GROUP_ROUTES: tuple[Route, ...] = (
    route("GET", SUB + "/resourceGroups", RGS.list_groups, PROVIDERS_VERSIONS),
    route("PUT", RG, RGS.put_group, PROVIDERS_VERSIONS),
    route("GET", RG, RGS.get_group, PROVIDERS_VERSIONS),
    route("HEAD", RG, RGS.check_group, PROVIDERS_VERSIONS),
    route("PATCH", RG, RGS.patch_group, PROVIDERS_VERSIONS),
    route("DELETE", RG, RGS.delete_group, PROVIDERS_VERSIONS),
    route("GET", SUB + "/operationresults/{op}", lro.get_operation_result, PROVIDERS_VERSIONS),
    route("GET", TAGS, tags_api.get_tags, PROVIDERS_VERSIONS),
    route("PUT", TAGS, tags_api.put_tags, PROVIDERS_VERSIONS),
    route("PATCH", TAGS, tags_api.patch_tags, PROVIDERS_VERSIONS),
    route("DELETE", TAGS, tags_api.delete_tags, PROVIDERS_VERSIONS),
)
RBAC_ROUTES: tuple[Route, ...] = (
    route("GET", ASSIGNMENTS, roleassignments_api.list_assignments, AUTHORIZATION_VERSIONS),
    route("GET", ASSIGNMENTS + "/{name}", roleassignments_api.get_assignment, AUTHORIZATION_VERSIONS),
    route("PUT", ASSIGNMENTS + "/{name}", roleassignments_api.put_assignment, AUTHORIZATION_VERSIONS),
    route("DELETE", ASSIGNMENTS + "/{name}", roleassignments_api.delete_assignment, AUTHORIZATION_VERSIONS),
    route("GET", DEFINITIONS, roledefinitions_api.list_definitions, AUTHORIZATION_VERSIONS),
    route("GET", DEFINITIONS + "/{name}", roledefinitions_api.get_definition, AUTHORIZATION_VERSIONS),
)
BUDGET_ROUTES: tuple[Route, ...] = (
    route("GET", BUDGETS, budgets_api.list_budgets, CONSUMPTION_VERSIONS),
    route("GET", BUDGETS + "/{name}", budgets_api.get_budget, CONSUMPTION_VERSIONS),
    route("PUT", BUDGETS + "/{name}", budgets_api.put_budget, CONSUMPTION_VERSIONS),
    route("DELETE", BUDGETS + "/{name}", budgets_api.delete_budget, CONSUMPTION_VERSIONS),
)
NETWORK_ROUTES: tuple[Route, ...] = (
    route("GET", SUB + VNETS, network_api.list_vnets, NETWORK_VERSIONS),
    route("GET", RG + VNETS, network_api.list_vnets, NETWORK_VERSIONS),
    route("PUT", VNET, network_api.put_vnet, NETWORK_VERSIONS),
    route("GET", VNET, network_api.get_vnet, NETWORK_VERSIONS),
    route("PATCH", VNET, network_api.patch_vnet, NETWORK_VERSIONS),
    route("DELETE", VNET, network_api.delete_vnet, NETWORK_VERSIONS),
    route("GET", VNET + "/virtualNetworkPeerings", peerings_api.list_peerings, NETWORK_VERSIONS),
    route("PUT", PEERING, peerings_api.put_peering, NETWORK_VERSIONS),
    route("GET", PEERING, peerings_api.get_peering, NETWORK_VERSIONS),
    route("DELETE", PEERING, peerings_api.delete_peering, NETWORK_VERSIONS),
    route("GET", RG + "/providers/Microsoft.Network/networkWatchers/{name}", network_api.get_watcher, NETWORK_VERSIONS),
    route("GET", NETWORK_LOCATION + "/operations/{op}", lro.get_network_operation, NETWORK_VERSIONS),
    route("GET", NETWORK_LOCATION + "/operationResults/{op}", lro.get_operation_result, NETWORK_VERSIONS),
)
RESOURCE_ROUTES = PROVIDER_ROUTES + GROUP_ROUTES + RBAC_ROUTES + BUDGET_ROUTES + NETWORK_ROUTES

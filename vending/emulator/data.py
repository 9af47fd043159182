"""The emulator's documented default state (docs/emulator.md) and the region catalogue it serves."""

from __future__ import annotations

from dataclasses import dataclass

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
TENANT_DISPLAY_NAME = "Contoso"
TENANT_DOMAIN = "contoso.onmicrosoft.com"
ROOT_GROUP_DISPLAY_NAME = "Tenant Root Group"
MANAGEMENT_GROUPS: tuple[tuple[str, str], ...] = (
    ("mg-platform", "Platform"),
    ("mg-corp-dev", "Corp Dev"),
    ("mg-corp-prod", "Corp Prod"),
    ("mg-online", "Online"),
    ("mg-sandbox", "Sandbox"),
)
EA_SCOPE = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
MCA_SCOPE = "/providers/Microsoft.Billing/billingAccounts/contoso-mca/billingProfiles/bp1/invoiceSections/is1"
BILLING_SCOPES: tuple[str, ...] = (EA_SCOPE, MCA_SCOPE)
PLATFORM_SUBSCRIPTION_ID = "00000000-0000-0000-0000-0000000000aa"
LEGACY_SUBSCRIPTION_ID = "00000000-0000-0000-0000-0000000000bb"
HUB_RESOURCE_GROUP = "rg-hub"
HUB_NETWORK_ID = (
    f"/subscriptions/{PLATFORM_SUBSCRIPTION_ID}/resourceGroups/{HUB_RESOURCE_GROUP}"
    "/providers/Microsoft.Network/virtualNetworks/vnet-hub"
)
HUB_ADDRESS_SPACE = ("10.0.0.0/16",)
HUB_LOCATION = "westeurope"
NETWORK_WATCHER_GROUP = "NetworkWatcherRG"
# Registered in every subscription from the start, as Azure does (lower case).
DEFAULT_REGISTERED = frozenset(
    name.lower()
    for name in (
        "Microsoft.Authorization",
        "Microsoft.ClassicSubscription",
        "Microsoft.Commerce",
        "Microsoft.Consumption",
        "Microsoft.CostManagement",
        "Microsoft.Features",
        "Microsoft.MarketplaceOrdering",
        "Microsoft.ResourceGraph",
        "Microsoft.ResourceHealth",
        "Microsoft.Resources",
        "Microsoft.Security",
        "Microsoft.SerializedData",
        "microsoft.insights",
        "microsoft.support",
    )
)
# Resource types the emulator's provider reads report, with their api-versions.
PROVIDER_TYPES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "Microsoft.Authorization": (
        ("roleAssignments", ("2022-04-01",)),
        ("roleDefinitions", ("2022-04-01",)),
    ),
    "Microsoft.Consumption": (("budgets", ("2021-10-01", "2023-05-01")),),
    "Microsoft.ManagedIdentity": (("userAssignedIdentities", ("2023-01-31",)), ("operations", ("2023-01-31",))),
    "Microsoft.Network": (
        ("virtualNetworks", ("2023-11-01",)),
        ("virtualNetworks/virtualNetworkPeerings", ("2023-11-01",)),
        ("networkWatchers", ("2023-11-01",)),
        ("locations/operations", ("2023-11-01",)),
    ),
    "Microsoft.Resources": (("resourceGroups", ("2021-04-01",)), ("tags", ("2022-09-01",))),
}
LOCATION_NAMES: tuple[str, ...] = (
    "westeurope",
    "northeurope",
    "uksouth",
    "swedencentral",
    "eastus",
    "eastus2",
    "westus3",
    "australiaeast",
)


@dataclass(frozen=True)
class Region:
    """One Azure region as ``/subscriptions/{id}/locations`` describes it."""

    name: str
    display_name: str
    geography_group: str
    longitude: str
    latitude: str
    physical_location: str
    paired_region: str


REGIONS: dict[str, Region] = {
    region.name: region
    for region in (
        Region("westeurope", "West Europe", "Europe", "4.893", "52.3667", "Netherlands", "northeurope"),
        Region("northeurope", "North Europe", "Europe", "-6.2597", "53.3478", "Ireland", "westeurope"),
        Region("uksouth", "UK South", "Europe", "-0.799", "50.941", "London", "ukwest"),
        Region("swedencentral", "Sweden Central", "Europe", "17.14127", "60.67488", "Gävle", "swedensouth"),
        Region("eastus", "East US", "US", "-79.8164", "37.3719", "Virginia", "westus"),
        Region("eastus2", "East US 2", "US", "-78.3889", "36.6681", "Virginia", "centralus"),
        Region("westus3", "West US 3", "US", "-112.074036", "33.448376", "Phoenix", "eastus"),
        Region(
            "australiaeast",
            "Australia East",
            "Asia Pacific",
            "151.2094",
            "-33.86",
            "New South Wales",
            "australiasoutheast",
        ),
    )
}


def region_for(name: str) -> Region:
    """The catalogue entry for ``name``, or a plain one for a region the catalogue lacks."""
    known = REGIONS.get(name)
    if known is not None:
        return known
    return Region(name, name, "Other", "0", "0", name, name)

"""Names Azure defines that a request refers to: built-in roles (with their real role definition ids) and
public regions. Checked offline, so a misspelt name is refused at ``validate`` instead of failing at plan time.

Neither list is complete: Azure adds roles and regions. A name that is not here and not close to one that
is gets a warning, not a refusal.
"""

from __future__ import annotations

import difflib
from types import MappingProxyType

OWNER_ROLE_ID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"

BUILT_IN_ROLES: MappingProxyType[str, str] = MappingProxyType(
    {
        "Owner": OWNER_ROLE_ID,
        "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "User Access Administrator": "18d7d88d-ec35-4ee5-beee-5a5a9f5b7f06",
        "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
        "Cost Management Reader": "72fafb9e-0641-4937-9268-a91bfd8191a3",
        "Cost Management Contributor": "434105ed-43f6-45c7-a02f-909b2ba83430",
        "Monitoring Reader": "43d0d8ad-25c7-4714-9337-8ba259a9fe05",
        "Monitoring Contributor": "749f88d5-cbae-40b8-bcfc-e573ddc772fa",
        "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
        "Security Reader": "39bc4728-0917-49c7-9d2c-d95423bc2eb4",
        "Security Admin": "fb1c8493-542b-48eb-b624-b4c8fea62acd",
        "Log Analytics Reader": "73c42c96-874c-492b-b04d-ab87d138a893",
        "Log Analytics Contributor": "92aaf0da-9dab-42b6-94a3-d43ce8d16293",
        "Managed Identity Operator": "f1a07417-d97a-45cb-824c-7a7467783830",
        "Managed Identity Contributor": "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59",
        "Virtual Machine Contributor": "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
        "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        "Key Vault Contributor": "f25e0fa2-a7c8-4377-a976-54943a77a395",
        "Key Vault Reader": "21090545-7ca7-4776-b22c-e363652d74d2",
        "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
        "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        "AcrPull": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        "AcrPush": "8311e382-0749-4cb8-b61a-304f252e45ec",
        "Storage Account Contributor": "17d1049b-9a84-46fb-8f53-869881c3d3ab",
        "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        "Resource Policy Contributor": "36243c78-bf99-498c-9df9-86d9f8d28608",
        "Tag Contributor": "4a9ae827-6dc8-4573-8ac7-8239d42aa03f",
        "Support Request Contributor": "cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e",
        "Billing Reader": "fa23ad8b-c56e-40d8-ac0c-ce449e1d2c64",
        "Website Contributor": "de139f84-1756-47ae-9be6-808fbbe84772",
        "Azure Kubernetes Service Cluster User Role": "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
        "Azure Kubernetes Service Cluster Admin Role": "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8",
        "Azure Kubernetes Service RBAC Reader": "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
        "Azure Kubernetes Service RBAC Writer": "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
        "Azure Kubernetes Service RBAC Admin": "3498e952-d568-435e-9b2c-8d77e338d7f7",
        "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
    }
)
"""Built-in role name → role definition id (the common ones; the emulator knows a subset)."""

REGIONS: frozenset[str] = frozenset(
    [
        "australiacentral",
        "australiacentral2",
        "australiaeast",
        "australiasoutheast",
        "austriaeast",
        "belgiumcentral",
        "brazilsouth",
        "brazilsoutheast",
        "canadacentral",
        "canadaeast",
        "centralindia",
        "centralus",
        "chilecentral",
        "eastasia",
        "eastus",
        "eastus2",
        "francecentral",
        "francesouth",
        "germanynorth",
        "germanywestcentral",
        "indonesiacentral",
        "israelcentral",
        "italynorth",
        "japaneast",
        "japanwest",
        "jioindiacentral",
        "jioindiawest",
        "koreacentral",
        "koreasouth",
        "malaysiawest",
        "mexicocentral",
        "newzealandnorth",
        "northcentralus",
        "northeurope",
        "norwayeast",
        "norwaywest",
        "polandcentral",
        "qatarcentral",
        "southafricanorth",
        "southafricawest",
        "southcentralus",
        "southeastasia",
        "southindia",
        "spaincentral",
        "swedencentral",
        "swedensouth",
        "switzerlandnorth",
        "switzerlandwest",
        "uaecentral",
        "uaenorth",
        "uksouth",
        "ukwest",
        "westcentralus",
        "westeurope",
        "westindia",
        "westus",
        "westus2",
        "westus3",
    ]
)
"""Public Azure region names as ARM spells them."""


_LOWER_ROLES = frozenset(role.lower() for role in BUILT_IN_ROLES)


def closest(value: str, choices: frozenset[str] | tuple[str, ...], cutoff: float = 0.8) -> str | None:
    """The choice ``value`` most likely meant: equal ignoring case, spaces and hyphens, else a close spelling."""
    folded = {_fold(choice): choice for choice in choices}
    if _fold(value) in folded:
        return folded[_fold(value)]
    close = difflib.get_close_matches(_fold(value), list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None


def _fold(text: str) -> str:
    return "".join(text.lower().replace("-", " ").split())


def role_problem(name: str) -> str | None:
    """Why ``name`` is not a built-in role name as Azure spells it, when it looks like a misspelt one."""
    if name.lower() in _LOWER_ROLES:
        return None
    meant = _misspelt_role(name)
    if meant is None:
        return None
    return f"{name!r} is not a built-in role name; did you mean {meant!r}?"


def _misspelt_role(name: str) -> str | None:
    """The known role ``name`` differs from only in case, spacing or one or two letters (``Contributer``).
    Anything further may be a real role this list lacks (``Storage Table Data Reader``), so it passes."""
    allowed = 2 if len(name) >= 8 else 1
    for role in BUILT_IN_ROLES:
        if _fold(role) == _fold(name) or _distance(role.lower(), name.lower(), allowed) <= allowed:
            return role
    return None


def _distance(first: str, second: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` once it is known to exceed ``limit``."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous = list(range(len(second) + 1))
    for index, char in enumerate(first, start=1):
        current = [index]
        for other_index, other in enumerate(second, start=1):
            current.append(min(previous[other_index] + 1, current[-1] + 1, previous[other_index - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def is_known_role(name: str) -> bool:
    """Azure matches role names without regard to case."""
    return name.lower() in _LOWER_ROLES


def region_hint(value: str) -> str:
    """``; did you mean 'westeurope'?`` when ``value`` is close to a region name, else empty."""
    meant = closest(value, REGIONS)
    return f"; did you mean {meant!r}?" if meant is not None and meant != value else ""

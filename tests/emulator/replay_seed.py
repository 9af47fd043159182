"""State for replaying an example: the resources the example reads, deletes or refers to exist first.

An example that creates a resource finds its parents (subscription, resource group, remote
network) but not the resource itself; an example that reads, updates, deletes or lists finds it.
"""

from __future__ import annotations

import re
from typing import Any

from vending.emulator import network, store
from vending.emulator.state import EmulatorState

CREATES = {
    "ResourceGroups_CreateOrUpdate",
    "VirtualNetworks_CreateOrUpdate",
    "VirtualNetworkPeerings_CreateOrUpdate",
    "RoleAssignments_Create",
    "RoleAssignments_CreateById",
    "Budgets_CreateOrUpdate",
}
EXAMPLE_ROLE = "0b5fe924-9a61-425c-96af-cfe6e287ca2d"  # the role definition id the RBAC examples use
BUDGET_FILTER = {
    "and": [
        {"dimensions": {"name": "ResourceGroupName", "operator": "In", "values": ["rg-app"]}},
        {"tags": {"name": "category", "operator": "In", "values": ["Dev"]}},
    ]
}
PRINCIPAL = "ce2ce14e-85d7-4629-bdbc-454d0519d987"
SUBSCRIPTION = re.compile(r"/subscriptions/([^/]+)", re.IGNORECASE)
GROUP = re.compile(r"^(/subscriptions/[^/]+/resourceGroups/[^/]+)", re.IGNORECASE)
VNET = re.compile(r"^(.*/providers/Microsoft\.Network/virtualNetworks/[^/]+)", re.IGNORECASE)
ASSIGNMENT = re.compile(r"^(.*)/providers/Microsoft\.Authorization/roleAssignments/([^/]+)$", re.IGNORECASE)
BUDGET = re.compile(r"^(.*)/providers/Microsoft\.Consumption/budgets/([^/]+)$", re.IGNORECASE)
EMULATED = re.compile(r".*/providers/Microsoft\.(Authorization|Consumption|Network|Resources)/", re.IGNORECASE)
RESOURCE = re.compile(r"^(/subscriptions/[^/]+/resourceGroups/[^/]+/providers/[^/]+/[^/]+/[^/]+)", re.IGNORECASE)


def seed_resources(state: EmulatorState, operation: str, path: str, body: Any) -> None:
    """Add what ``path`` needs to ``state`` (``path`` is the replayed request path)."""
    if isinstance(body, dict) and isinstance(body.get("location"), str) and body["location"] not in state.locations:
        state.locations.append(body["location"])  # regions outside the default catalogue
    ids = [path] + [str(item) for item in _strings(body) if str(item).startswith("/subscriptions/")]
    for resource_id in ids:
        _subscriptions(state, resource_id)
        _group(state, resource_id, skip=operation == "ResourceGroups_CreateOrUpdate" and resource_id == path)
        _networks(state, resource_id, creating=operation in CREATES and resource_id == path)
    _add_role(state)
    _resource_scope(state, path)
    if operation not in CREATES:
        _extension(state, path)
    network.refresh_peerings(state)


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [item for child in value.values() for item in _strings(child)]
    if isinstance(value, list):
        return [item for child in value for item in _strings(child)]
    return [value] if isinstance(value, str) else []


def _subscriptions(state: EmulatorState, resource_id: str) -> None:
    for subscription_id in SUBSCRIPTION.findall(resource_id):
        sub = state.subscription(subscription_id) or state.add_subscription("Example", subscription_id)
        sub.providers["microsoft.network"] = "Registered"


def _group(state: EmulatorState, resource_id: str, skip: bool) -> None:
    found = GROUP.match(resource_id)
    if found and not skip:
        network.add_resource_group(state, found.group(1), "westeurope")


def _networks(state: EmulatorState, resource_id: str, creating: bool) -> None:
    found = VNET.match(resource_id)
    if found is None:
        return
    vnet_id = found.group(1)
    is_target = vnet_id == resource_id
    if store.get(state, vnet_id) is None and not (creating and is_target):
        prefixes = ["12.0.0.0/8"] if vnet_id.endswith("vnet2") else ["10.0.0.0/16"]
        network.add_virtual_network(state, vnet_id, "westeurope", prefixes)
    if "/virtualNetworkPeerings/" in resource_id and not creating:
        remote = vnet_id.rsplit("/", 1)[0] + "/vnet2"
        _networks(state, remote, creating=False)
        peering = network.peering_json(state, resource_id, {"remoteVirtualNetwork": {"id": remote}})
        store.put(state, peering)
    elif resource_id.endswith("/virtualNetworkPeerings") and not creating:
        _networks(state, resource_id + "/peer", creating=False)


def _add_role(state: EmulatorState) -> None:
    definition = {
        "id": f"/providers/Microsoft.Authorization/roleDefinitions/{EXAMPLE_ROLE}",
        "name": EXAMPLE_ROLE,
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {"roleName": "Example Role", "type": "CustomRole", "assignableScopes": ["/"], "permissions": []},
    }
    store.put(state, definition)


def _resource_scope(state: EmulatorState, path: str) -> None:
    found = RESOURCE.match(path)
    if found and not EMULATED.match(found.group(1)) and store.get(state, found.group(1)) is None:
        resource_id = found.group(1)
        kind = "/".join(resource_id.split("/")[6:8])
        store.put(state, {"id": resource_id, "name": resource_id.rsplit("/", 1)[-1], "type": kind, "tags": {}})


def _extension(state: EmulatorState, path: str) -> None:
    """The role assignment or budget the path reads or deletes (or one to list)."""
    base = path.rstrip("/")
    assignment = ASSIGNMENT.match(base) or ASSIGNMENT.match(base + "/b0f43c54-e787-4862-89b1-a653fa9cf747")
    if assignment and "/roleAssignments" in base:
        scope, name = assignment.group(1) or "/", assignment.group(2)
        properties = {"roleDefinitionId": f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{EXAMPLE_ROLE}"}
        properties |= {"principalId": PRINCIPAL, "principalType": "User", "scope": scope}
        document = {"id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "name": name}
        store.put(state, {**document, "type": "Microsoft.Authorization/roleAssignments", "properties": properties})
    budget = BUDGET.match(base) or BUDGET.match(base + "/TestBudget")
    if budget and "/budgets" in base:
        properties = {"category": "Cost", "amount": 100.65, "timeGrain": "Monthly", "notifications": {}}
        period = {"startDate": "2017-10-01T00:00:00Z", "endDate": "2018-10-31T00:00:00Z"}
        properties |= {"timePeriod": period, "currentSpend": {"amount": 0, "unit": "USD"}, "filter": BUDGET_FILTER}
        document = {"id": f"{budget.group(1)}/providers/Microsoft.Consumption/budgets/{budget.group(2)}"}
        store.put(
            state,
            {
                **document,
                "name": budget.group(2),
                "type": "Microsoft.Consumption/budgets",
                "eTag": '"1"',
                "properties": properties,
            },
        )

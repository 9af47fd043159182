"""The lifecycle the Terraform module drives through azapi, over raw HTTPS.

Each step is what the provider sends: GET (404 expected) → PUT → long-running polling → GET for
resources, one request for actions, DELETE + polling on destroy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from emulator_support import Http

from vending.emulator import Emulator, run_emulator
from vending.emulator.data import EA_SCOPE, HUB_NETWORK_ID, PLATFORM_SUBSCRIPTION_ID

SUBAPI = "2021-10-01"
MGAPI = "2023-04-01"
RGAPI = "2021-04-01"
TAGAPI = "2022-09-01"
RBACAPI = "2022-04-01"
NETAPI = "2023-11-01"
BUDGETAPI = "2021-10-01"
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
PRINCIPAL = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
ALIAS = "payments-prod"


@pytest.fixture
def polled() -> Iterator[tuple[Emulator, Http]]:
    """An emulator whose long-running operations report progress once before they finish."""
    with run_emulator(retry_after=0, polls=1, seed=11) as emu:
        http = Http(emu)
        yield emu, http
        http.session.close()


def code_of(response: requests.Response) -> str:
    return str(response.json()["error"]["code"])


def create(http: Http, path: str, api: str, body: dict[str, Any]) -> requests.Response:
    """GET (404) → PUT → follow the operation until done → GET, as azapi_resource create does."""
    assert http.call("GET", path, api).status_code == 404
    put = http.call("PUT", path, api, json=body)
    assert put.status_code in (200, 201), put.text
    follow(http, put)
    final = http.call("GET", path, api)
    assert final.status_code == 200, final.text
    return final


def follow(http: Http, response: requests.Response) -> list[str]:
    """Poll ``Azure-AsyncOperation`` or ``Location`` until the operation ends; the statuses seen."""
    seen: list[str] = []
    url = response.headers.get("Azure-AsyncOperation") or response.headers.get("Location")
    while url:
        polled = http.session.get(url, timeout=30)
        assert polled.status_code in (200, 202), polled.text
        status = polled.json()["status"] if polled.content else str(polled.status_code)
        seen.append(status)
        if status in ("InProgress", "202"):
            continue
        break
    return seen


def vend(http: Http, name: str = ALIAS, group: str = "mg-corp-prod") -> str:
    """Create a subscription through an alias and poll the alias until it has Succeeded."""
    properties = {"displayName": "Payments", "workload": "Production", "billingScope": EA_SCOPE}
    extra = {"managementGroupId": f"/providers/Microsoft.Management/managementGroups/{group}", "tags": {"a": "1"}}
    body = {"properties": {**properties, "additionalProperties": extra}}
    path = f"/providers/Microsoft.Subscription/aliases/{name}"
    assert http.call("GET", path, SUBAPI).status_code == 404
    created = http.call("PUT", path, SUBAPI, json=body)
    assert (created.status_code, created.json()["properties"]["provisioningState"]) == (201, "Accepted")
    states = [http.call("GET", path, SUBAPI).json()["properties"]["provisioningState"] for _ in range(4)]
    assert states[0] == "Accepted" and states[-1] == "Succeeded"
    return str(created.json()["properties"]["subscriptionId"])


def test_alias_lro_then_subscription_reads_under_its_group(polled: tuple[Emulator, Http]) -> None:
    _, http = polled
    sub = vend(http)
    group = "/providers/Microsoft.Management/managementGroups/mg-corp-prod"
    under = http.call("GET", f"{group}/subscriptions/{sub}", MGAPI)
    assert (under.status_code, under.json()["properties"]["parent"]["id"]) == (200, group)
    listed = http.call("GET", f"{group}/subscriptions", MGAPI).json()["value"]
    assert sub in [item["name"] for item in listed]
    moved = http.call("PUT", f"/providers/Microsoft.Management/managementGroups/mg-online/subscriptions/{sub}", MGAPI)
    assert moved.status_code == 200
    assert http.call("GET", f"{group}/subscriptions/{sub}", MGAPI).status_code == 404


def test_rename_and_tags_put_merge_replace_delete(http: Http) -> None:
    sub = vend(http)
    renamed = http.call(
        "POST",
        f"/subscriptions/{sub}/providers/Microsoft.Subscription/rename",
        SUBAPI,
        json={"subscriptionName": "Payments (prod)"},
    )
    assert renamed.status_code == 200
    assert http.call("GET", f"/subscriptions/{sub}", "2022-12-01").json()["displayName"] == "Payments (prod)"
    tags = f"/subscriptions/{sub}/providers/Microsoft.Resources/tags/default"
    assert http.call("GET", tags, TAGAPI).json()["properties"]["tags"] == {"a": "1"}
    http.call("PUT", tags, TAGAPI, json={"properties": {"tags": {"b": "2", "c": "3"}}})
    merge = {"operation": "Merge", "properties": {"tags": {"c": "30", "d": "4"}}}
    merged = http.call("PATCH", tags, TAGAPI, json=merge).json()["properties"]["tags"]
    assert merged == {"b": "2", "c": "30", "d": "4"}
    http.call("PATCH", tags, TAGAPI, json={"operation": "Delete", "properties": {"tags": {"b": "", "c": "x"}}})
    assert http.call("GET", tags, TAGAPI).json()["properties"]["tags"] == {"c": "30", "d": "4"}
    assert http.call("GET", f"/subscriptions/{sub}", "2022-12-01").json()["tags"] == {"c": "30", "d": "4"}
    assert http.call("DELETE", tags, TAGAPI).status_code == 200
    assert http.call("GET", tags, TAGAPI).json()["properties"]["tags"] == {}


def test_role_definitions_resolve_by_name_with_real_ids(http: Http) -> None:
    path = f"/subscriptions/{PLATFORM_SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions"
    found = http.call("GET", path, RBACAPI, params={"$filter": "roleName eq 'Reader'"}).json()["value"]
    assert [item["name"] for item in found] == [READER]
    assert found[0]["id"] == f"{path}/{READER}"
    assert found[0]["properties"]["type"] == "BuiltInRole"
    names = {item["properties"]["roleName"] for item in http.call("GET", path, RBACAPI).json()["value"]}
    assert {"Owner", "Contributor", "Reader", "User Access Administrator"} <= names
    assert http.call("GET", path, RBACAPI, params={"$filter": "roleName eq 'Nope'"}).json()["value"] == []
    assert http.call("GET", f"{path}/{OWNER}", RBACAPI).json()["properties"]["roleName"] == "Owner"
    missing = http.call("GET", f"{path}/00000000-0000-0000-0000-000000000001", RBACAPI)
    assert (missing.status_code, code_of(missing)) == (404, "RoleDefinitionDoesNotExist")


def assignment(sub: str, role: str = OWNER) -> dict[str, Any]:
    definition = f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{role}"
    return {"properties": {"principalId": PRINCIPAL, "roleDefinitionId": definition, "principalType": "Group"}}


def test_role_assignment_create_conflict_list_delete(http: Http) -> None:
    sub = vend(http)
    base = f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments"
    first = f"{base}/6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b"
    created = create(http, first, RBACAPI, assignment(sub)).json()
    assert created["properties"]["scope"] == f"/subscriptions/{sub}"
    assert http.call("PUT", first, RBACAPI, json=assignment(sub)).status_code == 200
    twin = http.call("PUT", f"{base}/7c9e6679-7425-40de-944b-e07fc1f90ae7", RBACAPI, json=assignment(sub))
    assert (twin.status_code, code_of(twin)) == (409, "RoleAssignmentExists")
    changed = http.call("PUT", first, RBACAPI, json=assignment(sub, READER))
    assert (changed.status_code, code_of(changed)) == (409, "RoleAssignmentUpdateNotPermitted")
    listed = http.call("GET", base, RBACAPI, params={"$filter": f"principalId eq '{PRINCIPAL}'"}).json()["value"]
    assert [item["id"] for item in listed] == [first]
    unknown = http.call(
        "PUT",
        f"{base}/0f8fad5b-d9cb-469f-a165-70867728950e",
        RBACAPI,
        json=assignment(sub, "00000000-0000-0000-0000-000000000001"),
    )
    assert (unknown.status_code, code_of(unknown)) == (400, "RoleDefinitionDoesNotExist")
    assert http.call("DELETE", first, RBACAPI).status_code == 200
    assert http.call("DELETE", first, RBACAPI).status_code == 204
    assert http.call("GET", first, RBACAPI).status_code == 404


def test_budget_create_read_delete(http: Http) -> None:
    sub = vend(http)
    path = f"/subscriptions/{sub}/providers/Microsoft.Consumption/budgets/vending-budget"
    notification = {
        "enabled": True,
        "operator": "GreaterThanOrEqualTo",
        "threshold": 80,
        "thresholdType": "Actual",
        "contactEmails": ["finops@contoso.com"],
    }
    properties = {
        "category": "Cost",
        "amount": 1000,
        "timeGrain": "Monthly",
        "timePeriod": {"startDate": "2026-12-01T00:00:00Z"},
        "notifications": {"actual_ge_80": notification},
    }
    read = create(http, path, BUDGETAPI, {"properties": properties}).json()
    assert read["properties"]["amount"] == 1000
    assert read["properties"]["notifications"]["actual_ge_80"]["contactEmails"] == ["finops@contoso.com"]
    bad = http.call("PUT", path, BUDGETAPI, json={"properties": {**properties, "timeGrain": "Weekly"}})
    assert (bad.status_code, code_of(bad)) == (400, "InvalidBudget")
    assert http.call("DELETE", path, BUDGETAPI).status_code == 200
    assert http.call("GET", path, BUDGETAPI).status_code == 404


def network_body(prefix: str) -> dict[str, Any]:
    return {"location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": [prefix]}}}


def peering_body(remote: str) -> dict[str, Any]:
    flags = {"allowVirtualNetworkAccess": True, "allowForwardedTraffic": True}
    return {"properties": {**flags, "remoteVirtualNetwork": {"id": remote}}}


def spoke(http: Http, sub: str) -> str:
    """The module's network: register Microsoft.Network, then resource group and virtual network."""
    group = f"/subscriptions/{sub}/resourceGroups/rg-{ALIAS}-network"
    create(http, group, RGAPI, {"location": "westeurope", "tags": {"a": "1"}})
    vnet = f"{group}/providers/Microsoft.Network/virtualNetworks/vnet-{ALIAS}"
    refused = http.call("PUT", vnet, NETAPI, json=network_body("10.20.0.0/16"))
    assert (refused.status_code, code_of(refused)) == (409, "MissingSubscriptionRegistration")
    assert refused.json()["error"]["details"][0]["target"] == "Microsoft.Network"
    provider = f"/subscriptions/{sub}/providers/Microsoft.Network"
    assert http.call("POST", f"{provider}/register", "2019-05-01").json()["registrationState"] == "Registering"
    while http.call("GET", provider, "2019-05-01").json()["registrationState"] != "Registered":
        pass
    create(http, vnet, NETAPI, network_body("10.20.0.0/16"))
    return vnet


def test_vnet_peering_both_sides_and_network_watcher(polled: tuple[Emulator, Http]) -> None:
    _, http = polled
    sub = vend(http)
    vnet = spoke(http, sub)
    watchers = f"/subscriptions/{sub}/resourceGroups/NetworkWatcherRG"
    assert http.call("GET", watchers, RGAPI).json()["location"] == "westeurope"
    watcher = http.call(
        "GET", f"{watchers}/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope", NETAPI
    )
    assert watcher.status_code == 200
    to_hub = f"{vnet}/virtualNetworkPeerings/peer-to-vnet-hub"
    assert (
        create(http, to_hub, NETAPI, peering_body(HUB_NETWORK_ID)).json()["properties"]["peeringState"] == "Initiated"
    )
    to_spoke = f"{HUB_NETWORK_ID}/virtualNetworkPeerings/peer-to-{ALIAS}"
    back = create(http, to_spoke, NETAPI, peering_body(vnet)).json()["properties"]
    assert (back["peeringState"], back["remoteAddressSpace"]["addressPrefixes"]) == ("Connected", ["10.20.0.0/16"])
    assert http.call("GET", to_hub, NETAPI).json()["properties"]["peeringState"] == "Connected"
    hub = http.call("GET", HUB_NETWORK_ID, NETAPI).json()["properties"]
    assert [item["name"] for item in hub["virtualNetworkPeerings"]] == [f"peer-to-{ALIAS}"]
    deleted = http.call("DELETE", to_spoke, NETAPI)
    assert deleted.status_code == 202 and follow(http, deleted) == ["InProgress", "Succeeded"]
    assert http.call("GET", to_hub, NETAPI).json()["properties"]["peeringState"] == "Disconnected"


def test_overlapping_peering_is_refused(http: Http) -> None:
    sub = vend(http)
    group = f"/subscriptions/{sub}/resourceGroups/rg-net"
    http.call("PUT", group, RGAPI, json={"location": "westeurope"})
    http.call("POST", f"/subscriptions/{sub}/providers/Microsoft.Network/register", RGAPI)
    while (
        http.call("GET", f"/subscriptions/{sub}/providers/Microsoft.Network", RGAPI).json()["registrationState"]
        != "Registered"
    ):
        pass
    vnet = f"{group}/providers/Microsoft.Network/virtualNetworks/vnet-overlap"
    assert http.call("PUT", vnet, NETAPI, json=network_body("10.0.128.0/20")).status_code == 201
    refused = http.call("PUT", f"{vnet}/virtualNetworkPeerings/to-hub", NETAPI, json=peering_body(HUB_NETWORK_ID))
    assert (refused.status_code, code_of(refused)) == (400, "VnetAddressSpacesOverlap")


def test_address_space_update_keeps_subnets_and_peers(polled: tuple[Emulator, Http]) -> None:
    _, http = polled
    vnet = spoke(http, vend(http))
    current = http.call("GET", vnet, NETAPI).json()
    current["properties"]["subnets"] = [{"name": "app", "properties": {"addressPrefix": "10.20.1.0/24"}}]
    assert http.call("PUT", vnet, NETAPI, json=current).status_code == 200
    read = http.call("GET", vnet, NETAPI).json()  # azapi_update_resource: GET → PUT merged → GET
    read["properties"]["addressSpace"]["addressPrefixes"] = ["10.20.0.0/16", "10.21.0.0/16"]
    updated = http.call("PUT", vnet, NETAPI, json=read)
    assert updated.status_code == 200 and follow(http, updated) == ["InProgress", "Succeeded"]
    final = http.call("GET", vnet, NETAPI).json()["properties"]
    assert final["addressSpace"]["addressPrefixes"] == ["10.20.0.0/16", "10.21.0.0/16"]
    assert [subnet["name"] for subnet in final["subnets"]] == ["app"]


def test_cancel_refused_until_resources_are_gone_then_disabled(polled: tuple[Emulator, Http]) -> None:
    _, http = polled
    sub = vend(http)
    vnet = spoke(http, sub)
    cancel = f"/subscriptions/{sub}/providers/Microsoft.Subscription/cancel"
    refused = http.call("POST", cancel, SUBAPI)
    assert (refused.status_code, code_of(refused)) == (400, "ResourcesExistingOnSubscription")
    assert http.call("DELETE", vnet, NETAPI).status_code == 202
    group = vnet.split("/providers/")[0]
    deleted = http.call("DELETE", group, RGAPI)
    assert deleted.status_code == 202 and follow(http, deleted) == ["202", "200"]
    assert http.call("GET", group, RGAPI).status_code == 404
    assert http.call("HEAD", group, RGAPI).status_code == 404
    assert http.call("POST", cancel, SUBAPI).json() == {"subscriptionId": sub}
    assert http.call("GET", f"/subscriptions/{sub}", "2022-12-01").json()["state"] == "Disabled"
    watchers = f"/subscriptions/{sub}/resourceGroups/NetworkWatcherRG"
    assert http.call("GET", watchers, RGAPI).status_code == 200  # Azure's own group stays
    disabled = http.call("PUT", f"/subscriptions/{sub}/resourceGroups/rg-late", RGAPI, json={"location": "westeurope"})
    assert (disabled.status_code, code_of(disabled)) == (409, "ReadOnlyDisabledSubscription")
    assert http.call("DELETE", f"/providers/Microsoft.Subscription/aliases/{ALIAS}", SUBAPI).status_code == 200


def test_resource_group_rules(http: Http) -> None:
    group = f"/subscriptions/{PLATFORM_SUBSCRIPTION_ID}/resourceGroups/rg-app"
    bad_location = http.call("PUT", group, RGAPI, json={"location": "mars"})
    assert (bad_location.status_code, code_of(bad_location)) == (400, "LocationNotAvailableForResourceGroup")
    assert http.call("PUT", group, RGAPI, json={"location": "West Europe"}).json()["location"] == "westeurope"
    moved = http.call("PUT", group, RGAPI, json={"location": "northeurope"})
    assert (moved.status_code, code_of(moved)) == (409, "InvalidResourceGroupLocation")
    listed = http.call("GET", f"/subscriptions/{PLATFORM_SUBSCRIPTION_ID}/resourcegroups", RGAPI).json()["value"]
    assert {"rg-hub", "NetworkWatcherRG", "rg-app"} <= {item["name"] for item in listed}
    missing = http.call("GET", f"/subscriptions/{PLATFORM_SUBSCRIPTION_ID}/resourceGroups/rg-none", RGAPI)
    assert (missing.status_code, code_of(missing)) == (404, "ResourceGroupNotFound")

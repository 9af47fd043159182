"""JSON shapes of the emulator's resources, as the ARM REST API returns them."""

from __future__ import annotations

from vending.emulator import data
from vending.emulator.protocol import JsonObject
from vending.emulator.state import Alias, EmulatorState, ManagementGroup, Subscription, TenantPolicy

MG_PREFIX = "/providers/Microsoft.Management/managementGroups"
QUOTA_IDS = {"Production": "EnterpriseAgreement_2014-09-01", "DevTest": "MSDNDevTest_2014-09-01"}
MG_SUBSCRIPTION_STATES = {"Enabled": "Active"}


def tenant_json(state: EmulatorState) -> JsonObject:
    return {
        "id": f"/tenants/{state.tenant_id}",
        "tenantId": state.tenant_id,
        "countryCode": "US",
        "displayName": state.tenant_display_name,
        "domains": [state.tenant_domain],
        "tenantCategory": "Home",
        "defaultDomain": state.tenant_domain,
        "tenantType": "AAD",
    }


def subscription_json(state: EmulatorState, sub: Subscription) -> JsonObject:
    return {
        "id": f"/subscriptions/{sub.subscription_id}",
        "subscriptionId": sub.subscription_id,
        "tenantId": state.tenant_id,
        "displayName": sub.display_name,
        "state": sub.state,
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": QUOTA_IDS.get(sub.workload, QUOTA_IDS["Production"]),
            "spendingLimit": "Off",
        },
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "tags": dict(sub.tags),
    }


def location_json(subscription_id: str, name: str) -> JsonObject:
    region = data.region_for(name)
    prefix = f"/subscriptions/{subscription_id}/locations"
    return {
        "id": f"{prefix}/{region.name}",
        "subscriptionId": subscription_id,
        "name": region.name,
        "type": "Region",
        "displayName": region.display_name,
        "regionalDisplayName": f"({region.geography_group}) {region.display_name}",
        "latitude": region.latitude,
        "longitude": region.longitude,
        "metadata": {
            "regionType": "Physical",
            "regionCategory": "Recommended",
            "geographyGroup": region.geography_group,
            "longitude": region.longitude,
            "latitude": region.latitude,
            "physicalLocation": region.physical_location,
            "pairedRegion": [{"name": region.paired_region, "id": f"{prefix}/{region.paired_region}"}],
        },
    }


def alias_json(alias: Alias) -> JsonObject:
    properties: JsonObject = {
        "subscriptionId": alias.subscription_id,
        "displayName": alias.display_name,
        "provisioningState": alias.provisioning_state,
        "workload": alias.workload,
        "createdTime": alias.created_time,
        "tags": dict(alias.tags),
    }
    optional = {
        "billingScope": alias.billing_scope,
        "managementGroupId": alias.management_group_id,
        "subscriptionOwnerId": alias.subscription_owner_id,
        "resellerId": alias.reseller_id,
    }
    properties.update({key: value for key, value in optional.items() if value is not None})
    return {
        "id": f"/providers/Microsoft.Subscription/aliases/{alias.name}",
        "name": alias.name,
        "type": "Microsoft.Subscription/aliases",
        "properties": properties,
    }


def group_ref(state: EmulatorState, name: str | None) -> JsonObject | None:
    group = state.group(name) if name else None
    if group is None:
        return None
    return {"id": f"{MG_PREFIX}/{group.name}", "name": group.name, "displayName": group.display_name}


def management_group_json(state: EmulatorState, group: ManagementGroup, expand: str = "") -> JsonObject:
    details: JsonObject = {"version": 1, "updatedTime": group.updated_time, "updatedBy": state.tenant_id}
    parent = group_ref(state, group.parent)
    if parent is not None:
        details["parent"] = parent
    properties: JsonObject = {
        "tenantId": state.tenant_id,
        "displayName": group.display_name,
        "details": details,
    }
    if expand.lower() == "children":
        properties["children"] = group_children(state, group)
    return {
        "id": f"{MG_PREFIX}/{group.name}",
        "type": "Microsoft.Management/managementGroups",
        "name": group.name,
        "properties": properties,
    }


def group_children(state: EmulatorState, group: ManagementGroup) -> list[JsonObject]:
    children: list[JsonObject] = [
        {
            "type": "Microsoft.Management/managementGroups",
            "id": f"{MG_PREFIX}/{child.name}",
            "name": child.name,
            "displayName": child.display_name,
        }
        for child in state.groups.values()
        if child.parent is not None and child.parent.lower() == group.name.lower()
    ]
    children += [
        {
            "type": "/subscriptions",
            "id": f"/subscriptions/{sub.subscription_id}",
            "name": sub.subscription_id,
            "displayName": sub.display_name,
        }
        for sub in state.subscriptions.values()
        if sub.management_group.lower() == group.name.lower()
    ]
    return children


def group_subscription_json(state: EmulatorState, group: ManagementGroup, sub: Subscription) -> JsonObject:
    return {
        "id": f"{MG_PREFIX}/{group.name}/subscriptions/{sub.subscription_id}",
        "type": "Microsoft.Management/managementGroups/subscriptions",
        "name": sub.subscription_id,
        "properties": {
            "tenant": state.tenant_id,
            "displayName": sub.display_name,
            "parent": {"id": f"{MG_PREFIX}/{group.name}"},
            "state": MG_SUBSCRIPTION_STATES.get(sub.state, sub.state),
        },
    }


def tenant_policy_json(policy: TenantPolicy) -> JsonObject:
    return {
        "id": "/providers/Microsoft.Subscription/policies/default",
        "name": "default",
        "type": "Microsoft.Subscription/policies",
        "properties": {
            "policyId": policy.policy_id,
            "blockSubscriptionsLeavingTenant": policy.block_subscriptions_leaving_tenant,
            "blockSubscriptionsIntoTenant": policy.block_subscriptions_into_tenant,
            "exemptedPrincipals": list(policy.exempted_principals),
        },
    }

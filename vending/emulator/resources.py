"""A state as a state-file document, and resource documents from a state file into a state."""

from __future__ import annotations

from typing import Any

from vending.emulator import network, store
from vending.emulator.state import Alias, EmulatorState, ManagementGroup, Subscription

JsonObject = dict[str, Any]


def add_document(state: EmulatorState, document: JsonObject) -> None:
    """Store one resource; groups and networks get what Azure would have filled in."""
    kind = str(document["type"]).lower()
    document.setdefault("name", str(document["id"]).rstrip("/").rsplit("/", 1)[-1])
    if kind == network.GROUP_TYPE.lower():
        group = network.add_resource_group(state, document["id"], str(document.get("location", "westeurope")))
        group["tags"] = dict(document.get("tags") or {})
    elif kind == network.VNET_TYPE.lower() and "resourceGuid" not in document.get("properties", {}):
        prefixes = document.get("properties", {}).get("addressSpace", {}).get("addressPrefixes", [])
        vnet = network.add_virtual_network(state, document["id"], str(document.get("location", "")), prefixes)
        vnet["tags"] = dict(document.get("tags") or {})
    else:
        store.put(state, document)


def _group(group: ManagementGroup) -> JsonObject:
    return {"name": group.name, "displayName": group.display_name, "parent": group.parent or ""}


def _subscription(sub: Subscription) -> JsonObject:
    return {
        "subscriptionId": sub.subscription_id,
        "displayName": sub.display_name,
        "state": sub.state,
        "managementGroup": sub.management_group,
        "tags": dict(sub.tags),
        "resourceCount": sub.resource_count,
        "workload": sub.workload,
        "providers": dict(sub.providers),
        "billingScope": sub.billing_scope,
    }


def _alias(alias: Alias) -> JsonObject:
    return {
        "name": alias.name,
        "subscriptionId": alias.subscription_id,
        "displayName": alias.display_name,
        "workload": alias.workload,
        "billingScope": alias.billing_scope,
        "managementGroupId": alias.management_group_id,
        "provisioningState": alias.provisioning_state,
        "tags": dict(alias.tags),
        "createdTime": alias.created_time,
    }


def state_to_document(state: EmulatorState) -> JsonObject:
    """Everything in ``state`` as a state-file document over an empty base."""
    tenant = {"id": state.tenant_id, "displayName": state.tenant_display_name, "defaultDomain": state.tenant_domain}
    policy = state.tenant_policy
    accounts = {
        name: {"allowTransfers": account.allow_transfers, "serviceTenants": list(account.service_tenants)}
        for name, account in state.billing_accounts.items()
    }
    return {
        "base": "empty",
        "tenant": tenant,
        "managementGroups": [_group(group) for group in state.groups.values() if group.parent is not None],
        "billingScopes": sorted(state.billing_scopes),
        "billingAccounts": accounts,
        "subscriptions": [_subscription(sub) for sub in state.subscriptions.values()],
        "aliases": [_alias(alias) for alias in state.aliases.values()],
        "locations": list(state.locations),
        "tenantPolicy": {
            "policyId": policy.policy_id,
            "blockSubscriptionsLeavingTenant": policy.block_subscriptions_leaving_tenant,
            "blockSubscriptionsIntoTenant": policy.block_subscriptions_into_tenant,
            "exemptedPrincipals": list(policy.exempted_principals),
        },
        "resources": [store.snapshot(document) for document in state.resources.values()],
    }

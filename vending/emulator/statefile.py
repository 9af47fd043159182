"""Load an emulator state from a JSON file (format in docs/emulator.md).

A state file is one JSON object; every key is optional::

    {
      "base": "default",                 # or "empty": start from the default state or a bare tenant
      "tenant": {"id": "<guid>", "displayName": "Contoso", "defaultDomain": "contoso.onmicrosoft.com"},
      "managementGroups": [{"name": "mg-x", "displayName": "X", "parent": "mg-platform"}],
      "billingScopes": ["/providers/Microsoft.Billing/billingAccounts/1/enrollmentAccounts/2"],
      "billingAccounts": {"1": {"allowTransfers": true,
                                "serviceTenants": [{"tenantId": "..", "tenantName": ".."}]}},
      "subscriptions": [{"subscriptionId": "<guid>", "displayName": "App", "state": "Enabled",
                         "managementGroup": "mg-x", "tags": {}, "resourceCount": 0, "workload": "Production",
                         "providers": {"Microsoft.Compute": "Registered"}}],
      "aliases": [{"name": "app", "subscriptionId": "<guid>", "billingScope": "...", "workload": "Production",
                   "displayName": "App", "managementGroupId": "mg-x", "provisioningState": "Succeeded",
                   "tags": {}}],
      "locations": ["westeurope", "northeurope"],
      "tenantPolicy": {"blockSubscriptionsLeavingTenant": false, "blockSubscriptionsIntoTenant": false,
                       "exemptedPrincipals": []},
      "resources": [{"id": "/subscriptions/<guid>/resourceGroups/rg-x", "type": "Microsoft.Resources/resourceGroups",
                     "location": "westeurope"},
                    {"id": ".../providers/Microsoft.Network/virtualNetworks/vnet-x",
                     "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
                     "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}}]
    }

``resources`` are ARM resource documents as a GET returns them (resource groups, virtual networks,
peerings, role assignments, custom role definitions, budgets); a resource group or virtual network
needs only ``id``, ``type``, ``location`` (and the network its address space), the rest is filled in.
``state_to_document`` writes a state back in this format (``base: empty``), so ``save_state`` and
``load_state`` round-trip everything the API wrote.

Groups, scopes, accounts, subscriptions, aliases and resources are added to the base (same id replaces);
``tenant``, ``locations`` and ``tenantPolicy`` replace the base's. Groups are added in file order,
so a parent must come before its children (``parent`` defaults to the root group).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vending.emulator import data, network, resources
from vending.emulator.defaults import default_state
from vending.emulator.state import Alias, BillingAccountPolicy, EmulatorState, TenantPolicy

SubscriptionState = Literal["Enabled", "Warned", "PastDue", "Disabled", "Deleted"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TenantDoc(_Model):
    id: str
    display_name: str = Field(data.TENANT_DISPLAY_NAME, alias="displayName")
    default_domain: str = Field(data.TENANT_DOMAIN, alias="defaultDomain")


class GroupDoc(_Model):
    name: str
    display_name: str = Field("", alias="displayName")
    parent: str = ""


class AccountDoc(_Model):
    allow_transfers: bool = Field(True, alias="allowTransfers")
    service_tenants: list[dict[str, str]] = Field(default_factory=list, alias="serviceTenants")


class SubscriptionDoc(_Model):
    subscription_id: str = Field(alias="subscriptionId")
    display_name: str = Field(alias="displayName")
    state: SubscriptionState = "Enabled"
    management_group: str | None = Field(None, alias="managementGroup")
    tags: dict[str, str] = Field(default_factory=dict)
    resource_count: int = Field(0, alias="resourceCount", ge=0)
    workload: Literal["Production", "DevTest"] = "Production"
    providers: dict[str, Literal["Registered", "NotRegistered", "Registering", "Unregistered"]] = Field(
        default_factory=dict
    )
    billing_scope: str | None = Field(None, alias="billingScope")


class AliasDoc(_Model):
    name: str
    subscription_id: str = Field(alias="subscriptionId")
    display_name: str | None = Field(None, alias="displayName")
    workload: Literal["Production", "DevTest"] = "Production"
    billing_scope: str | None = Field(None, alias="billingScope")
    management_group_id: str | None = Field(None, alias="managementGroupId")
    provisioning_state: Literal["Accepted", "Succeeded", "Failed"] = Field("Succeeded", alias="provisioningState")
    tags: dict[str, str] = Field(default_factory=dict)
    created_time: str | None = Field(None, alias="createdTime")


class PolicyDoc(_Model):
    block_leaving: bool = Field(False, alias="blockSubscriptionsLeavingTenant")
    block_into: bool = Field(False, alias="blockSubscriptionsIntoTenant")
    exempted_principals: list[str] = Field(default_factory=list, alias="exemptedPrincipals")
    policy_id: str | None = Field(None, alias="policyId")


class ResourceDoc(BaseModel):
    """An ARM resource document; fields beyond these are kept as given."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(pattern="^/")
    type: str = Field(min_length=1)


class StateDoc(_Model):
    base: Literal["default", "empty"] = "default"
    tenant: TenantDoc | None = None
    management_groups: list[GroupDoc] = Field(default_factory=list, alias="managementGroups")
    billing_scopes: list[str] = Field(default_factory=list, alias="billingScopes")
    billing_accounts: dict[str, AccountDoc] = Field(default_factory=dict, alias="billingAccounts")
    subscriptions: list[SubscriptionDoc] = Field(default_factory=list)
    aliases: list[AliasDoc] = Field(default_factory=list)
    locations: list[str] | None = None
    tenant_policy: PolicyDoc | None = Field(None, alias="tenantPolicy")
    resources: list[ResourceDoc] = Field(default_factory=list)


class StateFileError(ValueError):
    """The state file is unreadable or does not follow the format."""


def save_state(state: EmulatorState, path: Path) -> None:
    """Write ``state`` to ``path`` in the state-file format (atomically: temporary file, then rename)."""
    temporary = path.with_name(f".{path.name}.tmp")
    with state.lock:
        text = json.dumps(resources.state_to_document(state), indent=2, sort_keys=True)
    temporary.write_text(text + "\n", encoding="utf-8")
    temporary.replace(path)


def load_state(path: Path, seed: int | None = None) -> EmulatorState:
    """Read ``path`` and build the state it describes."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise StateFileError(f"{path}: cannot read the state file: {error}") from error
    try:
        return state_from_document(document, seed)
    except (ValidationError, ValueError) as error:
        raise StateFileError(f"{path}: invalid state file: {error}") from error


def state_from_document(document: Any, seed: int | None = None) -> EmulatorState:
    doc = StateDoc.model_validate(document)
    tenant_id = doc.tenant.id if doc.tenant else data.TENANT_ID
    state = default_state(seed, tenant_id) if doc.base == "default" else EmulatorState(tenant_id, seed)
    if doc.tenant:
        state.tenant_display_name = doc.tenant.display_name
        state.tenant_domain = doc.tenant.default_domain
    for group in doc.management_groups:
        state.add_management_group(group.name, group.display_name, group.parent)
    for scope in doc.billing_scopes:
        state.accept_billing_scope(scope)
    for account, policy in doc.billing_accounts.items():
        state.billing_accounts[account.lower()] = BillingAccountPolicy(policy.allow_transfers, policy.service_tenants)
    for sub in doc.subscriptions:
        _add_subscription(state, sub)
    for alias in doc.aliases:
        _add_alias(state, alias)
    if doc.locations is not None:
        state.locations = list(doc.locations)
    if doc.tenant_policy is not None:
        _set_policy(state, doc.tenant_policy)
    for resource in doc.resources:
        resources.add_document(state, resource.model_dump())
    network.refresh_peerings(state)
    return state


def _add_subscription(state: EmulatorState, doc: SubscriptionDoc) -> None:
    sub = state.add_subscription(
        doc.display_name,
        doc.subscription_id,
        state=doc.state,
        management_group=doc.management_group,
        tags=doc.tags,
        resource_count=doc.resource_count,
        workload=doc.workload,
    )
    sub.providers = {namespace.lower(): value for namespace, value in doc.providers.items()}
    sub.billing_scope = doc.billing_scope


def _add_alias(state: EmulatorState, doc: AliasDoc) -> None:
    sub = state.subscription(doc.subscription_id)
    display_name = doc.display_name or (sub.display_name if sub else doc.name)
    alias = Alias(
        name=doc.name,
        subscription_id=doc.subscription_id,
        display_name=display_name,
        workload=doc.workload,
        billing_scope=doc.billing_scope,
        management_group_id=doc.management_group_id,
        tags=dict(doc.tags),
        provisioning_state=doc.provisioning_state,
    )
    if doc.created_time:
        alias.created_time = doc.created_time
    state.add_alias(alias)


def _set_policy(state: EmulatorState, doc: PolicyDoc) -> None:
    state.tenant_policy = TenantPolicy(
        policy_id=doc.policy_id or state.tenant_policy.policy_id,
        block_subscriptions_leaving_tenant=doc.block_leaving,
        block_subscriptions_into_tenant=doc.block_into,
        exempted_principals=list(doc.exempted_principals),
    )

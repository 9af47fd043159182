"""The module inputs of one subscription: the single mapping both the ``.tf`` and the Flux vars carry."""

from __future__ import annotations

from typing import Any

from vending.request.model import Request
from vending.trunk.config import Environment, TrunkConfig

MODULE_OUTPUTS = ("subscription_id", "subscription_resource_id", "management_group_id")
PROVIDERS = {"azapi": ("Azure/azapi", "~> 2.2"), "time": ("hashicorp/time", "~> 0.12")}


def module_inputs(request: Request, env: Environment, deletion: str) -> dict[str, Any]:
    """Request values under the module's variable names, defaults resolved, absent optionals left out.
    ``deletion`` is the policy the subscription was vended with: it never changes afterwards."""
    inputs: dict[str, Any] = {
        "subscription_alias_name": request.name,
        "subscription_display_name": request.display_name,
        "subscription_billing_scope": request.billing_scope,
        "subscription_id": request.subscription_id,
        "subscription_workload": request.workload or env.workload,
        "management_group_id": request.management_group,
        "location": request.location,
        "owners": [{"principal_id": o.principal_id, "principal_type": o.principal_type} for o in request.owners],
        "role_assignments": [
            _role_assignment(r.principal_id, r.role, r.principal_type) for r in request.role_assignments
        ]
        or None,
        "tags": dict(request.tags) or None,
        "budget": _budget(request),
        "network": _network(request),
        "hub_network_resource_id": env.hub_network_id if request.network and request.network.hub_peering else None,
        "resource_providers": list(request.resource_providers) or None,
        "cancel_on_destroy": deletion == "cancel",
        "requested_by": request.requested_by,
        "ticket": request.ticket,
    }
    return {key: value for key, value in inputs.items() if value is not None}


def _role_assignment(principal_id: str, role: str, principal_type: str | None) -> dict[str, str]:
    item = {"principal_id": principal_id, "role": role}
    if principal_type is not None:
        item["principal_type"] = principal_type
    return item


def _budget(request: Request) -> dict[str, Any] | None:
    if request.budget is None:
        return None
    budget = request.budget
    return {
        "amount": _number(budget.amount),
        "time_grain": budget.time_grain,
        "thresholds": [_number(t) for t in budget.thresholds],
        "contact_emails": list(budget.contact_emails),
    }


def _network(request: Request) -> dict[str, Any] | None:
    if request.network is None:
        return None
    return {"address_space": list(request.network.address_space), "hub_peering": request.network.hub_peering}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def module_source_address(config: TrunkConfig) -> str:
    """The module address for a root configuration: git source, sub-directory, pinned ref (the pinned commit when
    ``module.commit`` is set, the same code the module's ``GitRepository`` checks out)."""
    url = config.module.url
    return f"git::{url}//{config.module.path}?ref={config.module.commit or config.module.ref}"

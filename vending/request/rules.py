"""The request's cross-field rules, over plain data, each broken rule a problem: (field path, message).

They read the data as loaded, skipping any value of the wrong type (its field check reports that), so a file
with bad field values still gets every cross-field finding in the same run. The models call the same
functions, so a model never holds data that breaks a rule.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from vending.request.azurenames import OWNER_ROLE_ID
from vending.request.fields import GUID_RE, ROLE_ID_RE, billing_kind

Problem = tuple[tuple[str | int, ...], str]


def request_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Every cross-field rule of a request that ``data`` breaks."""
    budget, network = data.get("budget"), data.get("network")
    return [
        *_source_problems(data),
        *_unique_problems(data),
        *_workload_problems(data),
        *_owner_role_problems(data),
        *[(("budget", *path), message) for path, message in budget_problems(budget)],
        *[(("network", *path), message) for path, message in network_problems(network)],
    ]


def budget_problems(budget: object) -> list[Problem]:
    thresholds = _list(budget, "thresholds")
    numbers = [t for t in thresholds if isinstance(t, int | float) and not isinstance(t, bool)]
    if len(set(numbers)) != len(numbers):
        return [(("thresholds",), "must not repeat")]
    return []


def network_problems(network: object) -> list[Problem]:
    networks = [net for net in map(_network, _list(network, "addressSpace")) if net is not None]
    for index, first in enumerate(networks):
        for second in networks[index + 1 :]:
            if first.overlaps(second):
                return [(("addressSpace",), f"ranges {first} and {second} overlap")]
    return []


def _source_problems(data: Mapping[str, Any]) -> list[Problem]:
    billing, adopted = data.get("billingScope"), data.get("subscriptionId")
    if billing is None and adopted is None:
        return [(("billingScope",), "give billingScope to create a subscription, or subscriptionId to adopt one")]
    if billing is not None and adopted is not None:
        return [(("subscriptionId",), "give either billingScope (create) or subscriptionId (adopt), not both")]
    return []


def _unique_problems(data: Mapping[str, Any]) -> list[Problem]:
    owners = [_guid(owner.get("principalId")) for owner in _mappings(data, "owners")]
    providers = [p.lower() for p in _list(data, "resourceProviders") if isinstance(p, str)]
    assignments = [
        f"{_guid(item.get('principalId'))} {item['role'].lower()}"
        for item in _mappings(data, "roleAssignments")
        if isinstance(item.get("role"), str)
    ]
    problems = [
        _repeated("owners", [owner for owner in owners if owner is not None]),
        _repeated("resourceProviders", providers),
        _repeated("roleAssignments", assignments),
    ]
    return [problem for problem in problems if problem is not None]


def _repeated(field: str, values: list[str]) -> Problem | None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return (field,), f"lists {value!r} more than once"
        seen.add(value)
    return None


def _workload_problems(data: Mapping[str, Any]) -> list[Problem]:
    scope = data.get("billingScope")
    if data.get("workload") == "DevTest" and isinstance(scope, str) and billing_kind(scope) == "MPA":
        return [(("workload",), "DevTest is not available for MPA (customer) billing scopes")]
    return []


def _owner_role_problems(data: Mapping[str, Any]) -> list[Problem]:
    """An Owner assignment to a principal in ``owners`` would create the same role assignment twice."""
    owners = {_guid(owner.get("principalId")) for owner in _mappings(data, "owners")} - {None}
    problems: list[Problem] = []
    for index, item in enumerate(_list(data, "roleAssignments")):
        if isinstance(item, Mapping) and _is_owner_role(item.get("role")) and _guid(item.get("principalId")) in owners:
            problems.append(
                (
                    ("roleAssignments", index),
                    f"principal {_guid(item.get('principalId'))} is already an owner (owners grant Owner); "
                    "remove this assignment",
                )
            )
    return problems


def _is_owner_role(role: object) -> bool:
    if not isinstance(role, str):
        return False
    if ROLE_ID_RE.fullmatch(role):
        role = role.rsplit("/", 1)[-1]
    return role.lower() in ("owner", OWNER_ROLE_ID)


def _guid(value: object) -> str | None:
    return value.lower() if isinstance(value, str) and GUID_RE.fullmatch(value) else None


def _network(value: object) -> ipaddress.IPv4Network | None:
    try:
        return ipaddress.IPv4Network(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _list(data: object, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, Mapping) else None
    return list(value) if isinstance(value, list | tuple) else []


def _mappings(data: object, key: str) -> list[Mapping[str, Any]]:
    return [item for item in _list(data, key) if isinstance(item, Mapping)]

"""Validate stage: interface gate, environment policy and the trunk's state, for a batch of requests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from vending.errors import Finding
from vending.request.gate import interface_problem
from vending.request.load import LoadedRequest
from vending.request.model import IMMUTABLE_KEYS, Request
from vending.trunk.config import Environment, TrunkConfig
from vending.trunk.state import NetworkMap, TrunkState


@dataclass(frozen=True)
class Checked:
    """A request after validation: valid when it has no findings."""

    loaded: LoadedRequest
    findings: tuple[Finding, ...]
    existing: bool = False

    @property
    def request(self) -> Request | None:
        return self.loaded.request if not self.findings else None

    @property
    def valid(self) -> bool:
        return not self.findings

    @property
    def source(self) -> str:
        return self.loaded.source


def validate_batch(
    loaded: Sequence[LoadedRequest],
    interface_version: str,
    config: TrunkConfig | None = None,
    state: TrunkState | None = None,
) -> list[Checked]:
    """Every finding for every request, collected together; nothing stops at the first."""
    findings: dict[int, list[Finding]] = {i: list(item.findings) for i, item in enumerate(loaded)}
    networks = _trunk_networks(loaded, state)
    for index, item in enumerate(loaded):
        findings[index] += _interface_findings(item, interface_version)
        if item.request is None:
            continue
        if config is not None:
            findings[index] += _policy_findings(item, item.request, config)
        if state is not None:
            findings[index] += _state_findings(item, item.request, state, networks)
    for index, finding in _batch_conflicts(loaded):
        findings[index].append(finding)
    return [
        Checked(item, tuple(findings[i]), existing=bool(state and item.request and state.find(item.request.name)))
        for i, item in enumerate(loaded)
    ]


def trunk_questions(loaded: Sequence[LoadedRequest]) -> tuple[list[str], list[str]]:
    """What validating these requests asks of the trunk: their names and their networks (what a partial
    clone checks out, see vending.trunk.state.focus_paths)."""
    requests = [item.request for item in loaded if item.request is not None]
    return [r.name for r in requests], [c for r in requests if r.network for c in r.network.address_space]


def _finding(item: LoadedRequest, field: str, message: str) -> Finding:
    return Finding(item.source, field, message, item.line_of(field))


def _interface_findings(item: LoadedRequest, current: str) -> list[Finding]:
    """Checked even when the schema failed: a request for another interface explains its other findings."""
    requested = item.document.data.get("interfaceVersion") if item.document is not None else None
    if not isinstance(requested, str):
        return []
    problem = interface_problem(requested, current)
    return [] if problem is None else [_finding(item, "interfaceVersion", problem)]


def _policy_findings(item: LoadedRequest, request: Request, config: TrunkConfig) -> list[Finding]:
    env = config.environments.get(request.environment)
    if env is None:
        known = ", ".join(sorted(config.environments))
        return [
            _finding(
                item, "environment", f"{request.environment!r} is not defined in vending.yaml (environments: {known})"
            )
        ]
    return [_finding(item, field, message) for field, message in policy_problems(request, env)]


def policy_problems(request: Request, env: Environment) -> list[tuple[str, str]]:
    """(field, message) for each rule of the environment the request breaks."""
    problems: list[tuple[str, str]] = []
    if env.management_groups is not None and request.management_group not in env.management_groups:
        problems.append(
            (
                "managementGroup",
                f"{request.management_group!r} is not allowed in environment "
                f"{request.environment!r} (allowed: {', '.join(env.management_groups)})",
            )
        )
    if env.locations is not None and request.location not in env.locations:
        problems.append(
            (
                "location",
                f"{request.location!r} is not allowed in environment "
                f"{request.environment!r} (allowed: {', '.join(env.locations)})",
            )
        )
    missing = [tag for tag in env.required_tags if tag not in request.tags]
    if missing:
        problems.append(("tags", f"environment {request.environment!r} requires tags: {', '.join(missing)}"))
    if env.budget_required and request.budget is None:
        problems.append(("budget", f"environment {request.environment!r} requires a budget"))
    if request.network and request.network.hub_peering and not env.hub_network_id:
        problems.append(
            (
                "network.hubPeering",
                f"environment {request.environment!r} has no hubNetworkId in vending.yaml to peer with",
            )
        )
    return problems


def _trunk_networks(loaded: Sequence[LoadedRequest], state: TrunkState | None) -> NetworkMap:
    """The trunk's address ranges in the /16 blocks the batch's networks touch, read and sorted once per batch
    (each request's overlap query is then O(log n))."""
    if state is None:
        return NetworkMap(())
    return state.networks(
        cidr for item in loaded if item.request and item.request.network for cidr in item.request.network.address_space
    )


def _state_findings(item: LoadedRequest, request: Request, state: TrunkState, networks: NetworkMap) -> list[Finding]:
    problems: list[Finding] = []
    tomb = state.tombstone(request.name)
    existing = state.find(request.name)
    if tomb is not None and existing is None:
        problems.append(
            _finding(
                item,
                "name",
                f"{request.name!r} was decommissioned from environment {tomb[0]!r} on "
                f"{str(tomb[1].get('date', '?'))[:10]}; names are never reused: if this is that subscription's "
                "request, delete the file from the requests repository (the trunk's tombstone is the record), "
                "else choose another name",
            )
        )
    if existing is not None:
        wanted = {
            "billingScope": request.billing_scope,
            "workload": request.workload or existing.workload,
            "subscriptionId": request.subscription_id,
            "environment": request.environment,
        }
        have = existing.immutable()
        for key in IMMUTABLE_KEYS:
            if wanted[key] != have[key]:
                problems.append(
                    _finding(
                        item,
                        key,
                        f"cannot change from {have[key]!r} to {wanted[key]!r}: "
                        "it is immutable once the subscription is in the trunk",
                    )
                )
    if request.network is not None:
        problems += _overlap_findings(item, request, networks)
    return problems


def _overlap_findings(item: LoadedRequest, request: Request, networks: NetworkMap) -> list[Finding]:
    problems = []
    assert request.network is not None
    for index, cidr in enumerate(request.network.address_space):
        for other, owner in networks.overlapping(cidr, ignore=request.name):
            problems.append(
                _finding(item, f"network.addressSpace[{index}]", f"{cidr} overlaps {other} of subscription {owner!r}")
            )
    return problems


def _batch_conflicts(loaded: Sequence[LoadedRequest]) -> list[tuple[int, Finding]]:
    """Two requests in one batch for the same name, or with overlapping networks."""
    conflicts: list[tuple[int, Finding]] = []
    by_name: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(loaded):
        if item.request is not None:
            by_name[item.request.name].append(index)
    for name, indexes in by_name.items():
        for index in indexes[1:] if len(indexes) > 1 else []:
            first = loaded[indexes[0]].source
            message = f"{name!r} is also requested by {first}; one request per subscription"
            conflicts.append((index, _finding(loaded[index], "name", message)))
    ranges = [
        (cidr, str(i))
        for i, item in enumerate(loaded)
        if item.request and item.request.network
        for cidr in item.request.network.address_space
    ]
    networks = NetworkMap(ranges)
    for cidr, owner in ranges:
        index = int(owner)
        for other, other_owner in networks.overlapping(cidr, ignore=owner):
            source = loaded[int(other_owner)].source
            conflicts.append(
                (
                    index,
                    _finding(loaded[index], "network.addressSpace", f"{cidr} overlaps {other} requested by {source}"),
                )
            )
    return conflicts

"""What the trunk already holds: an index per environment of live and decommissioned subscriptions."""

from __future__ import annotations

import bisect
import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from vending.errors import Finding, InputError
from vending.request.model import Request
from vending.trunk.config import TrunkConfig
from vending.trunk.layout import INDEX_FILE

INDEX_SCHEMA = 1


@dataclass(frozen=True)
class Entry:
    """The facts about one live subscription that validation needs."""

    name: str
    environment: str
    workload: str
    billing_scope: str | None = None
    subscription_id: str | None = None
    address_space: tuple[str, ...] = ()
    deletion: str = "retain"

    @classmethod
    def from_request(cls, request: Request, *, default_workload: str, deletion: str) -> Entry:
        """The entry a valid request makes; ``default_workload`` is its environment's."""
        return cls(
            name=request.name,
            environment=request.environment,
            workload=request.workload or default_workload,
            billing_scope=request.billing_scope,
            subscription_id=request.subscription_id,
            address_space=tuple(request.network.address_space) if request.network else (),
            deletion=deletion,
        )

    def immutable(self) -> dict[str, str | None]:
        return {
            "billingScope": self.billing_scope,
            "workload": self.workload,
            "subscriptionId": self.subscription_id,
            "environment": self.environment,
        }

    def as_index(self) -> dict[str, Any]:
        data: dict[str, Any] = {"workload": self.workload, "deletionPolicy": self.deletion}
        if self.billing_scope:
            data["billingScope"] = self.billing_scope
        if self.subscription_id:
            data["subscriptionId"] = self.subscription_id
        if self.address_space:
            data["addressSpace"] = list(self.address_space)
        return data


@dataclass(frozen=True)
class EnvironmentIndex:
    """One environment's ``index.json``: live subscriptions and tombstones."""

    environment: str
    entries: Mapping[str, Entry] = field(default_factory=dict)
    decommissioned: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def render(self) -> str:
        """JSON with one line per subscription (sorted), so that a commit's diff is one line per change and
        re-encoding a large environment after each request reuses the lines of the unchanged ones."""
        live = [_entry_line(name, self.entries[name]) for name in sorted(self.entries)]
        gone = [_json_line(name, dict(self.decommissioned[name])) for name in sorted(self.decommissioned)]
        return (
            f'{{\n "schemaVersion": {INDEX_SCHEMA},\n "subscriptions": {_json_block(live)},\n'
            f' "decommissioned": {_json_block(gone)}\n}}\n'
        )


@lru_cache(maxsize=65536)
def _entry_line(name: str, entry: Entry) -> str:
    return _json_line(name, entry.as_index())


def _json_line(name: str, value: Mapping[str, Any]) -> str:
    return f"  {json.dumps(name, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"


def _json_block(lines: list[str]) -> str:
    return "{\n" + ",\n".join(lines) + "\n }" if lines else "{}"


@dataclass(frozen=True)
class TrunkState:
    """All environments' indexes, with lookups across them."""

    indexes: Mapping[str, EnvironmentIndex]

    def find(self, name: str) -> Entry | None:
        for index in self.indexes.values():
            if name in index.entries:
                return index.entries[name]
        return None

    def tombstone(self, name: str) -> tuple[str, Mapping[str, Any]] | None:
        for env, index in self.indexes.items():
            if name in index.decommissioned:
                return env, index.decommissioned[name]
        return None

    def entries(self) -> Iterable[Entry]:
        for index in self.indexes.values():
            yield from index.entries.values()

    def networks(self) -> NetworkMap:
        return NetworkMap((cidr, entry.name) for entry in self.entries() for cidr in entry.address_space)


def index_path(trunk_dir: Path, config: TrunkConfig, environment: str) -> Path:
    return trunk_dir / config.environments[environment].path / INDEX_FILE


def read_state(trunk_dir: Path, config: TrunkConfig) -> TrunkState:
    """Read every environment's index (a missing index is an empty environment)."""
    indexes = {env: read_index(trunk_dir, config, env) for env in sorted(config.environments)}
    return TrunkState(indexes)


def read_index(trunk_dir: Path, config: TrunkConfig, environment: str) -> EnvironmentIndex:
    path = index_path(trunk_dir, config, environment)
    source = f"{config.environments[environment].path}/{INDEX_FILE}"
    if not path.is_file():
        return EnvironmentIndex(environment)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        subscriptions = data["subscriptions"]
        entries = {name: _entry(name, environment, value) for name, value in subscriptions.items()}
        decommissioned = dict(data.get("decommissioned", {}))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(
            f"{source} is damaged",
            [Finding(source, "", f"cannot read the trunk index ({exc}); run 'vending check' and repair it")],
        ) from exc
    return EnvironmentIndex(environment, entries, decommissioned)


def _entry(name: str, environment: str, value: Mapping[str, Any]) -> Entry:
    return Entry(
        name=name,
        environment=environment,
        workload=str(value["workload"]),
        billing_scope=value.get("billingScope"),
        subscription_id=value.get("subscriptionId"),
        address_space=tuple(value.get("addressSpace", ())),
        deletion=str(value.get("deletionPolicy", "retain")),
    )


class NetworkMap:
    """Address ranges of the trunk, sorted for overlap queries in O(log n)."""

    def __init__(self, ranges: Iterable[tuple[str, str]]) -> None:
        spans = sorted((*_span(cidr), cidr, owner) for cidr, owner in ranges)
        self._starts = [span[0] for span in spans]
        self._spans = spans
        self._max_end: list[int] = []
        running = -1
        for span in spans:
            running = max(running, span[1])
            self._max_end.append(running)

    def overlapping(self, cidr: str, ignore: str | None = None) -> list[tuple[str, str]]:
        """(cidr, owner) pairs overlapping ``cidr``, other than those owned by ``ignore``."""
        start, end = _span(cidr)
        found: list[tuple[str, str]] = []
        index = bisect.bisect_right(self._starts, end) - 1
        while index >= 0 and self._max_end[index] >= start:
            span_start, span_end, other, owner = self._spans[index]
            if span_end >= start and span_start <= end and owner != ignore:
                found.append((other, owner))
            index -= 1
        return sorted(found)


def _span(cidr: str) -> tuple[int, int]:
    network = ipaddress.IPv4Network(cidr)
    return int(network.network_address), int(network.broadcast_address)

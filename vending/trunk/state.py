"""What the trunk already holds, read from small files beside each subscription and from sharded lookups,
never from a file that grows with the fleet: a subscription's facts in ``<env>/<name>/facts.json``, its
tombstone in ``<env>/_decommissioned/<hh>/<name>.json``, address ranges in ``<env>/_networks/<a>.<b>/``."""

from __future__ import annotations

import bisect
import hashlib
import ipaddress
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from vending.errors import Finding, InputError
from vending.request.model import Request
from vending.trunk import safe_read
from vending.trunk.config import TrunkConfig
from vending.trunk.layout import (
    DECOMMISSIONED_DIR,
    FACTS_FILE,
    LEGACY_INDEX_FILE,
    NETWORK_FILE,
    NETWORKS_DIR,
    REQUEST_FILE,
    SHARDS_DIR,
)

FACTS_SCHEMA = 1
SHARDS = tuple(f"{number:02x}" for number in range(256))
"""The fixed shard folders of every environment."""
Reader = Callable[[str], "str | None"]
"""The text of a trunk-relative path, or None when there is no such file."""


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

    @classmethod
    def from_facts(cls, name: str, environment: str, value: Mapping[str, Any]) -> Entry:
        return cls(
            name=name,
            environment=environment,
            workload=str(value["workload"]),
            billing_scope=value.get("billingScope"),
            subscription_id=value.get("subscriptionId"),
            address_space=tuple(str(cidr) for cidr in value.get("addressSpace", ())),
            deletion=str(value.get("deletionPolicy", "retain")),
        )

    def immutable(self) -> dict[str, str | None]:
        return {
            "billingScope": self.billing_scope,
            "workload": self.workload,
            "subscriptionId": self.subscription_id,
            "environment": self.environment,
        }

    def as_facts(self) -> dict[str, Any]:
        data: dict[str, Any] = {"workload": self.workload, "deletionPolicy": self.deletion}
        if self.billing_scope:
            data["billingScope"] = self.billing_scope
        if self.subscription_id:
            data["subscriptionId"] = self.subscription_id
            data["adopted"] = True
        if self.address_space:
            data["addressSpace"] = list(self.address_space)
        return data

    def facts_text(self) -> str:
        return json_text({"schemaVersion": FACTS_SCHEMA, **self.as_facts()})


def json_text(data: Mapping[str, Any]) -> str:
    """Small JSON state files: sorted keys, indented, one trailing newline."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def shard_of(name: str) -> str:
    """The shard folder of a name: the first two hex digits of its sha256 digest."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:2]


def blocks_of(cidr: str) -> tuple[str, ...]:
    """The ``a.b`` keys of every /16 block the network covers (one for a /16 or longer prefix)."""
    network = ipaddress.IPv4Network(cidr)
    if network.prefixlen >= 16:
        return (_block_key(int(network.network_address)),)
    return tuple(_block_key(int(block.network_address)) for block in network.subnets(new_prefix=16))


def _block_key(address: int) -> str:
    return f"{address >> 24}.{(address >> 16) & 255}"


@dataclass(frozen=True)
class Paths:
    """Every path of one environment's layout, spelled from ``layout``."""

    root: str

    def subscription(self, name: str) -> str:
        return f"{self.root}/{name}"

    def facts(self, name: str) -> str:
        return f"{self.root}/{name}/{FACTS_FILE}"

    def shard_dir(self, shard: str) -> str:
        return f"{self.root}/{SHARDS_DIR}/{shard}"

    def tombstone_dir(self, name: str) -> str:
        return f"{self.root}/{DECOMMISSIONED_DIR}/{shard_of(name)}"

    def tombstone(self, name: str) -> str:
        return f"{self.tombstone_dir(name)}/{name}.json"

    def network_dir(self, block: str) -> str:
        return f"{self.root}/{NETWORKS_DIR}/{block}"

    def network(self, block: str) -> str:
        return f"{self.network_dir(block)}/{NETWORK_FILE}"

    def legacy_index(self) -> str:
        return f"{self.root}/{LEGACY_INDEX_FILE}"


def paths_of(config: TrunkConfig, environment: str) -> Paths:
    return Paths(config.environments[environment].path)


def focus_paths(config: TrunkConfig, names: Iterable[str], networks: Iterable[str] = ()) -> list[str]:
    """The directories that reading and changing these subscriptions needs checked out: each name's folder,
    shard and tombstone shard in every environment (names are unique across the trunk) and the network
    blocks of ``networks`` in every environment."""
    blocks = {block for cidr in networks for block in blocks_of(cidr)}
    directories: set[str] = set()
    for env in config.environments:
        paths = paths_of(config, env)
        for name in names:
            directories |= {paths.subscription(name), paths.shard_dir(shard_of(name)), paths.tombstone_dir(name)}
        directories |= {paths.network_dir(block) for block in blocks}
    return sorted(directories)


def parse_ranges(text: str | None) -> list[tuple[str, str]]:
    """(cidr, owner) pairs of a network shard."""
    if text is None:
        return []
    return [(_cidr(cidr), str(owner)) for cidr, owner in json.loads(text)["ranges"]]


def _cidr(value: object) -> str:
    """A recorded range, refused (``ValueError``) unless it is an IPv4 network."""
    ipaddress.IPv4Network(str(value))
    return str(value)


def ranges_text(ranges: Iterable[tuple[str, str]]) -> str | None:
    """A network shard, one range per line; None (no file) when the block holds none."""
    pairs = sorted(set(ranges), key=lambda pair: (_span(pair[0]), pair[1]))
    if not pairs:
        return None
    lines = ",\n".join(f"  {_pair_json(cidr, owner)}" for cidr, owner in pairs)
    return f'{{\n "ranges": [\n{lines}\n ],\n "schemaVersion": {FACTS_SCHEMA}\n}}\n'


_PLAIN_JSON = re.compile(r"[A-Za-z0-9./:_-]*")


def _pair_json(cidr: str, owner: str) -> str:
    """``json.dumps([cidr, owner])``, formatted directly when neither needs escaping (names and ranges)."""
    if _PLAIN_JSON.fullmatch(cidr) and _PLAIN_JSON.fullmatch(owner):
        return f'["{cidr}", "{owner}"]'
    return json.dumps([cidr, owner])


@dataclass(frozen=True)
class TrunkState:
    """The trunk's facts, read on demand through ``read`` (a checkout, or a checkout with planned files laid
    over it): each question reads the few small files that answer it."""

    config: TrunkConfig
    read: Reader

    def find(self, name: str) -> Entry | None:
        """The name's live subscription in any environment; a folder with a request but no facts is damaged
        (the name is taken all the same)."""
        for env in sorted(self.config.environments):
            paths = paths_of(self.config, env)
            data = self._json(paths.facts(name))
            if data is not None:
                return _entry(name, env, data, paths.facts(name))
            if self.read(f"{paths.subscription(name)}/{REQUEST_FILE}") is not None:
                raise _damaged(paths.facts(name), "missing beside its request.yaml")
        return None

    def tombstone(self, name: str) -> tuple[str, Mapping[str, Any]] | None:
        for env in sorted(self.config.environments):
            data = self._json(paths_of(self.config, env).tombstone(name))
            if data is not None:
                return env, data
        return None

    def networks(self, cidrs: Iterable[str]) -> NetworkMap:
        """The recorded ranges of every environment in the blocks ``cidrs`` touch, sorted once."""
        blocks = sorted({block for cidr in cidrs for block in blocks_of(cidr)})
        ranges: set[tuple[str, str]] = set()
        for env in sorted(self.config.environments):
            for block in blocks:
                path = paths_of(self.config, env).network(block)
                ranges.update(_guarded(path, partial(parse_ranges, self.read(path))))
        return NetworkMap(ranges)

    def _json(self, path: str) -> dict[str, Any] | None:
        text = self.read(path)
        if text is None:
            return None
        data = _guarded(path, lambda: json.loads(text))
        if not isinstance(data, dict):
            raise _damaged(path, "not a JSON object")
        return data


def _entry(name: str, environment: str, data: Mapping[str, Any], path: str) -> Entry:
    entry: Entry = _guarded(path, lambda: Entry.from_facts(name, environment, data))
    return entry


def _guarded(path: str, read: Callable[[], Any]) -> Any:
    try:
        return read()
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _damaged(path, str(exc)) from exc


def _damaged(path: str, reason: str) -> InputError:
    finding = Finding(path, "", f"cannot read the trunk's facts ({reason}); run 'vending check' and repair it")
    return InputError(f"{path} is damaged", [finding])


def disk_reader(root: Path) -> Reader:
    def read(path: str) -> str | None:
        return safe_read.read_text(root, path)

    return read


def read_state(trunk_dir: Path, config: TrunkConfig) -> TrunkState:
    """The trunk's facts as its checkout holds them; a trunk still in the 0.x layout is refused."""
    require_current_layout(trunk_dir, config)
    return TrunkState(config, disk_reader(trunk_dir))


def require_current_layout(trunk_dir: Path, config: TrunkConfig) -> None:
    legacy = [paths_of(config, env).legacy_index() for env in sorted(config.environments)]
    found = [path for path in legacy if (trunk_dir / path).is_file()]
    if found:
        message = (
            "the trunk is in the 0.x layout (one index per environment); migrate it with 'vending check "
            "--trunk <working tree> --fix' and commit the result (see docs/upgrading.md)"
        )
        raise InputError("the trunk needs migrating", [Finding(path, "", message) for path in found])


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


@lru_cache(maxsize=1 << 17)
def _span(cidr: str) -> tuple[int, int]:
    """First and last address of a range (cached: a batch sorts the same block's ranges once per request)."""
    network = ipaddress.IPv4Network(cidr)
    return int(network.network_address), int(network.broadcast_address)

"""ARM resources kept as the JSON documents a GET returns, keyed by resource id.

Resource groups, virtual networks, peerings, role assignments, custom role definitions and budgets
all live in ``EmulatorState.resources``. Ids are matched case-insensitively, as ARM does, and
stored as given. Callers hold ``EmulatorState.lock``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from vending.emulator.state import EmulatorState

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class ResourceId:
    """The parts of a resource id that the emulator's rules need."""

    subscription: str | None
    resource_group: str | None
    provider_path: str

    @property
    def is_group(self) -> bool:
        return self.resource_group is not None and not self.provider_path


def parse_id(resource_id: str) -> ResourceId:
    """``/subscriptions/{s}/resourceGroups/{g}/providers/...`` split into subscription, group and the rest."""
    parts = [part for part in resource_id.split("/") if part]
    lowered = [part.lower() for part in parts]
    subscription = parts[1] if len(parts) > 1 and lowered[0] == "subscriptions" else None
    group = parts[3] if subscription and len(parts) > 3 and lowered[2] == "resourcegroups" else None
    rest = parts[4:] if group else parts[2:] if subscription else parts
    return ResourceId(subscription, group, "/".join(rest))


def normalize(resource_id: str) -> str:
    """An id with one leading slash and no trailing one."""
    return "/" + resource_id.strip("/")


def get(state: EmulatorState, resource_id: str) -> JsonObject | None:
    return state.resources.get(normalize(resource_id).lower())


def put(state: EmulatorState, document: JsonObject) -> JsonObject:
    state.resources[normalize(document["id"]).lower()] = document
    return document


def remove(state: EmulatorState, resource_id: str) -> JsonObject | None:
    """Remove a resource and everything below it; the removed resource, or None when absent."""
    key = normalize(resource_id).lower()
    for child in [other for other in state.resources if other.startswith(key + "/")]:
        del state.resources[child]
    return state.resources.pop(key, None)


def below(state: EmulatorState, prefix: str, resource_type: str | None = None) -> list[JsonObject]:
    """Resources whose id starts with ``prefix/`` (optionally of one type), in insertion order."""
    key = normalize(prefix).lower().rstrip("/") + "/"
    wanted = resource_type.lower() if resource_type else None
    return [
        document
        for stored, document in state.resources.items()
        if stored.startswith(key) and (wanted is None or str(document.get("type", "")).lower() == wanted)
    ]


def of_type(state: EmulatorState, resource_type: str) -> list[JsonObject]:
    wanted = resource_type.lower()
    return [document for document in state.resources.values() if str(document.get("type", "")).lower() == wanted]


def snapshot(document: JsonObject) -> JsonObject:
    """A deep copy, so an answer never shares structure with the stored document."""
    return copy.deepcopy(document)

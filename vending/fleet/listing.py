"""``vending list``: the subscriptions and the decommissioned names of a trunk, from its small files alone.

Each subscription is read from its ``request.yaml`` (display name, management group) and ``facts.json``
(deletion policy, adopted subscription id); its subscription id comes from its recorded status
(``status/<env>/<hh>/<name>.json``) when there is one. Each decommissioned name is read from its tombstone.
Nothing is rendered.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vending.errors import Finding, InputError
from vending.request.yamlio import load_plain_yaml
from vending.trunk import safe_read
from vending.trunk.config import TrunkConfig, load_config
from vending.trunk.layout import DECOMMISSIONED_DIR, FACTS_FILE, REQUEST_FILE
from vending.trunk.records import StatusRecord, parse_record, record_path


@dataclass(frozen=True)
class Listed:
    """One live subscription as ``list`` shows it."""

    name: str
    environment: str
    display_name: str
    management_group: str
    subscription_id: str | None
    deletion: str
    state: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "environment": self.environment,
            "displayName": self.display_name,
            "managementGroup": self.management_group,
            "subscriptionId": self.subscription_id,
            "deletion": self.deletion,
            "state": self.state,
        }


@dataclass(frozen=True)
class Gone:
    """One decommissioned name, from its tombstone."""

    name: str
    environment: str
    date: str | None
    subscription_id: str | None
    deletion: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "environment": self.environment,
            "date": self.date,
            "subscriptionId": self.subscription_id,
            "deletion": self.deletion,
        }


@dataclass(frozen=True)
class Listing:
    subscriptions: tuple[Listed, ...]
    decommissioned: tuple[Gone, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "subscriptions": [item.as_json() for item in self.subscriptions],
            "decommissioned": [item.as_json() for item in self.decommissioned],
        }

    def names(self) -> list[str]:
        return sorted({item.name for item in self.subscriptions} | {item.name for item in self.decommissioned})


def list_trunk(root: Path, environment: str | None = None) -> Listing:
    """Every subscription and decommissioned name of the checked-out trunk at ``root`` (of one environment
    when ``environment`` is given; an unknown one is refused naming the known ones)."""
    config = load_config(root)
    chosen = [require_environment(config, environment)] if environment else sorted(config.environments)
    live: list[Listed] = []
    gone: list[Gone] = []
    for env in chosen:
        env_path = config.environments[env].path
        live += [read_listed(root, env, env_path, name) for name in subscription_folders(root, env_path)]
        gone += tombstones(root, env, env_path)
    return Listing(tuple(live), tuple(sorted(gone, key=lambda item: (item.environment, item.name))))


def require_environment(config: TrunkConfig, environment: str) -> str:
    if environment in config.environments:
        return environment
    known = ", ".join(sorted(config.environments))
    message = f"no environment {environment!r} in vending.yaml; the known ones are: {known}"
    raise InputError(f"unknown environment {environment!r}", [Finding("--environment", "", message)])


def subscription_folders(root: Path, env_path: str) -> list[str]:
    """The subscription folders of an environment: names start with a letter, the layout's folders with ``_``."""
    return safe_read.subscription_folders(root, env_path)


def read_listed(root: Path, environment: str, env_path: str, name: str) -> Listed:
    request_path = f"{env_path}/{name}/{REQUEST_FILE}"
    request = read_mapping(root, request_path, yaml_text=True)
    if request is None:
        raise safe_read.damaged(f"{env_path}/{name}", f"a subscription folder without its {REQUEST_FILE}")
    facts = read_mapping(root, f"{env_path}/{name}/{FACTS_FILE}") or {}
    record = read_status(root, environment, name)
    recorded_id = record.subscriptionId if record else None
    return Listed(
        name=name,
        environment=environment,
        display_name=text_field(request, "displayName", request_path),
        management_group=text_field(request, "managementGroup", request_path),
        subscription_id=recorded_id or optional_text(facts.get("subscriptionId")),
        deletion=str(facts.get("deletionPolicy", "retain")),
        state=record.state if record else None,
    )


def read_status(root: Path, environment: str, name: str) -> StatusRecord | None:
    path = record_path(environment, name)
    text = safe_read.read_text(root, path)
    return None if text is None else parse_record(text, path)


def tombstones(root: Path, environment: str, env_path: str) -> list[Gone]:
    base = f"{env_path}/{DECOMMISSIONED_DIR}"
    found: list[Gone] = []
    for shard in safe_read.folders(root, base, skip_files=False):
        for file in safe_read.files(root, f"{base}/{shard}"):
            if file.endswith(".json"):
                found.append(read_tombstone(root, environment, f"{base}/{shard}/{file}"))
    return found


def read_tombstone(root: Path, environment: str, path: str) -> Gone:
    data = read_mapping(root, path) or {}
    return Gone(
        name=path.rsplit("/", 1)[1].removesuffix(".json"),
        environment=environment,
        date=optional_text(data.get("date")),
        subscription_id=optional_text(data.get("subscriptionId")),
        deletion=optional_text(data.get("deletionPolicy")),
    )


def read_mapping(root: Path, path: str, *, yaml_text: bool = False) -> Mapping[str, Any] | None:
    """A trunk file holding one JSON object (or, with ``yaml_text``, one YAML mapping); damage names the file."""
    text = safe_read.read_text(root, path)
    if text is None:
        return None
    try:
        data = load_plain_yaml(text) if yaml_text else json.loads(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise safe_read.damaged(path, f"cannot be parsed ({_first_line(exc)})") from exc
    if not isinstance(data, dict):
        raise safe_read.damaged(path, f"holds a {type(data).__name__}, not a mapping")
    return data


def text_field(data: Mapping[str, Any], key: str, path: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise safe_read.damaged(path, f"'{key}' is missing or not a string")
    return value


def optional_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__

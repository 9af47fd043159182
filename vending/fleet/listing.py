"""``vending list``: the subscriptions and the decommissioned names of a trunk, from its small files alone.

Each subscription is read from its ``request.yaml`` (display name, management group) and ``facts.json``
(deletion policy, adopted subscription id); its subscription id comes from its recorded status
(``status/<env>/<hh>/<name>.json``) when there is one. Each decommissioned name is read from its tombstone.
Nothing is rendered.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from vending.errors import Finding, InputError
from vending.fleet.listing_files import TrunkFiles
from vending.request.yamlio import load_plain_yaml
from vending.trunk import safe_read
from vending.trunk.config import TrunkConfig
from vending.trunk.layout import FACTS_FILE, REQUEST_FILE
from vending.trunk.records import StatusRecord, parse_record, record_path

LISTED_KEYS = ("displayName", "managementGroup")
PLAIN_VALUE = re.compile(r"[A-Za-z][A-Za-z0-9 ()._-]*[A-Za-z0-9()._-]|[A-Za-z]")
"""A plain scalar YAML reads as this very string: a letter first, no quote, '#', ':', flow or block indicator."""
YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
UNUSUAL_STARTS = frozenset({"%", "&", "*", "!", "?", "{", "[", "'", '"', "|", ">", "@", "`"})
"""Column-0 characters vending's YAML writer never puts before a top-level key: a sign the file was written by
hand, so the YAML parser reads it."""


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
    adopted: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "environment": self.environment,
            "displayName": self.display_name,
            "managementGroup": self.management_group,
            "subscriptionId": self.subscription_id,
            "deletion": self.deletion,
            "state": self.state,
            "adopted": self.adopted,
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


def list_trunk(root: TrunkFiles, environment: str | None = None) -> Listing:
    """Every subscription and decommissioned name of the trunk (of one environment when ``environment`` is
    given; an unknown one is refused naming the known ones)."""
    config = root.config()
    chosen = [require_environment(config, environment)] if environment else sorted(config.environments)
    live: list[Listed] = []
    gone: list[Gone] = []
    for env in chosen:
        env_path = config.environments[env].path
        live += [read_listed(root, env, env_path, name) for name in root.subscription_folders(env_path)]
        gone += tombstones(root, env, env_path)
    return Listing(tuple(live), tuple(sorted(gone, key=lambda item: (item.environment, item.name))))


def require_environment(config: TrunkConfig, environment: str) -> str:
    if environment in config.environments:
        return environment
    known = ", ".join(sorted(config.environments))
    message = f"no environment {environment!r} in vending.yaml; the known ones are: {known}"
    raise InputError(f"unknown environment {environment!r}", [Finding("--environment", "", message)])


def read_listed(root: TrunkFiles, environment: str, env_path: str, name: str) -> Listed:
    request_path = f"{env_path}/{name}/{REQUEST_FILE}"
    request = read_request_fields(root, request_path)
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
        adopted=facts.get("adopted") is True or bool(facts.get("subscriptionId")),
    )


def read_request_fields(root: TrunkFiles, path: str) -> Mapping[str, Any] | None:
    """The keys of a request that ``list`` shows: read from the lines vending writes when they are plain, else
    from the whole YAML document."""
    text = root.read_text(path)
    if text is None:
        return None
    plain = plain_fields(text, LISTED_KEYS)
    return plain if plain is not None else parse_mapping(text, path, yaml_text=True)


def plain_fields(text: str, keys: tuple[str, ...]) -> dict[str, str] | None:
    """``key: value`` of each of ``keys`` at column 0, when every value is an unquoted plain string that YAML reads
    as itself and nothing in the file (a second document, a tag, an anchor, a repeated key) could change what
    the lines say; None sends the file to the YAML parser."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line[:1] in UNUSUAL_STARTS or line.startswith(("---", "...")):
            return None
        key, _, value = line.partition(": ")
        if key in keys:
            if key in found or not PLAIN_VALUE.fullmatch(value) or value.lower() in YAML_WORDS:
                return None
            found[key] = value
    return found if len(found) == len(keys) else None


def read_status(root: TrunkFiles, environment: str, name: str) -> StatusRecord | None:
    path = record_path(environment, name)
    text = root.read_text(path)
    return None if text is None else parse_record(text, path)


def tombstones(root: TrunkFiles, environment: str, env_path: str) -> list[Gone]:
    return [read_tombstone(root, environment, path) for path in root.tombstone_files(env_path)]


def read_tombstone(root: TrunkFiles, environment: str, path: str) -> Gone:
    data = read_mapping(root, path) or {}
    return Gone(
        name=path.rsplit("/", 1)[1].removesuffix(".json"),
        environment=environment,
        date=optional_text(data.get("date")),
        subscription_id=optional_text(data.get("subscriptionId")),
        deletion=optional_text(data.get("deletionPolicy")),
    )


def read_mapping(root: TrunkFiles, path: str, *, yaml_text: bool = False) -> Mapping[str, Any] | None:
    """A trunk file holding one JSON object (or, with ``yaml_text``, one YAML mapping); damage names the file."""
    text = root.read_text(path)
    return None if text is None else parse_mapping(text, path, yaml_text=yaml_text)


def parse_mapping(text: str, path: str, *, yaml_text: bool = False) -> Mapping[str, Any]:
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

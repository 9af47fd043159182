"""``vending status``: each subscription's state from the ``Terraform`` objects' status, against the trunk.

Read the trunk (every live subscription with the render hash of its current files, every tombstone), read
the status file (:mod:`vending.fleet.status_objects`), match objects to subscriptions by the namespace and
name they are rendered with, classify each (:mod:`vending.fleet.status_classify`). ``--record`` commits the
result under ``status/`` (:mod:`vending.fleet.status_record`)."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vending.fleet.status_classify import TrunkSubscription, Verdict, classify
from vending.fleet.status_objects import Observed
from vending.render.flux import RENDER_HASH_FILES, render_hash
from vending.trunk.config import TrunkConfig
from vending.trunk.layout import DECOMMISSIONED_DIR, FACTS_FILE
from vending.trunk.records import STATES


@dataclass(frozen=True)
class SubscriptionStatus:
    """One line of the status: the contract's keys, and the plan id, render hash and since."""

    name: str
    environment: str
    state: str
    subscription_id: str | None = None
    applied_revision: str | None = None
    message: str = ""
    plan_id: str | None = None
    render_hash: str | None = None
    since: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "environment": self.environment,
            "state": self.state,
            "subscriptionId": self.subscription_id,
            "appliedRevision": self.applied_revision,
            "message": self.message,
            "planId": self.plan_id,
            "renderHash": self.render_hash,
            "since": self.since,
        }


@dataclass(frozen=True)
class StatusReport:
    """Every subscription's status (sorted by environment and name) and the objects that match none."""

    subscriptions: tuple[SubscriptionStatus, ...]
    unmatched: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATES, 0)
        for item in self.subscriptions:
            counts[item.state] += 1
        return counts


def trunk_subscriptions(root: Path, config: TrunkConfig) -> list[TrunkSubscription]:
    """Every live subscription of a checked-out trunk and every decommissioned one, sorted."""
    return subscriptions_from(config, _disk_files(root, config))


def _disk_files(root: Path, config: TrunkConfig) -> Iterator[tuple[str, str]]:
    want = wanted(config)
    for env in config.environments.values():
        for entry in _entries(root / env.path):
            if not entry.is_dir():
                continue
            for rel in _files(Path(entry.path), nested=entry.name == DECOMMISSIONED_DIR):
                path = f"{env.path}/{entry.name}/{rel}"
                if want(path):
                    yield path, (root / path).read_text(encoding="utf-8")


def wanted(config: TrunkConfig) -> Callable[[str], bool]:
    """Which trunk paths :func:`subscriptions_from` reads: the render-hash files of each subscription folder
    and the tombstones."""
    bases = tuple(f"{env.path}/" for env in config.environments.values())

    def want(path: str) -> bool:
        base = next((prefix for prefix in bases if path.startswith(prefix)), None)
        if base is None:
            return False
        parts = path[len(base) :].split("/")
        if len(parts) == 2:
            return not parts[0].startswith("_") and parts[1] in RENDER_HASH_FILES
        return len(parts) == 3 and parts[0] == DECOMMISSIONED_DIR and parts[2].endswith(".json")

    return want


def subscriptions_from(config: TrunkConfig, files: Iterable[tuple[str, str]]) -> list[TrunkSubscription]:
    """The subscriptions the trunk files in ``files`` ((path, text) pairs, as :func:`wanted` selects)
    describe. A folder's texts are dropped as soon as its render hash is known, so that memory stays small
    when ``files`` is a stream."""
    want = wanted(config)
    prefixes = {f"{env.path}/": name for name, env in config.environments.items()}
    folders: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    found: list[TrunkSubscription] = []
    for path, text in files:
        prefix = next((item for item in prefixes if path.startswith(item)), None)
        if prefix is None or not want(path):
            continue
        environment, parts = prefixes[prefix], path[len(prefix) :].split("/")
        if parts[0] == DECOMMISSIONED_DIR:
            found.append(_tombstone(environment, parts[2].removesuffix(".json"), text))
            continue
        texts = folders[(environment, parts[0])]
        texts[parts[1]] = text
        if len(texts) == len(RENDER_HASH_FILES):
            found.append(_live(environment, parts[0], folders.pop((environment, parts[0]))))
    found += [_live(env, name, texts) for (env, name), texts in folders.items() if FACTS_FILE in texts]
    return sorted(found, key=lambda item: (item.environment, item.name))


def _live(environment: str, name: str, texts: Mapping[str, str]) -> TrunkSubscription:
    """A subscription's folder (a folder without facts is no subscription's: 'vending check' reports it)."""
    ordered = tuple(texts.get(file) for file in RENDER_HASH_FILES)
    digest = render_hash(ordered) if None not in ordered else None  # type: ignore[arg-type]
    return TrunkSubscription(name, environment, digest, _text(_json(texts.get(FACTS_FILE)).get("subscriptionId")))


def _tombstone(environment: str, name: str, text: str) -> TrunkSubscription:
    data = _json(text)
    return TrunkSubscription(
        name,
        environment,
        subscription_id=_text(data.get("subscriptionId")),
        decommissioned=True,
        deletion=_text(data.get("deletionPolicy")) or "retain",
    )


def judge_fleet(
    subscriptions: list[TrunkSubscription],
    observed: Observed,
    namespace: str,
    known_ids: Mapping[str, str] | None = None,
) -> StatusReport:
    """Pure: classify each subscription by the object of the same name in ``namespace``."""
    statuses = []
    for subscription in subscriptions:
        key = (namespace, subscription.name)
        obj = observed.objects.get(key)
        verdict: Verdict = classify(subscription, obj)
        subscription_id = (
            observed.subscription_ids.get(key)
            or subscription.subscription_id
            or (known_ids or {}).get(subscription.name)
        )
        statuses.append(
            SubscriptionStatus(
                name=subscription.name,
                environment=subscription.environment,
                state=verdict.state,
                subscription_id=subscription_id,
                applied_revision=obj.applied_revision if obj else None,
                message=verdict.message,
                plan_id=verdict.plan_id,
                render_hash=(obj.render_hash if obj else None),
                since=verdict.since,
            )
        )
    names = {(namespace, item.name) for item in subscriptions}
    unmatched = tuple(sorted(f"{ns}/{name}" for ns, name in observed.objects if (ns, name) not in names))
    return StatusReport(tuple(statuses), unmatched)


def _entries(base: Path) -> list[os.DirEntry[str]]:
    try:
        return sorted(os.scandir(base), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _files(folder: Path, *, nested: bool) -> list[str]:
    """Names of the files in ``folder`` (with ``nested``, ``<sub>/<name>`` one level down)."""
    if not nested:
        return [entry.name for entry in _entries(folder) if entry.is_file()]
    return [
        f"{sub.name}/{entry.name}" for sub in _entries(folder) if sub.is_dir() for entry in _entries(Path(sub.path))
    ]


def _json(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


__all__ = ["StatusReport", "SubscriptionStatus", "judge_fleet", "trunk_subscriptions"]

"""``vending status``: each subscription's state from the ``Terraform`` objects' status, against the trunk.

Read the trunk (every live subscription with the render hash of its current files, every tombstone), read
the status file (:mod:`vending.fleet.status_objects`), match objects to subscriptions by the namespace and
name they are rendered with, classify each (:mod:`vending.fleet.status_classify`). ``--record`` commits the
result under ``status/`` (:mod:`vending.fleet.status_record`)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vending.fleet.status_classify import TrunkSubscription, Verdict, classify
from vending.fleet.status_objects import Observed
from vending.render.flux import RENDER_HASH_FILES, render_hash
from vending.trunk.config import TrunkConfig
from vending.trunk.layout import DECOMMISSIONED_DIR
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
    found: list[TrunkSubscription] = []
    for environment in sorted(config.environments):
        base = root / config.environments[environment].path
        found += _live(base, environment)
        found += _decommissioned(base / DECOMMISSIONED_DIR, environment)
    return sorted(found, key=lambda item: (item.environment, item.name))


def _live(base: Path, environment: str) -> Iterator[TrunkSubscription]:
    for entry in _entries(base):
        if entry.name.startswith("_") or not entry.is_dir():
            continue
        texts = tuple(_read(Path(entry.path) / name) for name in RENDER_HASH_FILES)
        if texts[-1] is None:
            continue  # not a subscription's folder ('vending check' reports it)
        digest = render_hash(texts) if all(text is not None for text in texts) else None  # type: ignore[arg-type]
        facts = _json(texts[-1])
        yield TrunkSubscription(entry.name, environment, digest, _text(facts.get("subscriptionId")))


def _decommissioned(base: Path, environment: str) -> Iterator[TrunkSubscription]:
    for shard in _entries(base):
        for entry in _entries(Path(shard.path)):
            if not entry.name.endswith(".json"):
                continue
            data = _json(_read(Path(entry.path)))
            yield TrunkSubscription(
                entry.name.removesuffix(".json"),
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


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None


def _json(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


__all__ = ["StatusReport", "SubscriptionStatus", "judge_fleet", "trunk_subscriptions"]

"""Retained subscriptions: decommissioned with ``deletion: retain``, so their ``Terraform`` objects stay in the
cluster (prune disabled) and keep managing the subscriptions, though the trunk no longer shows them. ``check``
lists them as information, until the recorded status says the object is gone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vending.trunk.config import TrunkConfig
from vending.trunk.records import parse_record, record_path
from vending.trunk.survey import Tombstone, survey


@dataclass(frozen=True)
class Retained:
    name: str
    environment: str
    subscription_id: str | None
    date: str
    namespace: str

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "environment": self.environment,
            "subscriptionId": self.subscription_id,
            "date": self.date,
            "object": f"{self.namespace}/{self.name}",
        }

    def text(self) -> str:
        subscription = f"subscription {self.subscription_id}" if self.subscription_id else "its subscription"
        return (
            f"retained: {self.name} ({self.environment}, decommissioned {self.date[:10]}): the Terraform object "
            f"{self.namespace}/{self.name} still manages {subscription} outside the trunk; "
            f"'kubectl -n {self.namespace} delete terraform {self.name}' lets go of it (no destroy runs)"
        )


def retained_subscriptions(root: Path, config: TrunkConfig) -> list[Retained]:
    """Every retain tombstone whose object the recorded status does not show gone, by environment and name."""
    found = [tomb for tomb in survey(root, config).tombstones if tomb.data.get("deletionPolicy") == "retain"]
    return [_retained(tomb, config) for tomb in sorted(found, key=_order) if not _gone(root, tomb)]


def _order(tomb: Tombstone) -> tuple[str, str]:
    return tomb.environment, tomb.name


def _retained(tomb: Tombstone, config: TrunkConfig) -> Retained:
    subscription = tomb.data.get("subscriptionId")
    return Retained(
        tomb.name,
        tomb.environment,
        subscription if isinstance(subscription, str) else None,
        str(tomb.data.get("date", "")),
        config.flux.namespace,
    )


def _gone(root: Path, tomb: Tombstone) -> bool:
    path = record_path(tomb.environment, tomb.name)
    target = root / path
    return target.is_file() and parse_record(target.read_text(encoding="utf-8"), path).state == "gone"

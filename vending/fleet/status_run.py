"""The ``vending status`` use case: read the status file first (a bad file stops the run before the trunk is
read), then either classify against a read of the trunk, or classify and record on a private clone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from vending.fleet.status import StatusReport, judge_fleet, trunk_subscriptions
from vending.fleet.status_objects import read_observed
from vending.fleet.status_record import Recorded, RecordSettings, record_status
from vending.trunk.config import load_config
from vending.trunk.state import require_current_layout
from vending.trunk.workdir import read_trunk


@dataclass(frozen=True)
class StatusSettings:
    trunk: str
    source: Path
    shown: str
    branch: str = "main"
    record: RecordSettings | None = None


def run_status(settings: StatusSettings, now: dt.datetime | None = None) -> Recorded:
    """Each subscription's state; recorded under ``status/`` when ``settings.record`` says so."""
    observed = read_observed(settings.source, settings.shown)
    if settings.record is not None:
        return record_status(settings.trunk, settings.branch, observed, settings.record, now)
    with read_trunk(settings.trunk, settings.branch) as root:
        config = load_config(root)
        require_current_layout(root, config)
        subscriptions = trunk_subscriptions(root, config)
    return Recorded(judge_fleet(subscriptions, observed, config.flux.namespace))


__all__ = ["RecordSettings", "Recorded", "StatusReport", "StatusSettings", "run_status"]

"""The ``vending status`` use case: read the status file first (a bad file stops the run before the trunk is
read), then either classify against a read of the trunk, or classify and record on a private clone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from vending.errors import Finding, InputError
from vending.fleet.status import StatusReport, judge_fleet, subscriptions_from, trunk_subscriptions, wanted
from vending.fleet.status_classify import TrunkSubscription
from vending.fleet.status_objects import read_observed
from vending.fleet.status_record import Recorded, RecordSettings, record_status
from vending.reporting.redact import redact
from vending.trunk.config import TrunkConfig, load_config, load_config_text
from vending.trunk.history import read_history
from vending.trunk.layout import CONFIG_FILE
from vending.trunk.state import paths_of, require_current_layout
from vending.trunk.workdir import is_working_tree


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
    if is_working_tree(settings.trunk):
        root = Path(settings.trunk)
        config = load_config(root)
        require_current_layout(root, config)
        subscriptions = trunk_subscriptions(root, config)
    else:
        config, subscriptions = _from_objects(settings.trunk, settings.branch)
    return Recorded(judge_fleet(subscriptions, observed, config.flux.namespace))


def _from_objects(trunk: str, branch: str) -> tuple[TrunkConfig, list[TrunkSubscription]]:
    """The trunk's config and subscriptions at the branch's tip, read from git's objects (nothing checked
    out: a trunk of 10,000 subscriptions costs one ``ls-tree`` and its blobs)."""
    with read_history(trunk, branch, tip_only=True) as history:
        text = history.tip_file(CONFIG_FILE)
        if text is None:
            raise InputError("not a trunk", [Finding(redact(trunk), "", f"no {CONFIG_FILE} on branch {branch!r}")])
        config = load_config_text(text)
        legacy = [paths_of(config, env).legacy_index() for env in sorted(config.environments)]
        found = [path for path in legacy if history.tip_file(path) is not None]
        if found:
            message = "the trunk is in the 0.x layout; migrate it with 'vending check --fix' (see docs/upgrading.md)"
            raise InputError("the trunk needs migrating", [Finding(path, "", message) for path in found])
        paths = sorted(env.path for env in config.environments.values())
        subscriptions = subscriptions_from(config, history.tip_files(paths, wanted(config)))
    return config, subscriptions


__all__ = ["RecordSettings", "Recorded", "StatusReport", "StatusSettings", "run_status"]

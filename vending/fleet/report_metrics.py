"""DORA metrics from the trunk's changes and the recorded status history (pure; docs/status.md states each
rule). A change is a vend or update commit of one subscription; its outcome is read from the versions of that
subscription's status record committed after it:

- it reached **ready** at the ``since`` of the first recorded ``ready`` whose ``renderHash`` is the change's
  (``Vending-Render-Hash``); when either hash is unknown, of the first ``ready`` recorded after the commit and
  before the subscription's next change;
- it **failed** when a ``failed`` record of its render (or of an unknown render) was committed after it and
  before it reached ready (or before the next change, when it never did);
- a **restore** runs from the ``since`` of a ``failed`` record to the ``since`` of the next ``ready`` record.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from vending.trunk.records import StatusRecord


@dataclass(frozen=True)
class ChangeCommit:
    """One vend or update commit: which subscription, when (commit time, epoch seconds), which render."""

    sha: str
    name: str
    time: int
    render_hash: str | None = None


@dataclass(frozen=True)
class RecordVersion:
    """One recorded version of a status record: when it was committed, and what it said (``since`` in epoch
    seconds)."""

    recorded: int
    since: int
    record: StatusRecord


@dataclass(frozen=True)
class Outcome:
    change: ChangeCommit
    ready_at: int | None
    failed_at: int | None


@dataclass(frozen=True)
class Metrics:
    deployments: int
    lead_median: float | None
    lead_p90: float | None
    change_failure_rate: float | None
    restore_median: float | None
    failures: int


def outcomes(changes: Sequence[ChangeCommit], versions: Mapping[str, Sequence[RecordVersion]]) -> list[Outcome]:
    """What became of each change (``changes`` oldest first; ``versions`` by name, oldest first)."""
    by_name: dict[str, list[ChangeCommit]] = defaultdict(list)
    for change in changes:
        by_name[change.name].append(change)
    found = []
    for name, series in by_name.items():
        for index, change in enumerate(series):
            following = series[index + 1].time if index + 1 < len(series) else None
            found.append(_outcome(change, following, versions.get(name, ())))
    return found


def _outcome(change: ChangeCommit, following: int | None, versions: Sequence[RecordVersion]) -> Outcome:
    ready_at = failed_at = None
    for version in versions:
        if version.recorded < change.time:
            continue
        record = version.record
        same = _same_render(change, record)
        if same is False:
            continue
        if same is None and following is not None and version.recorded >= following:
            break
        if record.state == "ready":
            ready_at = max(version.since, change.time)
            break
        if record.state == "failed" and failed_at is None:
            failed_at = version.since
    return Outcome(change, ready_at, failed_at)


def _same_render(change: ChangeCommit, record: StatusRecord) -> bool | None:
    """True or False when both hashes are known, None when either is not."""
    if change.render_hash is None or record.renderHash is None:
        return None
    return change.render_hash == record.renderHash


def restores(versions: Iterable[RecordVersion]) -> list[tuple[int, int]]:
    """(failed since, ready since) of each recovery in one subscription's record history."""
    found = []
    failed: int | None = None
    for version in versions:
        if version.record.state == "failed" and failed is None:
            failed = version.since
        elif version.record.state == "ready" and failed is not None:
            found.append((failed, max(version.since, failed)))
            failed = None
    return found


def metrics(found: Sequence[Outcome], recoveries: Iterable[tuple[int, int]], since: int, until: int) -> Metrics:
    """The window's figures: deployments reached ready in ``[since, until)``, failures went failed in it."""
    deployed = [o for o in found if o.ready_at is not None and since <= o.ready_at < until]
    failed = [o for o in found if o.failed_at is not None and since <= o.failed_at < until]
    attempted = {o.change.sha for o in deployed} | {o.change.sha for o in failed}
    leads = sorted(o.ready_at - o.change.time for o in deployed if o.ready_at is not None)
    repairs = sorted(end - start for start, end in recoveries if since <= end < until)
    return Metrics(
        deployments=len(deployed),
        lead_median=_median(leads),
        lead_p90=percentile(leads, 0.9),
        change_failure_rate=round(len(failed) / len(attempted), 4) if attempted else None,
        restore_median=_median(repairs),
        failures=len(failed),
    )


def percentile(values: Sequence[int], fraction: float) -> float | None:
    """Nearest-rank percentile of sorted ``values`` (None for none)."""
    if not values:
        return None
    return float(values[max(0, math.ceil(fraction * len(values)) - 1)])


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None

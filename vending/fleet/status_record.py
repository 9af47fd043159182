"""``vending status --record``: commit each subscription's classification under ``status/``.

One small file per subscription (:mod:`vending.trunk.records`), so two recordings merge unless they record
the same subscription, and a commit's size follows the number of records that changed, not the fleet's.
A record is rewritten only when its text changes; a run that changes none commits nothing. ``since`` is the
controller condition's ``lastTransitionTime`` when it has one, else the previous record's ``since`` when the
state is unchanged, else the time of the recording."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from vending.errors import ScopeError
from vending.fleet.status import StatusReport, SubscriptionStatus, judge_fleet, trunk_subscriptions
from vending.fleet.status_classify import TrunkSubscription
from vending.fleet.status_objects import Observed
from vending.trunk.config import load_config
from vending.trunk.landing import Round, land
from vending.trunk.layout import STATUS_DIR
from vending.trunk.messages import status_change
from vending.trunk.records import StatusRecord, parse_record, record_path
from vending.trunk.repository import Person, PlannedCommit, TrunkClone
from vending.trunk.scope import load_codeowners, scope_verdict
from vending.trunk.state import require_current_layout
from vending.trunk.workdir import private_clone


@dataclass(frozen=True)
class RecordSettings:
    identity: str
    committer: Person
    author: Person | None = None
    requested_by: str | None = None
    max_attempts: int = 30


@dataclass(frozen=True)
class Recorded:
    """What a recording committed: the commit (None when nothing changed) and how many records it wrote."""

    report: StatusReport
    commit: str | None = None
    changed: int = 0
    attempts: int = 0


def record_status(
    trunk: str, branch: str, observed: Observed, settings: RecordSettings, now: dt.datetime | None = None
) -> Recorded:
    """Classify on the trunk's newest tip and land the changed records; refused with ``ScopeError`` (exit 4)
    when ``settings.identity`` does not own them."""
    stamp = rfc3339(now or dt.datetime.now(dt.UTC))
    with private_clone(trunk, branch) as clone:

        def commit_round(_previous: Recorded, _attempt: int) -> Round[Recorded]:
            return _record_round(clone, observed, settings, stamp)

        landing = land(
            clone, Recorded(StatusReport(())), commit_round, max_attempts=settings.max_attempts, dry_run=False
        )
    if landing.failure is not None:
        raise landing.failure
    return replace(landing.value, attempts=landing.attempts)


def _record_round(clone: TrunkClone, observed: Observed, settings: RecordSettings, stamp: str) -> Round[Recorded]:
    config = load_config(clone.root)
    clone.focus([STATUS_DIR, *(env.path for env in config.environments.values())])
    require_current_layout(clone.root, config)
    subscriptions = trunk_subscriptions(clone.root, config)
    previous = previous_records(clone.root, subscriptions)
    ids = {name: record.subscriptionId for name, record in previous.items() if record.subscriptionId}
    report = judge_fleet(subscriptions, observed, config.flux.namespace, ids)
    records = [as_record(item, previous.get(item.name), stamp) for item in report.subscriptions]
    report = replace(report, subscriptions=tuple(_with_since(report.subscriptions, records)))
    files = changed_records(records, previous)
    if not files:
        return Round(Recorded(report), committed=False)
    verdict = scope_verdict(STATUS_DIR, load_codeowners(clone.root), settings.identity, sorted(files))
    if not verdict.allowed:
        raise ScopeError("path scope refused", verdict.findings[:5])
    message = status_change(settings.identity, len(files), settings.requested_by).message()
    author = settings.author or settings.committer
    (sha,) = clone.commit_series([PlannedCommit(files, message, author, settings.committer)])
    return Round(Recorded(report, sha, len(files)), committed=True)


def previous_records(root: Path, subscriptions: Sequence[TrunkSubscription]) -> dict[str, StatusRecord]:
    """The recorded status of each subscription that has one (a damaged record is an ``InputError``)."""
    found = {}
    for item in subscriptions:
        path = record_path(item.environment, item.name)
        try:
            text = (root / path).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        found[item.name] = parse_record(text, path)
    return found


def as_record(item: SubscriptionStatus, previous: StatusRecord | None, stamp: str) -> StatusRecord:
    """The record of one classification; ``since`` as the module says."""
    since = item.since
    if since is None:
        since = previous.since if previous is not None and previous.state == item.state else stamp
    return StatusRecord(
        name=item.name,
        environment=item.environment,
        state=item.state,
        since=since,
        subscriptionId=item.subscription_id,
        appliedRevision=item.applied_revision,
        renderHash=item.render_hash,
        planId=item.plan_id,
        message=item.message,
    )


def changed_records(records: Sequence[StatusRecord], previous: Mapping[str, StatusRecord]) -> dict[str, str | None]:
    """The record files whose text changes."""
    return {
        record_path(record.environment, record.name): record.text()
        for record in records
        if record.name not in previous or previous[record.name].text() != record.text()
    }


def _with_since(items: Sequence[SubscriptionStatus], records: Sequence[StatusRecord]) -> list[SubscriptionStatus]:
    return [replace(item, since=record.since) for item, record in zip(items, records, strict=True)]


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")

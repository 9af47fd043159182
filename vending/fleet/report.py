"""``vending report``: DORA metrics over a window from the trunk's history (vend and update commits with their
trailers and times; every recorded version of each status record) and an inventory of the trunk as it is now.
How each figure is computed: :mod:`vending.fleet.report_metrics` and docs/status.md."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vending.errors import Finding, InputError
from vending.fleet.report_metrics import ChangeCommit, Metrics, RecordVersion, metrics, outcomes, restores
from vending.trunk.config import load_config_text
from vending.trunk.history import History, LoggedCommit, read_history
from vending.trunk.layout import CONFIG_FILE, FLUX_FILE, REQUEST_FILE, STATUS_DIR
from vending.trunk.records import parse_record

DEFAULT_DAYS = 30
CHANGE_SUBJECTS = ("Vend ", "Update ")
"""The subjects of the commits that vend or update a subscription (vending.trunk.messages)."""
_HEADER = re.compile(r"^# Rendered by vending: interface [^,]+, module (?P<ref>\S+?)\.?$", re.MULTILINE)
_MANAGEMENT_GROUP = re.compile(r"^managementGroup: *['\"]?(?P<mg>[^'\"\n]+?)['\"]? *$", re.MULTILINE)
_BUDGET = re.compile(r"^budget:", re.MULTILINE)


@dataclass(frozen=True)
class Inventory:
    environments: dict[str, int] = field(default_factory=dict)
    management_groups: dict[str, int] = field(default_factory=dict)
    module_refs: dict[str, int] = field(default_factory=dict)
    without_budget: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "environments": self.environments,
            "managementGroups": self.management_groups,
            "moduleRefs": self.module_refs,
            "withoutBudget": self.without_budget,
        }


@dataclass(frozen=True)
class Report:
    since: dt.datetime
    until: dt.datetime
    metrics: Metrics
    inventory: Inventory
    changes: int = 0
    records: int = 0


def build_report(
    trunk: str, branch: str, since: dt.datetime | None, until: dt.datetime | None, now: dt.datetime | None = None
) -> Report:
    """The report of ``[since, until)`` (default: the 30 days before now)."""
    end = until or (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    start = since or end - dt.timedelta(days=DEFAULT_DAYS)
    if start >= end:
        raise InputError("empty window", [Finding("--since", "", f"{stamp(start)} is not before {stamp(end)}")])
    with read_history(trunk, branch) as history:
        changes = change_commits(history.commits())
        versions = list(history.versions(STATUS_DIR))
        inventory = take_inventory(history)
    by_name = record_versions((version.path, version.time, version.text) for version in versions)
    found = outcomes(changes, by_name)
    recoveries = [pair for series in by_name.values() for pair in restores(series)]
    figures = metrics(found, recoveries, int(start.timestamp()), int(end.timestamp()))
    count = sum(len(series) for series in by_name.values())
    return Report(start, end, figures, inventory, len(changes), count)


def change_commits(commits: Iterable[LoggedCommit]) -> list[ChangeCommit]:
    """The vend and update commits, oldest first."""
    return [
        ChangeCommit(
            commit.sha, commit.trailers["Vending-Request"], commit.time, commit.trailers.get("Vending-Render-Hash")
        )
        for commit in commits
        if commit.subject.startswith(CHANGE_SUBJECTS) and "Vending-Request" in commit.trailers
    ]


def record_versions(versions: Iterable[tuple[str, int, str | None]]) -> dict[str, list[RecordVersion]]:
    """Each subscription's recorded versions, oldest first; a version that cannot be read is left out."""
    by_name: dict[str, list[RecordVersion]] = defaultdict(list)
    for path, time, text in versions:
        if text is None:
            continue
        try:
            record = parse_record(text, path)
            since = int(parse_time(record.since).timestamp())
        except (InputError, ValueError):
            continue
        by_name[record.name].append(RecordVersion(time, since, record))
    return dict(by_name)


def take_inventory(history: History) -> Inventory:
    """Subscriptions per environment, management group and module ref, and how many have no budget, from
    each live subscription's ``request.yaml`` at the branch's tip."""
    text = history.tip_file(CONFIG_FILE)
    if text is None:
        raise InputError("not a trunk", [Finding(CONFIG_FILE, "", "missing at the branch's tip")])
    config = load_config_text(text)
    paths = {config.environments[name].path: name for name in sorted(config.environments)}
    environments: Counter[str] = Counter(dict.fromkeys(sorted(config.environments), 0))
    groups: Counter[str] = Counter()
    refs: Counter[str] = Counter()
    without_budget = 0
    wanted = (f"/{REQUEST_FILE}", f"/{FLUX_FILE}")
    for path, text in history.tip_files(sorted(paths), lambda path: path.endswith(wanted)):
        folder, name, file = path.rsplit("/", 2)
        if folder not in paths or name.startswith("_"):
            continue
        if file == FLUX_FILE:  # the module ref is in the rendered files' header, not in the request's
            refs[_first(_HEADER, text, "ref")] += 1
            continue
        environments[paths[folder]] += 1
        groups[_first(_MANAGEMENT_GROUP, text, "mg")] += 1
        without_budget += 0 if _BUDGET.search(text) else 1
    return Inventory(dict(environments), dict(sorted(groups.items())), dict(sorted(refs.items())), without_budget)


def _first(pattern: re.Pattern[str], text: str, group: str) -> str:
    match = pattern.search(text)
    return match.group(group) if match else "unknown"


def parse_time(text: str) -> dt.datetime:
    """An RFC 3339 time or a date (midnight UTC); naive times are UTC."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["Report", "build_report", "parse_time", "stamp"]

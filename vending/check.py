"""Check: re-render the whole trunk from its requests and report every difference."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from vending.errors import Finding
from vending.render.pool import map_jobs, process_pool, worker_count
from vending.render.subscription import initial_deletion, render_subscription
from vending.render.trunkfiles import derived_files, layout_files, subscription_layout_files
from vending.request.load import validate_model
from vending.request.model import Request
from vending.request.yamlio import YamlDocument, YamlLoadError, load_plain_yaml, parse_yaml_mapping, read_text_bounded
from vending.trunk.config import TrunkConfig, load_config
from vending.trunk.files import write_tree
from vending.trunk.layout import FACTS_FILE, RENDER_HASH_ANNOTATION, REQUEST_FILE, SUBSCRIPTION_FILES
from vending.trunk.state import Entry, NetworkMap
from vending.trunk.survey import Survey, survey

_YAML_ERRORS = (yaml.YAMLError, ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)
"""What libyaml raises for a file vending did not write: syntax errors, and malformed typed scalars."""
PARALLEL_THRESHOLD = 400
MAX_WORKERS = 8
CHUNKS_PER_WORKER = 8
"""One worker per core, at most eight. A worker is a fork of the parent and holds one subscription's render at a
time (about 20 MB of its own beside the shared pages); the parent keeps one entry and the findings per
subscription. Measured at 10,000 subscriptions: largest process 55 MB; summed PSS 88 MB with 2 workers,
189 MB with 8."""


@dataclass(frozen=True)
class CheckedSubscription:
    entry: Entry | None
    findings: tuple[Finding, ...]
    expected: tuple[tuple[str, str], ...] = ()
    layout_findings: tuple[Finding, ...] = ()


def check_trunk(root: Path, interface_version: str, *, workers: int | None = None, fix: bool = False) -> list[Finding]:
    """Every way the trunk differs from what its requests and config render to. With ``fix``, rewrite
    every rendered and derived file that differs and remove the derived files nothing derives (a working
    tree only; requests are never touched): on a 0.x trunk, that is the migration to the sharded layout."""
    config = load_config(root)
    found = survey(root, config)
    jobs = [
        (env_key, directory, found.legacy_policies.get(directory))
        for env_key, env in sorted(config.environments.items())
        for directory in _subscription_dirs(root / env.path)
    ]
    results = _run(root, _CheckJob(root, config, interface_version, keep=fix), jobs, workers)
    entries = [result.entry for result in results if result.entry is not None]
    findings = [f for result in results for f in result.findings] + list(found.findings) + _fleet_findings(entries)
    findings += _tombstone_findings(found, entries)
    expected = {path: text for result in results for path, text in result.expected}
    derived = {**derived_files(config, interface_version), **layout_files(config, entries, interface_version)}
    derived.update(found.tombstone_files(config))
    layout = [f for result in results for f in result.layout_findings]
    for path, text in derived.items():
        layout += _compare_file(root, path, text, "derived from vending.yaml and the requests")
    extra = [path for path in found.layout_files if path not in derived] + list(found.legacy_indexes)
    layout += [Finding(path, "", "extra file: nothing in the trunk derives it; remove it") for path in extra]
    findings += _migration_findings(found, layout) if found.legacy_indexes else layout
    if fix:
        changed = {p: t for p, t in {**expected, **derived}.items() if _compare_file(root, p, t, "")}
        write_tree(root, {**changed, **dict.fromkeys(extra)})
    return findings


def _migration_findings(found: Survey, layout: Sequence[Finding]) -> list[Finding]:
    """On a 0.x trunk, one finding per index instead of one per file the migration writes."""
    message = (
        f"the trunk is in the 0.x layout: 'vending check --fix' in a working tree migrates it ({len(layout)} "
        "files to write or remove, in one reviewable change; see docs/upgrading.md)"
    )
    return [Finding(path, "", message) for path in found.legacy_indexes]


def _tombstone_findings(found: Survey, entries: Sequence[Entry]) -> list[Finding]:
    live = {entry.name: entry.environment for entry in entries}
    return [
        Finding(
            t.name,
            "name",
            f"decommissioned from {t.environment!r} but live in {live[t.name]!r}; names are never reused",
        )
        for t in found.tombstones
        if t.name in live
    ]


def _subscription_dirs(env_dir: Path) -> list[str]:
    """The subscription folders of an environment: names start with a letter, the layout's folders with ``_``."""
    if not env_dir.is_dir():
        return []
    return sorted(entry.name for entry in os.scandir(env_dir) if entry.is_dir() and entry.name[:1].isalnum())


Job = tuple[str, str, str | None]


def _run(root: Path, job: _CheckJob, jobs: list[Job], workers: int | None) -> list[CheckedSubscription]:
    """Check every subscription, in a process pool for a large trunk. Results come back in small chunks and
    carry the rendered files only when they are to be written (``--fix``): the parent keeps one entry and
    the findings per subscription, each worker one subscription's render at a time."""
    count = worker_count(workers, cap=MAX_WORKERS)
    with process_pool(len(jobs), workers=count, threshold=PARALLEL_THRESHOLD) as pool:
        return map_jobs(pool, job, jobs, chunks=count * CHUNKS_PER_WORKER)


class _CheckJob:
    """Check one subscription directory (a picklable callable, for the process pool); ``keep``: return the
    rendered files too."""

    def __init__(self, root: Path, config: TrunkConfig, version: str, *, keep: bool) -> None:
        self.root, self.config, self.version, self.keep = root, config, version, keep

    def __call__(self, job: Job) -> CheckedSubscription:
        checked = check_subscription(self.root, self.config, self.version, *job)
        return checked if self.keep else replace(checked, expected=())


def check_subscription(
    root: Path, config: TrunkConfig, version: str, environment: str, name: str, deletion: str | None = None
) -> CheckedSubscription:
    """Compare one subscription directory with a fresh render of its ``request.yaml``."""
    env = config.environments[environment]
    directory = f"{env.path}/{name}"
    request, findings = _load_trunk_request(root, f"{directory}/{REQUEST_FILE}")
    if request is None:
        return CheckedSubscription(None, tuple(findings))
    if request.name != name or request.environment != environment:
        findings.append(
            Finding(
                f"{directory}/{REQUEST_FILE}",
                "name",
                f"request {request.name!r} in environment {request.environment!r} is filed under {directory}",
            )
        )
        return CheckedSubscription(None, tuple(findings))
    deletion = _recorded_deletion(root, f"{directory}/{FACTS_FILE}") or deletion
    rendered = render_subscription(request, config, version, deletion)
    for path, text in rendered.files.items():
        findings += _compare_file(root, path, text, "rendered from request.yaml")
    present = {p.name for p in (root / directory).iterdir()}
    for extra in sorted(present - set(SUBSCRIPTION_FILES)):
        findings.append(Finding(f"{directory}/{extra}", "", "extra file: vending does not render it; remove it"))
    entry = Entry.from_request(
        request, default_workload=env.workload, deletion=deletion or initial_deletion(request, config)
    )
    layout = subscription_layout_files(config, entry, version)
    layout_findings = [f for path, text in layout.items() for f in _compare_file(root, path, text, _FACTS_ORIGIN)]
    expected = (*rendered.files.items(), *layout.items())
    return CheckedSubscription(entry, tuple(findings), expected, tuple(layout_findings))


_FACTS_ORIGIN = "derived from request.yaml and the recorded deletion policy"


def _recorded_deletion(root: Path, path: str) -> str | None:
    """The deletion policy the subscription was vended with, from its facts (when readable)."""
    try:
        data = json.loads((root / path).read_text(encoding="utf-8"))
        policy = data["deletionPolicy"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return policy if policy in ("cancel", "retain") else None


def _load_trunk_request(root: Path, path: str) -> tuple[Request | None, list[Finding]]:
    target = root / path
    if not target.is_file():
        return None, [Finding(path, "", "missing: every subscription directory needs its request.yaml")]
    try:
        text = read_text_bounded(target, path)
        data = load_plain_yaml(text)
        if isinstance(data, dict):
            try:
                return Request.model_validate(data), []
            except ValueError:
                pass
        document: YamlDocument = parse_yaml_mapping(text, path)
    except YamlLoadError as exc:
        return None, [exc.finding]
    except _YAML_ERRORS as exc:
        return None, [Finding(path, "", f"invalid YAML: {exc}")]
    request, findings = validate_model(Request, document)
    return request, findings


def _compare_file(root: Path, path: str, expected: str, origin: str) -> list[Finding]:
    target = root / path
    if not target.is_file():
        return [Finding(path, "", f"missing: it is {origin}")]
    actual = target.read_text(encoding="utf-8", errors="replace")
    if actual == expected:
        return []
    if _header(actual) != _header(expected):
        return [Finding(path, "", f"stale render ({_header(actual) or 'no header'}); re-render it")]
    if RENDER_HASH_ANNOTATION in expected and RENDER_HASH_ANNOTATION not in actual:
        return [
            Finding(path, "", f"stale render (rendered before the {RENDER_HASH_ANNOTATION} annotation); re-render it")
        ]
    return [Finding(path, "", f"differs from what is {origin} (edited by hand?)")]


def _header(text: str) -> str:
    first = text.split("\n", 1)[0]
    return first.removeprefix("# Rendered by vending: ").rstrip(".") if first.startswith("# Rendered") else ""


def _fleet_findings(entries: Sequence[Entry]) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.name in seen:
            findings.append(
                Finding(
                    entry.name,
                    "name",
                    f"duplicate: in environments {seen[entry.name].environment!r} and {entry.environment!r}",
                )
            )
        seen[entry.name] = entry
    networks = NetworkMap((cidr, e.name) for e in entries for cidr in e.address_space)
    for entry in entries:
        for cidr in entry.address_space:
            for other, owner in networks.overlapping(cidr, ignore=entry.name):
                if entry.name < owner:
                    findings.append(
                        Finding(
                            entry.name, "network.addressSpace", f"{cidr} overlaps {other} of subscription {owner!r}"
                        )
                    )
    return findings

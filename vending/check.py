"""Check: re-render the whole trunk from its requests and report every difference."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from vending.errors import Finding, InputError
from vending.render.pool import map_jobs, process_pool, worker_count
from vending.render.subscription import initial_deletion, render_subscription
from vending.render.trunkfiles import derived_files, layout_files, legacy_cluster_files, subscription_layout_files
from vending.request.load import validate_model
from vending.request.model import Request
from vending.request.yamlio import YamlDocument, YamlLoadError, load_plain_yaml, parse_yaml_mapping
from vending.trunk import safe_read
from vending.trunk.approvals import Approval, approval_path, parse_approval
from vending.trunk.config import TrunkConfig, load_config
from vending.trunk.files import write_tree
from vending.trunk.layout import (
    APPROVAL_FILE,
    FACTS_FILE,
    FLUX_FILE,
    RENDER_HASH_ANNOTATION,
    REQUEST_FILE,
    SUBSCRIPTION_FILES,
    TERRAFORM_FILE,
)
from vending.trunk.state import Entry, NetworkMap
from vending.trunk.survey import Survey, survey

_YAML_ERRORS = (yaml.YAMLError, ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)
"""What libyaml raises for a file vending did not write: syntax errors, and malformed typed scalars."""
FIX_HINT = "'vending check --fix' in a working tree"
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
    stale: tuple[str, ...] = ()


def check_trunk(root: Path, interface_version: str, *, workers: int | None = None, fix: bool = False) -> list[Finding]:
    """Every way the trunk differs from what its requests and config render to. With ``fix``, rewrite
    every rendered and derived file that differs and remove the derived files nothing derives (a working
    tree only; requests are never touched): on a 0.x trunk, that is the migration to the sharded layout."""
    config = load_config(root)
    found = survey(root, config)
    jobs = [
        (env_key, directory, found.legacy_policies.get(directory))
        for env_key, env in sorted(config.environments.items())
        for directory in _subscription_dirs(root, env.path)
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
    layout += [
        Finding(path, "", f"extra file: nothing in the trunk derives it; {FIX_HINT} removes it") for path in extra
    ]
    moved = _moved_cluster_files(root, config)
    layout += [Finding(path, "", _MOVED) for path in moved]
    findings += _migration_findings(found, layout) if found.legacy_indexes else layout
    if fix:
        changed = {p: t for p, t in {**expected, **derived}.items() if _compare_file(root, p, t, "")}
        stale = [path for result in results for path in result.stale]
        write_tree(root, {**changed, **dict.fromkeys([*extra, *moved, *stale])})
    return findings


_MOVED = (
    "vending's cluster objects now live in clusters/<cluster>/vending/, beside Flux's own flux-system/: "
    "'vending check --fix' moves them (see docs/upgrading.md)"
)


def _moved_cluster_files(root: Path, config: TrunkConfig) -> list[str]:
    """Cluster objects an earlier vending rendered beside Flux's own ``flux-system/`` (only files it wrote)."""
    return [path for path in legacy_cluster_files(config) if _header(_head(root / path))]


def _head(path: Path) -> str:
    if not path.is_file():
        return ""
    with path.open(encoding="utf-8", errors="replace") as handle:
        return handle.readline()


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


def _subscription_dirs(root: Path, env_path: str) -> list[str]:
    """The subscription folders of an environment: names start with a letter, the layout's folders with ``_``."""
    return safe_read.subscription_folders(root, env_path)


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
    approval, stale = _approval(root, directory)
    rendered = render_subscription(request, config, version, deletion, approval)
    drift: list[Finding] = []
    for path, text in rendered.files.items():
        drift += _compare_file(root, path, text, "rendered from request.yaml")
    findings += _blame_request(root, directory, rendered.flux_object, drift)
    if approval is not None and rendered.approved_plan is None:
        stale = (Finding(approval_path(directory), "planId", _STALE.format(approval.plan_id)),)
    findings += stale
    present = {p.name for p in (root / directory).iterdir()}
    for extra in sorted(present - {*SUBSCRIPTION_FILES, APPROVAL_FILE}):
        findings.append(Finding(f"{directory}/{extra}", "", "extra file: vending does not render it; remove it"))
    entry = Entry.from_request(
        request, default_workload=env.workload, deletion=deletion or initial_deletion(request, config)
    )
    layout = subscription_layout_files(config, entry, version)
    layout_findings = [f for path, text in layout.items() for f in _compare_file(root, path, text, _FACTS_ORIGIN)]
    expected = (*rendered.files.items(), *layout.items())
    stale_paths = tuple(f.file for f in stale)
    return CheckedSubscription(entry, tuple(findings), expected, tuple(layout_findings), stale_paths)


_STALE = (
    "the approval of {} was given for another render (the request, the module ref or the environment's "
    "approval changed since): it no longer applies; remove it ('vending check --fix') and approve the new plan"
)


def _approval(root: Path, directory: str) -> tuple[Approval | None, tuple[Finding, ...]]:
    """The subscription's approval, or the finding that it is damaged."""
    path = approval_path(directory)
    try:
        text = safe_read.read_text(root, path)
        return (None, ()) if text is None else (parse_approval(text, path), ())
    except InputError as exc:
        return None, exc.findings


def _blame_request(root: Path, directory: str, expected: dict[str, Any], drift: list[Finding]) -> list[Finding]:
    """When ``main.tf`` and ``terraform.yaml`` both differ and the object's inputs are not the request's, the file
    that changed is ``request.yaml`` (edited without re-rendering): one finding on it instead of two on files no
    one touched."""
    rendered = {f"{directory}/{TERRAFORM_FILE}", f"{directory}/{FLUX_FILE}"}
    if {f.file for f in drift if "differs from" in f.message} != rendered:
        return drift
    wanted = expected["spec"].get("vars")
    if wanted is None or _object_vars(root / directory / FLUX_FILE) in (None, wanted):
        return drift
    message = (
        f"changed without re-rendering: {TERRAFORM_FILE} and {FLUX_FILE} still render the request before this change; "
        f"{FIX_HINT} re-renders them (or submit the request)"
    )
    return [f for f in drift if f.file not in rendered] + [Finding(f"{directory}/{REQUEST_FILE}", "", message)]


def _object_vars(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))["spec"]["vars"]
    except (OSError, *_YAML_ERRORS):
        return None


_FACTS_ORIGIN = "derived from request.yaml and the recorded deletion policy"


def _recorded_deletion(root: Path, path: str) -> str | None:
    """The deletion policy the subscription was vended with, from its facts (when readable)."""
    try:
        data = json.loads(safe_read.read_text(root, path) or "")
        policy = data["deletionPolicy"]
    except (OSError, ValueError, KeyError, TypeError, InputError):
        return None
    return policy if policy in ("cancel", "retain") else None


def _load_trunk_request(root: Path, path: str) -> tuple[Request | None, list[Finding]]:
    try:
        text = safe_read.read_text(root, path)
    except InputError as exc:
        return None, list(exc.findings)
    if text is None:
        return None, [Finding(path, "", "missing: every subscription directory needs its request.yaml")]
    try:
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
    try:
        raw = safe_read.read_bytes(root, path)
    except InputError as exc:
        return list(exc.findings)
    if raw is None:
        return [Finding(path, "", f"missing: it is {origin}; {FIX_HINT} writes it")]
    actual = raw.decode("utf-8", errors="replace")
    if actual == expected:
        return []
    if _header(actual) != _header(expected):
        return [Finding(path, "", f"stale render ({_header(actual) or 'no header'}); {FIX_HINT} re-renders it")]
    if RENDER_HASH_ANNOTATION in expected and RENDER_HASH_ANNOTATION not in actual:
        message = f"stale render (rendered before the {RENDER_HASH_ANNOTATION} annotation); {FIX_HINT} re-renders it"
        return [Finding(path, "", message)]
    return [Finding(path, "", f"differs from what is {origin} (edited by hand?); {FIX_HINT} restores it")]


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

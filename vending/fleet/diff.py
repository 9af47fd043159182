"""``vending diff``: what submitting each request would change, field by field, decided by the rules submit
applies (validation against the trunk, and path scope when an identity is given). Nothing is written."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from vending.codeowners import CodeOwnersFile
from vending.errors import ExitCode, Finding
from vending.fleet.diffhash import binding_hash, own_part
from vending.render.subscription import initial_deletion, render_subscription
from vending.request.load import LoadedRequest, load_request
from vending.request.model import REQUEST_KEYS, Request
from vending.request.yamlio import load_plain_yaml
from vending.trunk.config import TrunkConfig, load_config
from vending.trunk.layout import REQUEST_FILE
from vending.trunk.ledger import TreeView, layout_changes
from vending.trunk.scope import load_codeowners, scope_verdict
from vending.trunk.state import Entry, paths_of, read_state
from vending.validate import Checked, validate_batch

TOP_KEY = re.compile(r"^[A-Za-z]+")


class Kind(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass(frozen=True)
class FieldChange:
    """One request key whose value differs from the trunk's (``before`` is None for a new subscription)."""

    field: str
    before: Any
    after: Any
    reason: str | None = None

    @property
    def effect(self) -> str:
        return "in-place" if self.reason is None else "refused"

    def as_json(self) -> dict[str, Any]:
        data = {"field": self.field, "from": self.before, "to": self.after, "effect": self.effect}
        return data if self.reason is None else {**data, "reason": self.reason}


@dataclass(frozen=True)
class RequestDiff:
    source: str
    name: str | None
    environment: str | None
    kind: Kind
    fields: tuple[FieldChange, ...] = ()
    errors: tuple[Finding, ...] = ()
    paths: tuple[str, ...] = ()
    scope_refused: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "environment": self.environment,
            "kind": str(self.kind),
            "file": self.source,
            "fields": [change.as_json() for change in self.fields],
            "errors": [{"field": f.field, "message": f.message, "line": f.line} for f in self.errors],
            "paths": list(self.paths),
        }


@dataclass(frozen=True)
class DiffReport:
    changes: tuple[RequestDiff, ...]
    hash: str
    trunk_commit: str | None = None
    identity: str | None = None

    def counts(self) -> dict[str, int]:
        return {str(kind): sum(1 for c in self.changes if c.kind is kind) for kind in Kind}

    @property
    def exit_code(self) -> ExitCode:
        refused = [change for change in self.changes if change.kind is Kind.REFUSED]
        if any(not change.scope_refused for change in refused):
            return ExitCode.INVALID
        return ExitCode.SCOPE if refused else ExitCode.OK

    def as_json(self) -> dict[str, Any]:
        return {
            "changes": [change.as_json() for change in self.changes],
            "counts": self.counts(),
            "hash": self.hash,
            "trunkCommit": self.trunk_commit,
            "scope": "judged" if self.identity else "not-judged",
            "identity": self.identity,
        }


@dataclass(frozen=True)
class _Context:
    config: TrunkConfig
    owners: CodeOwnersFile | None
    identity: str | None
    interface_version: str


def diff_requests(
    paths: Sequence[Path],
    trunk_root: Path,
    interface_version: str,
    *,
    identity: str | None = None,
    trunk_commit: str | None = None,
) -> DiffReport:
    """Each request's change against the trunk checked out at ``trunk_root``, in the order given."""
    loaded = [load_request(path) for path in paths]
    config = load_config(trunk_root)
    state = read_state(trunk_root, config)
    checked = validate_batch(loaded, interface_version, config, state)
    owners = load_codeowners(trunk_root) if identity else None
    context = _Context(config, owners, identity, interface_version)
    view = TreeView(trunk_root)
    changes = []
    rendered: dict[int, dict[str, str | None]] = {}
    for index, item in enumerate(checked):
        change, files = _diff_one(item, view, context)
        changes.append(change)
        view = view.with_planned(files)
        if item.loaded.request is not None and files:
            rendered[index] = own_part(files, config, item.loaded.request)
    digest = binding_hash(loaded, TreeView(trunk_root).read, config, interface_version, rendered)
    return DiffReport(tuple(changes), digest, trunk_commit, identity)


def _diff_one(item: Checked, view: TreeView, context: _Context) -> tuple[RequestDiff, dict[str, str | None]]:
    """One request's diff and the files it would write (laid over the view for the requests after it)."""
    request = item.loaded.request
    if request is None or request.environment not in context.config.environments:
        name, env = _raw(item.loaded, "name"), _raw(item.loaded, "environment")
        return RequestDiff(item.source, name, env, Kind.REFUSED, errors=item.findings), {}
    existing = view.state(context.config).find(request.name)
    before = _trunk_request(view, context.config, existing)
    after = request.normalized(context.config.environments[request.environment].workload)
    changes, errors = _attach(field_changes(before, after), item.findings)
    if item.findings:
        return RequestDiff(item.source, request.name, request.environment, Kind.REFUSED, changes, errors), {}
    files = _files(request, context, view, existing)
    paths = tuple(view.changed_paths(files))
    kind = Kind.UNCHANGED if not paths else Kind.UPDATE if existing else Kind.CREATE
    refusals = _scope_findings(item.source, context, paths)
    if refusals:
        reason = "; ".join(f.message for f in refusals)
        changes = tuple(FieldChange(c.field, c.before, c.after, reason) for c in changes)
        refused = RequestDiff(
            item.source, request.name, request.environment, Kind.REFUSED, changes, refusals, paths, scope_refused=True
        )
        return refused, {}
    return RequestDiff(item.source, request.name, request.environment, kind, changes, (), paths), files


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """The request keys whose values differ, in the request's own key order."""
    keys = [key for key in REQUEST_KEYS if key in before or key in after]
    return tuple(
        FieldChange(key, before.get(key), after.get(key)) for key in keys if _differ(before.get(key), after.get(key))
    )


def _differ(a: Any, b: Any) -> bool:
    """True when the two values differ (compared as JSON: 100 and 100.0 are one budget)."""
    return json.dumps(a, sort_keys=True, default=str) != json.dumps(b, sort_keys=True, default=str)


def _attach(
    changes: tuple[FieldChange, ...], findings: Sequence[Finding]
) -> tuple[tuple[FieldChange, ...], tuple[Finding, ...]]:
    """Each finding about a changed key refuses that key with its message; the others stay request errors."""
    reasons: dict[str, list[str]] = {}
    errors = []
    changed = {change.field for change in changes}
    for finding in findings:
        match = TOP_KEY.match(finding.field)
        key = match.group(0) if match else ""
        if key in changed:
            reasons.setdefault(key, []).append(finding.message)
        else:
            errors.append(finding)
    attached = tuple(
        FieldChange(c.field, c.before, c.after, "; ".join(reasons[c.field])) if c.field in reasons else c
        for c in changes
    )
    return attached, tuple(errors)


def _trunk_request(view: TreeView, config: TrunkConfig, existing: Entry | None) -> dict[str, Any]:
    """The normalized request the trunk holds for the subscription ({} when it holds none)."""
    if existing is None:
        return {}
    path = f"{paths_of(config, existing.environment).subscription(existing.name)}/{REQUEST_FILE}"
    text = view.read(path)
    data = load_plain_yaml(text) if text is not None else None
    return dict(data) if isinstance(data, dict) else {}


def _files(request: Request, context: _Context, view: TreeView, existing: Entry | None) -> dict[str, str | None]:
    """Every file submitting the request writes: its render and the layout files beside it."""
    config = context.config
    workload = config.environments[request.environment].workload
    deletion = existing.deletion if existing else initial_deletion(request, config)
    rendered = render_subscription(request, config, context.interface_version, deletion)
    entry = Entry.from_request(request, default_workload=workload, deletion=deletion)
    layout = layout_changes(view, config, existing, entry, context.interface_version)
    return {**rendered.files, **layout}


def _scope_findings(source: str, context: _Context, paths: Sequence[str]) -> tuple[Finding, ...]:
    if context.identity is None or not paths:
        return ()
    return scope_verdict(source, context.owners, context.identity, paths).findings


def _raw(item: LoadedRequest, key: str) -> str | None:
    value = item.document.data.get(key) if item.document else None
    return value if isinstance(value, str) else None

"""Decommission: remove a subscription from the trunk in one guarded commit, leaving a tombstone. The same
shape as submit: read the trunk → plan (guardrails, files, scope: pure) → write and commit → push."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from vending.errors import Finding, InputError, ScopeError
from vending.request.yamlio import load_plain_yaml
from vending.trunk import safe_read
from vending.trunk.config import Environment, TrunkConfig, load_config
from vending.trunk.landing import Round, focus_on, land
from vending.trunk.layout import REQUEST_FILE
from vending.trunk.ledger import TreeView, changed_paths, layout_changes
from vending.trunk.messages import POLICY_TEXT, Subject, decommission_change
from vending.trunk.outcomes import Status
from vending.trunk.repository import Person, PlannedCommit, TrunkClone
from vending.trunk.scope import load_codeowners, scope_verdict
from vending.trunk.state import Entry, TrunkState, json_text, paths_of, read_state
from vending.trunk.workdir import private_clone

__all__ = ["POLICY_TEXT", "DecommissionReport", "DecommissionSettings", "decommission"]


@dataclass(frozen=True)
class DecommissionSettings:
    trunk: str
    name: str
    identity: str
    confirm: str
    committer: Person
    interface_version: str
    reason: str = ""
    ticket: str | None = None
    requested_by: str | None = None
    author: Person | None = None
    branch: str = "main"
    dry_run: bool = False
    max_attempts: int = 30


@dataclass(frozen=True)
class DecommissionReport:
    name: str
    environment: str = ""
    policy: str = ""
    commit: str | None = None
    status: Status = Status.REJECTED
    diff: str = ""
    attempts: int = 0

    @property
    def policy_text(self) -> str:
        return POLICY_TEXT.get(self.policy, "")


def decommission(settings: DecommissionSettings, now: dt.datetime | None = None) -> DecommissionReport:
    """Remove ``settings.name`` from the trunk; guardrails refuse with ``ScopeError`` (exit 4)."""
    if settings.confirm != settings.name:
        raise ScopeError(
            "decommission not confirmed",
            [Finding("--confirm", "", f"must repeat the name {settings.name!r} exactly to decommission it")],
        )
    stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    with private_clone(settings.trunk, settings.branch) as clone:

        def commit_round(_previous: DecommissionReport, _attempt: int) -> Round[DecommissionReport]:
            return _commit_round(clone, settings, stamp)

        landing = land(
            clone,
            DecommissionReport(settings.name),
            commit_round,
            max_attempts=settings.max_attempts,
            dry_run=settings.dry_run,
        )
    if landing.failure is not None:
        raise landing.failure
    return replace(landing.value, attempts=landing.attempts, diff=landing.diff)


def _commit_round(clone: TrunkClone, settings: DecommissionSettings, stamp: str) -> Round[DecommissionReport]:
    """Plan the decommission on the current tip and commit it."""
    focus_on(clone, [settings.name])
    config = load_config(clone.root)
    state = read_state(clone.root, config)
    done = _already_decommissioned(settings.name, state)
    if done is not None:
        return Round(done, committed=False)
    entry = _live_entry(settings.name, config, state)
    focus_on(clone, [settings.name], entry.address_space)
    commit = plan_decommission(clone.root, entry, config, settings, stamp)
    shas = clone.commit_series([commit] if commit.files else [])
    status = Status.PLANNED if settings.dry_run else Status.COMMITTED
    sha = shas[0] if shas and not settings.dry_run else None
    report = DecommissionReport(settings.name, entry.environment, entry.deletion, sha, status)
    return Round(report, committed=bool(shas))


def _already_decommissioned(name: str, state: TrunkState) -> DecommissionReport | None:
    """A re-run of a decommission that already landed changes nothing: ``unchanged``, exit 0."""
    tomb = state.tombstone(name) if state.find(name) is None else None
    if tomb is None:
        return None
    environment, recorded = tomb
    return DecommissionReport(name, environment, str(recorded.get("deletionPolicy", "")), None, Status.UNCHANGED)


def _live_entry(name: str, config: TrunkConfig, state: TrunkState) -> Entry:
    """The subscription to decommission; refused when unknown or its environment forbids it."""
    entry = state.find(name)
    if entry is None:
        raise InputError("unknown subscription", [Finding(name, "name", _missing(name, state))])
    if not config.environments[entry.environment].decommission_allowed:
        message = f"environment {entry.environment!r} does not allow decommissioning (decommissionAllowed: false)"
        raise ScopeError("decommission not allowed", [Finding(name, "environment", message)])
    return entry


def plan_decommission(
    root: Path, entry: Entry, config: TrunkConfig, settings: DecommissionSettings, stamp: str
) -> PlannedCommit:
    """The commit that deletes the subscription's directory and records its tombstone; refused with
    ``ScopeError`` when the identity may not change those paths."""
    env: Environment = config.environments[entry.environment]
    directory = f"{env.path}/{settings.name}"
    files: dict[str, str | None] = {
        str(p.relative_to(root)): None for p in sorted((root / directory).rglob("*")) if p.is_file()
    }
    requested_by = settings.requested_by or (
        settings.author.email if settings.author else _original_requester(root / directory)
    )
    tombstone = {
        "date": stamp,
        "by": settings.identity,
        "requestedBy": requested_by,
        "reason": settings.reason,
        "subscriptionId": entry.subscription_id,
        "deletionPolicy": entry.deletion,
    }
    files[paths_of(config, entry.environment).tombstone(settings.name)] = json_text(tombstone)
    files.update(layout_changes(TreeView(root), config, entry, None, settings.interface_version))
    paths = changed_paths(root, files)
    verdict = scope_verdict(settings.name, load_codeowners(root), settings.identity, paths)
    if not verdict.allowed:
        raise ScopeError("path scope refused", verdict.findings)
    subject = Subject(settings.name, entry.environment, requested_by, settings.identity, settings.interface_version)
    message = decommission_change(subject, entry.deletion, settings.reason, settings.ticket).message()
    author = settings.author or Person(requested_by.split("@")[0].lstrip("@") or "vending", _email(requested_by))
    return PlannedCommit({path: files[path] for path in paths}, message, author, settings.committer)


def _original_requester(directory: Path) -> str:
    """The requestedBy of the subscription's request, the default requester of its decommission."""
    try:
        data = load_plain_yaml(safe_read.read_text(directory, REQUEST_FILE) or "")
        return str(data["requestedBy"])
    except (OSError, KeyError, TypeError, ValueError, InputError):
        return "unknown@users.noreply.github.com"


def _email(text: str) -> str:
    return text if "@" in text and not text.startswith("@") else "vending@users.noreply.github.com"


def _missing(name: str, state: TrunkState) -> str:
    tomb = state.tombstone(name)
    if tomb is not None:
        return f"{name!r} was already decommissioned from {tomb[0]!r} on {tomb[1].get('date', '?')}"
    return f"no subscription named {name!r} in the trunk"

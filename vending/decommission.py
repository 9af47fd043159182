"""Decommission: remove a subscription from the trunk in one guarded commit, leaving a tombstone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from vending.errors import Finding, InputError, ScopeError
from vending.request.yamlio import load_plain_yaml
from vending.submit import focus_on, land
from vending.trunk.config import load_config
from vending.trunk.files import write_tree
from vending.trunk.ledger import Change, Ledger, changed_paths, load_codeowners, scope_verdict
from vending.trunk.repository import Person, TrunkClone, private_clone
from vending.trunk.state import TrunkState, read_state

POLICY_TEXT = {
    "cancel": "the Terraform object is pruned and destroys what it manages, cancelling the subscription "
    "(Azure deletes a cancelled subscription after about 90 days)",
    "retain": "the Terraform object stays in the cluster (prune disabled) and the subscription is kept; "
    "delete the object by hand when it should no longer be managed",
}


@dataclass(frozen=True)
class DecommissionSettings:
    trunk: str
    name: str
    identity: str
    confirm: str
    committer: Person
    interface_version: str
    reason: str = ""
    requested_by: str | None = None
    author: Person | None = None
    branch: str = "main"
    dry_run: bool = False
    max_attempts: int = 30


@dataclass
class DecommissionReport:
    name: str
    environment: str = ""
    policy: str = ""
    commit: str | None = None
    status: str = "rejected"
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
    report = DecommissionReport(settings.name)
    stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    with private_clone(settings.trunk, settings.branch) as clone:

        def commit_round(_retry: bool) -> bool:
            return _commit(clone, settings, report, stamp)

        report.attempts, report.diff = land(
            clone, settings.trunk, settings.branch, settings.max_attempts, settings.dry_run, commit_round
        )
    return report


def _commit(clone: TrunkClone, settings: DecommissionSettings, report: DecommissionReport, stamp: str) -> bool:
    focus_on(clone, [])
    config = load_config(clone.root)
    state = read_state(clone.root, config)
    entry = state.find(settings.name)
    if entry is None:
        raise InputError("unknown subscription", [Finding(settings.name, "name", _missing(settings.name, state))])
    env = config.environments[entry.environment]
    if not env.decommission_allowed:
        raise ScopeError(
            "decommission not allowed",
            [
                Finding(
                    settings.name,
                    "environment",
                    f"environment {entry.environment!r} does not allow decommissioning (decommissionAllowed: false)",
                )
            ],
        )
    directory = f"{env.path}/{settings.name}"
    focus_on(clone, [(entry.environment, settings.name)])
    files: dict[str, str | None] = {
        str(p.relative_to(clone.root)): None for p in sorted((clone.root / directory).rglob("*")) if p.is_file()
    }
    requested_by = settings.requested_by or (
        settings.author.email if settings.author else _original_requester(clone.root / directory)
    )
    ledger = Ledger.of(config, state)
    ledger.remove(
        entry.environment,
        settings.name,
        {
            "date": stamp,
            "by": settings.identity,
            "requestedBy": requested_by,
            "reason": settings.reason,
            "subscriptionId": entry.subscription_id,
            "deletionPolicy": entry.deletion,
        },
    )
    files.update(ledger.environment_files(entry.environment, settings.interface_version))
    paths = changed_paths(clone.root, files)
    verdict = scope_verdict(settings.name, load_codeowners(clone.root), settings.identity, paths)
    if not verdict.allowed:
        raise ScopeError("path scope refused", verdict.findings)
    write_tree(clone.root, {path: files[path] for path in paths})
    change = _change(settings, entry.environment, entry.deletion, requested_by)
    author = settings.author or Person(requested_by.split("@")[0].lstrip("@") or "vending", _email(requested_by))
    report.environment, report.policy = entry.environment, entry.deletion
    sha = clone.commit(paths, change.message(), author, settings.committer)
    report.commit, report.status = (None, "planned") if settings.dry_run else (sha, "committed")
    return sha is not None


def _original_requester(directory: Path) -> str:
    """The requestedBy of the subscription's request, the default requester of its decommission."""
    try:
        data = load_plain_yaml((directory / "request.yaml").read_text(encoding="utf-8"))
        return str(data["requestedBy"])
    except (OSError, KeyError, TypeError, ValueError):
        return "unknown@users.noreply.github.com"


def _email(text: str) -> str:
    return text if "@" in text and not text.startswith("@") else "vending@users.noreply.github.com"


def _missing(name: str, state: TrunkState) -> str:
    tomb = state.tombstone(name)
    if tomb is not None:
        return f"{name!r} was already decommissioned from {tomb[0]!r} on {tomb[1].get('date', '?')}"
    return f"no subscription named {name!r} in the trunk"


def _change(settings: DecommissionSettings, environment: str, policy: str, requested_by: str) -> Change:
    trailers = {
        "Vending-Request": settings.name,
        "Vending-Interface": settings.interface_version,
        "Requested-By": requested_by,
        "Vending-Identity": settings.identity,
        "Azure-Checks": "skipped",
    }
    reason = f"Reason: {settings.reason}\n\n" if settings.reason else ""
    body = f"{reason}Deletion policy {policy}: {POLICY_TEXT[policy]}."
    return Change(f"Decommission {settings.name} from {environment}", trailers, body)

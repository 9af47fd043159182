"""Approve: record the approval of a subscription's pending plan in one guarded commit. The same shape as
decommission: read the trunk → plan (guardrails, render, scope: pure) → commit → push, on the newest tip."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from vending.errors import Finding, InputError, ScopeError
from vending.render.subscription import FLUX_FILE, approvable, render_subscription
from vending.request.model import Request
from vending.request.yamlio import YamlLoadError, load_plain_yaml, read_text_bounded
from vending.trunk.approvals import Approval, approval_path, check_plan_id, parse_approval
from vending.trunk.config import TrunkConfig, load_config
from vending.trunk.landing import Round, focus_on, land
from vending.trunk.layout import REQUEST_FILE
from vending.trunk.messages import Subject, approval_change
from vending.trunk.outcomes import Status
from vending.trunk.repository import Person, PlannedCommit, TrunkClone
from vending.trunk.scope import load_codeowners, scope_verdict
from vending.trunk.state import Entry, TrunkState, read_state
from vending.trunk.workdir import private_clone

__all__ = ["ApproveReport", "ApproveSettings", "approve"]


@dataclass(frozen=True)
class ApproveSettings:
    trunk: str
    name: str
    identity: str
    plan_id: str
    requested_by: str
    committer: Person
    interface_version: str
    author: Person | None = None
    branch: str = "main"
    max_attempts: int = 30


@dataclass(frozen=True)
class ApproveReport:
    name: str
    plan_id: str
    environment: str = ""
    commit: str | None = None
    status: Status = Status.REJECTED
    attempts: int = 0
    digest: str = ""


def approve(settings: ApproveSettings) -> ApproveReport:
    """Approve ``settings.plan_id`` for ``settings.name``; refused with ``InputError`` (exit 2) or
    ``ScopeError`` (exit 4) before anything is committed."""
    check_plan_id(settings.plan_id)
    with private_clone(settings.trunk, settings.branch) as clone:

        def commit_round(previous: ApproveReport, _attempt: int) -> Round[ApproveReport]:
            return _commit_round(clone, settings, previous.digest)

        initial = ApproveReport(settings.name, settings.plan_id)
        landing = land(clone, initial, commit_round, max_attempts=settings.max_attempts, dry_run=False)
    if landing.failure is not None:
        raise landing.failure
    return replace(landing.value, attempts=landing.attempts)


def _commit_round(clone: TrunkClone, settings: ApproveSettings, seen: str) -> Round[ApproveReport]:
    """Plan the approval on the current tip and commit it (nothing when it is already recorded). A retry
    after a lost push refuses when the request changed meanwhile (``seen``: the digest the first round read):
    the plan that was reviewed is not the plan the controller would apply."""
    focus_on(clone, [settings.name])
    config = load_config(clone.root)
    entry = _approvable_entry(settings.name, config, read_state(clone.root, config))
    commit, digest = plan_approval(clone.root, entry, config, settings)
    if seen and digest != seen:
        message = "the request changed in the trunk while approving: read the new pending plan, review it, approve it"
        raise InputError("request changed", [Finding(settings.name, "", message)])
    shas = clone.commit_series([commit] if commit.files else [])
    report = ApproveReport(settings.name, settings.plan_id, entry.environment, digest=digest)
    if not shas:
        return Round(replace(report, status=Status.UNCHANGED), committed=False)
    return Round(replace(report, commit=shas[0], status=Status.COMMITTED), committed=True)


def _approvable_entry(name: str, config: TrunkConfig, state: TrunkState) -> Entry:
    """The subscription to approve: in the trunk, in an environment whose plans wait for an approval."""
    entry = state.find(name)
    if entry is None:
        tomb = state.tombstone(name)
        gone = f"{name!r} was decommissioned from {tomb[0]!r}" if tomb else f"no subscription named {name!r}"
        raise InputError("unknown subscription", [Finding(name, "name", f"{gone} in the trunk: nothing to approve")])
    env = config.environments[entry.environment]
    if env.approval != "manual":
        message = (
            f"environment {entry.environment!r} applies its plans automatically (approval: auto): there is "
            "nothing to approve, no plan waits for an approval"
        )
        raise InputError("nothing to approve", [Finding(name, "environment", message)])
    if not approvable(config, entry.environment):
        message = (
            "the trunk delivers the Terraform code itself (flux.delivery: trunk): an approval committed to it "
            "changes the source revision and so the plan id; approve with module delivery, or set approvePlan "
            "on the object in the cluster"
        )
        raise InputError("approval needs module delivery", [Finding("vending.yaml", "flux.delivery", message)])
    return entry


def plan_approval(
    root: Path, entry: Entry, config: TrunkConfig, settings: ApproveSettings
) -> tuple[PlannedCommit, str]:
    """The commit that records the approval and sets ``approvePlan`` (empty when the same plan is already
    approved for the current render), and the digest of that render; refused with ``ScopeError`` unless the
    identity owns the paths."""
    check_plan_id(settings.plan_id, config.module.ref, pinned_commit=config.module.commit)
    directory = f"{config.environments[entry.environment].path}/{entry.name}"
    request = _trunk_request(root, directory)
    current = _current_approval(root, directory)
    plain = render_subscription(request, config, settings.interface_version, entry.deletion, current)
    flux_path = f"{directory}/{FLUX_FILE}"
    _require_current_render(root, flux_path, plain.files[flux_path])
    path = approval_path(directory)
    verdict = scope_verdict(entry.name, load_codeowners(root), settings.identity, [path, flux_path])
    if not verdict.allowed:
        raise ScopeError("path scope refused", verdict.findings)
    if current is not None and plain.approved_plan == settings.plan_id:
        return PlannedCommit({}, "", _author(settings), settings.committer), plain.digest
    approval = Approval(settings.plan_id, plain.digest, settings.identity, settings.requested_by)
    approved = render_subscription(request, config, settings.interface_version, entry.deletion, approval)
    subject = Subject(entry.name, entry.environment, settings.requested_by, settings.identity)
    message = approval_change(subject, settings.plan_id).message()
    files: dict[str, str | None] = {path: approval.text(), flux_path: approved.files[flux_path]}
    return PlannedCommit(files, message, _author(settings), settings.committer), plain.digest


def _trunk_request(root: Path, directory: str) -> Request:
    """The normalized request the trunk holds for the subscription."""
    path = f"{directory}/{REQUEST_FILE}"
    try:
        return Request.model_validate(load_plain_yaml(read_text_bounded(root / path, path)))
    except YamlLoadError as exc:
        raise InputError("unreadable request in the trunk", [exc.finding]) from exc
    except (OSError, ValueError) as exc:
        finding = Finding(path, "", f"cannot be read back ({exc}); run 'vending check' and repair it first")
        raise InputError("unreadable request in the trunk", [finding]) from exc


def _current_approval(root: Path, directory: str) -> Approval | None:
    """The recorded approval; a damaged one counts as none (the new approval replaces it)."""
    path = approval_path(directory)
    target = root / path
    try:
        return parse_approval(target.read_text(encoding="utf-8"), path) if target.is_file() else None
    except InputError:
        return None


def _require_current_render(root: Path, flux_path: str, expected: str) -> None:
    """Approve only what the trunk renders now: a stale or hand-edited object would hide other changes."""
    target = root / flux_path
    if target.is_file() and target.read_text(encoding="utf-8") == expected:
        return
    message = "differs from a fresh render of request.yaml: run 'vending check' (and '--fix') before approving"
    raise InputError("stale render", [Finding(flux_path, "", message)])


def _author(settings: ApproveSettings) -> Person:
    email = settings.requested_by
    return settings.author or Person(email.split("@")[0] or "vending", email)

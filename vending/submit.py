"""Submit: validate, check against Azure, render, commit one commit per request, push without force."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from vending.codeowners import CodeOwnersFile
from vending.errors import ExitCode, Finding, RenderBugError, TrunkError
from vending.render.selfcheck import check_rendered, terraform_fmt_problems
from vending.render.subscription import initial_deletion, render_subscription
from vending.request.load import LoadedRequest, load_request
from vending.request.model import Request
from vending.trunk.config import TrunkConfig, load_config
from vending.trunk.files import write_tree
from vending.trunk.ledger import Change, Ledger, changed_paths, load_codeowners, scope_verdict
from vending.trunk.repository import (
    Person,
    PlannedCommit,
    PushResult,
    TrunkClone,
    jittered_backoff,
    private_clone,
    sleep,
)
from vending.trunk.state import Entry, read_state
from vending.validate import Checked, validate_batch

AzureRunner = Callable[[Sequence[tuple[str, Request]], Collection[str]], dict[str, list[Finding]]]


@dataclass(frozen=True)
class SubmitSettings:
    trunk: str
    identity: str
    committer: Person
    interface_version: str
    branch: str = "main"
    author: Person | None = None
    dry_run: bool = False
    workdir: Path | None = None
    max_attempts: int = 30


@dataclass
class Outcome:
    """What happened to one request."""

    source: str
    name: str | None
    environment: str | None
    status: str = "pending"
    commit: str | None = None
    findings: list[Finding] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.OK
    action: str = ""

    def reject(self, findings: Sequence[Finding], code: ExitCode) -> None:
        self.status, self.commit, self.exit_code = "rejected", None, code
        self.findings = list(findings)


@dataclass
class SubmitReport:
    outcomes: list[Outcome]
    azure_checks: str
    attempts: int = 0
    diff: str = ""

    @property
    def exit_code(self) -> ExitCode:
        codes = [o.exit_code for o in self.outcomes if o.status == "rejected"]
        return max(codes, default=ExitCode.OK)


def submit(paths: Sequence[Path], settings: SubmitSettings, azure: AzureRunner | None) -> SubmitReport:
    """Land every valid request as its own commit on the trunk; report each request's outcome."""
    loaded = [load_request(path) for path in paths]
    report = SubmitReport([_outcome(item) for item in loaded], "passed" if azure else "skipped")
    try:
        with private_clone(settings.trunk, settings.branch, settings.workdir) as clone:
            focus_on(clone, [item.request for item in loaded if item.request is not None])
            first = _first_pass(clone, loaded, report, settings, azure)
            _land(clone, loaded, report, settings, first)
    except TrunkError as exc:
        findings = list(exc.findings) or [Finding(settings.trunk, "", exc.message)]
        for outcome in report.outcomes:
            if outcome.status in ("pending", "committed", "planned"):
                outcome.reject([replace(f, file=outcome.source) for f in findings], ExitCode.TRUNK)
    return report


def focus_on(clone: TrunkClone, subscriptions: Sequence[Request | tuple[str, str]]) -> None:
    """Check out what validating and writing these subscriptions reads: the config, every environment's
    index and kustomization, and each subscription's own directory (given as a request or (env, name))."""
    environments = load_config(clone.root).environments
    pairs = [(s.environment, s.name) if isinstance(s, Request) else s for s in subscriptions]
    clone.focus(
        [f"{environments[env].path}/{name}" for env, name in pairs if env in environments],
        [env.path for env in environments.values()],
    )


def _outcome(item: LoadedRequest) -> Outcome:
    request = item.request
    return Outcome(
        item.source,
        request.name if request else _raw(item, "name"),
        request.environment if request else _raw(item, "environment"),
    )


def _raw(item: LoadedRequest, key: str) -> str | None:
    value = item.document.data.get(key) if item.document else None
    return value if isinstance(value, str) else None


def _first_pass(
    clone: TrunkClone,
    loaded: list[LoadedRequest],
    report: SubmitReport,
    settings: SubmitSettings,
    azure: AzureRunner | None,
) -> dict[str, bool]:
    """Validate against the trunk as first seen; run the Azure checks once. Returns which names existed."""
    config = load_config(clone.root)
    state = read_state(clone.root, config)
    checked = validate_batch(loaded, settings.interface_version, config, state)
    _record_invalid(checked, report)
    if azure is not None:
        valid = [(c.source, c.loaded.request) for c in checked if c.request is not None]
        in_trunk = [r.name for _, r in valid if r is not None and state.find(r.name) is not None]
        for source, findings in azure([(s, r) for s, r in valid if r is not None], in_trunk).items():
            for outcome in report.outcomes:
                if outcome.source == source and findings:
                    outcome.reject(findings, ExitCode.AZURE)
    return {item.request.name: state.find(item.request.name) is not None for item in loaded if item.request is not None}


def _record_invalid(checked: list[Checked], report: SubmitReport) -> None:
    for item, outcome in zip(checked, report.outcomes, strict=True):
        if not item.valid and outcome.exit_code != ExitCode.AZURE:
            outcome.reject(item.findings, ExitCode.INVALID)


def _land(
    clone: TrunkClone,
    loaded: list[LoadedRequest],
    report: SubmitReport,
    settings: SubmitSettings,
    existed: dict[str, bool],
) -> None:
    def commit_round(retry: bool) -> bool:
        return _commit_batch(clone, loaded, report, settings, existed, retry)

    report.attempts, report.diff = land(
        clone, settings.trunk, settings.branch, settings.max_attempts, settings.dry_run, commit_round
    )


def land(
    clone: TrunkClone, trunk: str, branch: str, max_attempts: int, dry_run: bool, commit_round: Callable[[bool], bool]
) -> tuple[int, str]:
    """Commit on the newest tip and push; on rejection refresh, redo the commits and retry with jittered
    backoff. Returns (attempts, diff of a dry run). Raises ``TrunkError`` when the race is never won."""
    for attempt in range(max_attempts):
        base = clone.tip()
        committed = commit_round(attempt > 0)
        if dry_run:
            diff = str(clone.repo.git.execute(["git", "diff", "--stat", "-p", base, "HEAD"])) if committed else ""
            return attempt + 1, diff
        if not committed or clone.push() is PushResult.PUSHED:
            return attempt + 1, ""
        sleep(jittered_backoff(attempt))
        clone.refresh()
    raise TrunkError(
        f"push to {trunk} still rejected after {max_attempts} attempts",
        [
            Finding(
                trunk,
                "",
                f"branch {branch!r} kept moving or refusing pushes for {max_attempts} "
                "attempts; nothing was pushed, run again later",
            )
        ],
    )


def _commit_batch(
    clone: TrunkClone,
    loaded: list[LoadedRequest],
    report: SubmitReport,
    settings: SubmitSettings,
    existed: dict[str, bool],
    retry: bool,
) -> bool:
    """Re-validate against the current tip and commit each still-valid request; True if anything committed."""
    config = load_config(clone.root)
    state = read_state(clone.root, config)
    owners = load_codeowners(clone.root)
    ledger = Ledger.of(config, state)
    pending = [(i, o) for i, o in zip(loaded, report.outcomes, strict=True) if o.status != "rejected"]
    checked = validate_batch([item for item, _ in pending], settings.interface_version, config, state)
    planned: list[tuple[Outcome, PlannedCommit]] = []
    rendered: dict[str, str] = {}
    for (item, outcome), check in zip(pending, checked, strict=True):
        request = item.request
        assert request is not None or check.findings
        if not check.valid or request is None:
            outcome.reject(check.findings, ExitCode.INVALID)
            continue
        current = state.find(request.name)
        taken = retry and not existed.get(request.name) and current is not None
        if taken and current and not _same_as_trunk(clone.root, request, config, settings, current.deletion):
            outcome.reject(
                [
                    Finding(
                        item.source,
                        "name",
                        f"{request.name!r} was just created in the trunk by another request; choose another name",
                    )
                ],
                ExitCode.INVALID,
            )
            continue
        commit = _plan_one(clone, request, outcome, ledger, owners, settings, report.azure_checks, rendered)
        if commit is not None:
            planned.append((outcome, commit))
    if not retry:
        _require_canonical_terraform(rendered)
    shas = clone.commit_series([commit for _, commit in planned])
    for (outcome, _), sha in zip(planned, shas, strict=True):
        outcome.status, outcome.commit = ("planned", None) if settings.dry_run else ("committed", sha)
    return bool(planned)


def _require_canonical_terraform(files: dict[str, str]) -> None:
    """Where terraform is installed, every rendered ``.tf`` must be what ``terraform fmt`` writes (one run)."""
    problems = terraform_fmt_problems(files)
    if problems:
        raise RenderBugError("rendered Terraform is not canonical", [Finding(p, "", m) for p, m in problems])


def _same_as_trunk(
    root: Path, request: Request, config: TrunkConfig, settings: SubmitSettings, deletion: str | None
) -> bool:
    rendered = render_subscription(request, config, settings.interface_version, deletion)
    return not changed_paths(root, rendered.files)


def _plan_one(
    clone: TrunkClone,
    request: Request,
    outcome: Outcome,
    ledger: Ledger,
    owners: CodeOwnersFile | None,
    settings: SubmitSettings,
    azure_checks: str,
    all_rendered: dict[str, str],
) -> PlannedCommit | None:
    """Render one request onto the working tree and plan its commit; None when it changes nothing or may
    not (the outcome says which)."""
    config = ledger.config
    env = config.environments[request.environment]
    existing = ledger.state().find(request.name)
    deletion = existing.deletion if existing else initial_deletion(request, config)
    rendered = render_subscription(request, config, settings.interface_version, deletion)
    check_rendered(rendered, request.normalized(env.workload))
    all_rendered.update(rendered.files)
    snapshot = dict(ledger.indexes)
    ledger.put(_entry(request, env.workload, deletion))
    files: dict[str, str | None] = {
        **rendered.files,
        **ledger.environment_files(request.environment, settings.interface_version),
    }
    paths = changed_paths(clone.root, files)
    if not paths:
        outcome.status, outcome.exit_code, outcome.commit, outcome.findings = "unchanged", ExitCode.OK, None, []
        return None
    verdict = scope_verdict(outcome.source, owners, settings.identity, paths)
    if not verdict.allowed:
        outcome.reject(verdict.findings, ExitCode.SCOPE)
        ledger.indexes = snapshot
        return None
    changes = {path: files[path] for path in paths}
    write_tree(clone.root, changes)
    outcome.action = "update" if existing else "create"
    outcome.exit_code, outcome.findings = ExitCode.OK, []
    change = subscription_change(request, outcome.action, settings, azure_checks)
    author = settings.author or Person(request.requested_by.split("@")[0], request.requested_by)
    return PlannedCommit(changes, change.message(), author, settings.committer)


def _entry(request: Request, default_workload: str, deletion: str) -> Entry:
    return Entry(
        name=request.name,
        environment=request.environment,
        workload=request.workload or default_workload,
        billing_scope=request.billing_scope,
        subscription_id=request.subscription_id,
        address_space=tuple(request.network.address_space) if request.network else (),
        deletion=deletion,
    )


def subscription_change(request: Request, action: str, settings: SubmitSettings, azure_checks: str) -> Change:
    verb = {"create": "Vend", "update": "Update"}[action]
    trailers = {
        "Vending-Request": request.name,
        "Vending-Interface": settings.interface_version,
        "Requested-By": request.requested_by,
        "Vending-Identity": settings.identity,
        "Azure-Checks": azure_checks,
    }
    if request.ticket:
        trailers["Ticket"] = request.ticket
    body = f"{verb} subscription {request.name!r} ({request.display_name}) in environment {request.environment}."
    return Change(f"{verb} {request.name} in {request.environment}", trailers, body)

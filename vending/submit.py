"""Submit as stages: load → validate against the trunk → check Azure → plan (render, self-check, scope: pure)
→ write and commit → push. Each stage returns new frozen outcomes, joined by their key (the place in the
batch); the landing loop owns only git and re-plans on the newest tip when a push loses a race."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vending.codeowners import CodeOwnersFile
from vending.errors import ExitCode, Finding, TrunkError
from vending.render.pool import map_jobs, process_pool, stream_jobs, worker_count
from vending.render.selfcheck import CheckedRender, FormatCheck, require_proven
from vending.render.subscription import RenderedSubscription, initial_deletion, render_subscription
from vending.request.load import LoadedRequest, load_request
from vending.request.model import Request
from vending.trunk.approvals import Approval
from vending.trunk.config import TrunkConfig, load_config
from vending.trunk.landing import Round, focus_on, land
from vending.trunk.layout import RENDER_HASH_ANNOTATION
from vending.trunk.ledger import TreeView, approval_changes, layout_changes, read_approval
from vending.trunk.messages import Action, Subject, subscription_change
from vending.trunk.outcomes import Outcome, Status, exit_code_of, merged, trunk_failed
from vending.trunk.repository import Person, PlannedCommit, TrunkClone
from vending.trunk.scope import load_codeowners, scope_verdict
from vending.trunk.state import Entry, TrunkState, read_state
from vending.trunk.workdir import private_clone
from vending.validate import validate_batch

if TYPE_CHECKING:
    from vending.azure.run import AzureRunner

PARALLEL_THRESHOLD = 64
"""Batches at least this large render and self-check in a process per core."""

__all__ = ["Outcome", "Status", "SubmitReport", "SubmitSettings", "submit"]


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
    expect_diff: str | None = None

    @property
    def settled(self) -> Status:
        """The status of a request whose commit was made: pushed, or only planned by a dry run."""
        return Status.PLANNED if self.dry_run else Status.COMMITTED


@dataclass(frozen=True)
class SubmitReport:
    outcomes: tuple[Outcome, ...]
    azure_checks: str
    attempts: int = 0
    diff: str = ""

    @property
    def exit_code(self) -> ExitCode:
        return exit_code_of(self.outcomes)


@dataclass(frozen=True)
class Trunk:
    """The trunk as one round reads it at its tip."""

    root: Path
    config: TrunkConfig
    state: TrunkState
    owners: CodeOwnersFile | None = None

    @classmethod
    def read(cls, root: Path) -> Trunk:
        config = load_config(root)
        return cls(root, config, read_state(root, config), load_codeowners(root))


@dataclass(frozen=True)
class Plan:
    """One request's new outcome and planned commit (None when it changes nothing or may not), and the render
    it was made from."""

    outcome: Outcome
    rendered: RenderedSubscription
    commit: PlannedCommit | None = None


def submit(paths: Sequence[Path], settings: SubmitSettings, azure: AzureRunner | None) -> SubmitReport:
    """Land every valid request as its own commit on the trunk; report each request's outcome."""
    loaded = _loaded(paths)
    outcomes = tuple(_outcome(key, item) for key, item in enumerate(loaded))
    azure_checks = "passed" if azure else "skipped"
    requests = [item.request for item in loaded if item.request is not None]
    try:
        with private_clone(settings.trunk, settings.branch, settings.workdir) as clone:
            first = _focused(clone, requests)
            outcomes = validated(loaded, outcomes, first, settings.interface_version)
            outcomes = azure_checked(loaded, outcomes, first.state, azure)
            existed = frozenset(r.name for r in requests if first.state.find(r.name) is not None)

            def commit_round(current: tuple[Outcome, ...], attempt: int) -> Round[tuple[Outcome, ...]]:
                return _commit_round(clone, loaded, current, settings, existed, azure_checks, attempt)

            landing = land(clone, outcomes, commit_round, max_attempts=settings.max_attempts, dry_run=settings.dry_run)
    except TrunkError as exc:
        return SubmitReport(trunk_failed(outcomes, exc, settings.trunk), azure_checks, attempts=1)  # the first failed
    final = landing.value
    if landing.failure is not None:
        final = trunk_failed(final, landing.failure, settings.trunk)
    return SubmitReport(final, azure_checks, landing.attempts, landing.diff)


def _loaded(paths: Sequence[Path]) -> tuple[LoadedRequest, ...]:
    """Every request file loaded and checked against the schema, in a process per core for a large batch."""
    workers = worker_count(None)
    with process_pool(len(paths), workers=workers, threshold=PARALLEL_THRESHOLD) as pool:
        return tuple(map_jobs(pool, load_request, list(paths), chunks=4 * workers))


def _focused(clone: TrunkClone, requests: Sequence[Request]) -> Trunk:
    """Check out what the requests read and write, and read the trunk: the requests' names and networks, then
    the networks the trunk records for those names (an update moves a range out of its old block)."""
    names = [request.name for request in requests]
    wanted = {cidr for request in requests if request.network for cidr in request.network.address_space}
    focus_on(clone, names, sorted(wanted))
    trunk = Trunk.read(clone.root)
    recorded = {cidr for name in names if (entry := trunk.state.find(name)) for cidr in entry.address_space}
    if recorded - wanted:
        focus_on(clone, names, sorted(wanted | recorded))
    return trunk


def _outcome(key: int, item: LoadedRequest) -> Outcome:
    request = item.request
    return Outcome(
        key,
        item.source,
        request.name if request else _raw(item, "name"),
        request.environment if request else _raw(item, "environment"),
    )


def _raw(item: LoadedRequest, key: str) -> str | None:
    value = item.document.data.get(key) if item.document else None
    return value if isinstance(value, str) else None


def validated(
    loaded: Sequence[LoadedRequest], outcomes: Sequence[Outcome], trunk: Trunk, interface_version: str
) -> tuple[Outcome, ...]:
    """Stage: every open outcome whose request breaks a rule of the interface, policy or trunk, rejected."""
    open_ = [o for o in outcomes if o.open]
    checked = validate_batch([loaded[o.key] for o in open_], interface_version, trunk.config, trunk.state)
    return merged(
        outcomes,
        (o.rejected(c.findings, ExitCode.INVALID) for o, c in zip(open_, checked, strict=True) if not c.valid),
    )


def as_reviewed(
    loaded: Sequence[LoadedRequest], outcomes: Sequence[Outcome], trunk: Trunk, settings: SubmitSettings
) -> tuple[Outcome, ...]:
    """Stage (``--expect-diff``): every open outcome rejected when the batch no longer renders as reviewed."""
    from vending.fleet.diffhash import review_problem

    read, version = TreeView(trunk.root).read, settings.interface_version
    problem = review_problem(settings.expect_diff, loaded, read, trunk.config, version)
    if problem is None:
        return tuple(outcomes)
    stale = (o.rejected([Finding(o.source, "--expect-diff", problem)], ExitCode.INVALID) for o in outcomes if o.open)
    return merged(outcomes, stale)


def azure_checked(
    loaded: Sequence[LoadedRequest], outcomes: Sequence[Outcome], state: TrunkState, azure: AzureRunner | None
) -> tuple[Outcome, ...]:
    """Stage: every open outcome whose request Azure refuses, rejected (one run of the checks for all)."""
    valid = [(o, request) for o in outcomes if o.open and (request := loaded[o.key].request) is not None]
    if azure is None:
        return tuple(outcomes)
    in_trunk = [request.name for _, request in valid if state.find(request.name) is not None]
    environments = state.config.environments
    resolved = [
        r.resolved(environments[r.environment].workload) if r.environment in environments else r for _, r in valid
    ]
    found = azure([(o.source, request) for (o, _), request in zip(valid, resolved, strict=True)], in_trunk)
    refused = (o.rejected(f, ExitCode.AZURE) for (o, _), f in zip(valid, found, strict=True) if f)
    return merged(outcomes, refused)


def _commit_round(
    clone: TrunkClone,
    loaded: Sequence[LoadedRequest],
    outcomes: tuple[Outcome, ...],
    settings: SubmitSettings,
    existed: frozenset[str],
    azure_checks: str,
    attempt: int,
) -> Round[tuple[Outcome, ...]]:
    """Re-validate against the current tip, plan each still-valid request, and commit the plans."""
    requests = [request for item in loaded if (request := item.request) is not None]
    trunk = _focused(clone, requests) if attempt else Trunk.read(clone.root)
    outcomes = validated(loaded, outcomes, trunk, settings.interface_version)
    outcomes = as_reviewed(loaded, outcomes, trunk, settings)
    items = [(o, request) for o in outcomes if o.open and (request := loaded[o.key].request) is not None]
    if attempt > 0:
        items, taken = _not_taken(items, trunk, settings, existed)
        outcomes = merged(outcomes, taken)
    settled: list[tuple[Outcome, bool]] = []

    def planned(fmt: FormatCheck) -> Iterator[PlannedCommit]:
        """Each commit as soon as it is planned: only the outcomes stay behind (the .tf files go to disk)."""
        for plan in plan_batch(items, trunk, settings, azure_checks):
            settled.append((plan.outcome, plan.commit is not None))
            for path, text in plan.rendered.files.items():
                fmt.add(path, text)
            if plan.commit is not None:
                yield plan.commit
        fmt.require_canonical()

    with FormatCheck(enabled=attempt == 0) as fmt:
        shas = iter(clone.commit_series(planned(fmt)))
    decided = [o.decided(settings.settled, _sha(next(shas), settings)) if c else o for o, c in settled]
    return Round(merged(outcomes, decided), committed=any(c for _, c in settled))


def _sha(sha: str, settings: SubmitSettings) -> str | None:
    return None if settings.dry_run else sha


def _not_taken(
    items: list[tuple[Outcome, Request]], trunk: Trunk, settings: SubmitSettings, existed: frozenset[str]
) -> tuple[list[tuple[Outcome, Request]], list[Outcome]]:
    """On a retry: a name another run created meanwhile is taken, unless it holds exactly this request."""
    kept, taken = [], []
    for outcome, request in items:
        current = trunk.state.find(request.name)
        if request.name in existed or current is None or _same_as_trunk(trunk, request, settings, current.deletion):
            kept.append((outcome, request))
            continue
        message = f"{request.name!r} was just created in the trunk by another request; choose another name"
        taken.append(outcome.rejected([Finding(outcome.source, "name", message)], ExitCode.INVALID))
    return kept, taken


def _same_as_trunk(trunk: Trunk, request: Request, settings: SubmitSettings, deletion: str) -> bool:
    rendered = render_subscription(request, trunk.config, settings.interface_version, deletion)
    return not TreeView(trunk.root).changed_paths(rendered.files)


def plan_batch(
    items: Sequence[tuple[Outcome, Request]], trunk: Trunk, settings: SubmitSettings, azure_checks: str
) -> Iterator[Plan]:
    """Stage (pure): plan each request in turn on the trunk as the plans before it leave it, yielding each
    plan as it is made (a caller that keeps none holds one plan at a time). Renders and their self-checks
    run in a process per core for a large batch, a bounded window ahead of the planning."""
    view = start = TreeView(trunk.root)
    config = trunk.config
    before = [view.state(config).find(request.name) for _, request in items]
    jobs = (
        (request, _deletion(request, config, old), _approval(start, config, request, old))
        for (_, request), old in zip(items, before, strict=True)
    )
    with process_pool(len(items), workers=worker_count(None), threshold=PARALLEL_THRESHOLD) as pool:
        renders = stream_jobs(pool, CheckedRender(config, settings.interface_version), jobs, chunk=16, window=8)
        for (outcome, request), existing, (rendered, problems) in zip(items, before, renders, strict=True):
            require_proven(rendered, problems)
            plan = plan_request(
                request, outcome, rendered, existing, config, view, trunk.owners, settings, azure_checks
            )
            if plan.commit is not None:
                view = view.with_planned(_shared(plan.commit.files, rendered.directory))
            yield plan


def _approval(view: TreeView, config: TrunkConfig, request: Request, existing: Entry | None) -> Approval | None:
    """The approval the subscription carries in the trunk (checked against the new render when it is made)."""
    return read_approval(view, config, request.environment, request.name) if existing else None


def _deletion(request: Request, config: TrunkConfig, existing: Entry | None) -> str:
    """The deletion policy recorded when the subscription was vended, or the one it is vended with."""
    return existing.deletion if existing else initial_deletion(request, config)


def _shared(files: Mapping[str, str | None], directory: str) -> dict[str, str | None]:
    """The files of a change that later requests of the batch read: shards and network blocks. A request's
    own folder is read by no other (a batch names each subscription once), so the view need not hold it."""
    return {path: text for path, text in files.items() if not path.startswith(f"{directory}/")}


def plan_request(
    request: Request,
    outcome: Outcome,
    rendered: RenderedSubscription,
    existing: Entry | None,
    config: TrunkConfig,
    view: TreeView,
    owners: CodeOwnersFile | None,
    settings: SubmitSettings,
    azure_checks: str,
) -> Plan:
    """Plan the commit of one request's proven render, if it changes anything and may."""
    workload = config.environments[request.environment].workload
    entry = Entry.from_request(request, default_workload=workload, deletion=_deletion(request, config, existing))
    layout = layout_changes(view, config, existing, entry, settings.interface_version)
    files: dict[str, str | None] = {**rendered.files, **layout, **approval_changes(view, rendered)}
    paths = view.changed_paths(files)
    if not paths:
        return Plan(outcome.decided(Status.UNCHANGED), rendered)
    verdict = scope_verdict(outcome.source, owners, settings.identity, paths)
    if not verdict.allowed:
        return Plan(outcome.rejected(verdict.findings, ExitCode.SCOPE), rendered)
    action = Action.UPDATE if existing else Action.CREATE
    message = _message(request, action, settings, azure_checks, rendered.flux_object["metadata"]["annotations"])
    commit = PlannedCommit(
        {path: files[path] for path in paths}, message, _author(request, settings), settings.committer
    )
    return Plan(outcome.decided(Status.PENDING), rendered, commit)


def _message(
    request: Request, action: Action, settings: SubmitSettings, azure_checks: str, annotations: dict[str, str]
) -> str:
    subject = Subject(
        request.name, request.environment, request.requested_by, settings.identity, settings.interface_version
    )
    digest = annotations.get(RENDER_HASH_ANNOTATION)
    change = subscription_change(subject, action, request.display_name, azure_checks, request.ticket, digest)
    return change.message()


def _author(request: Request, settings: SubmitSettings) -> Person:
    """The commit's author: as configured (``--author`` or the CI host), else the request's requester."""
    return settings.author or Person(request.requested_by.split("@")[0], request.requested_by)

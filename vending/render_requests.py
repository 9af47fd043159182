"""Rendering many requests at once: validate against the trunk, render with self-checks, and write nothing
unless everything is right. Large batches use a process per core for loading, rendering and writing."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vending.errors import ExitCode, Finding, RenderBugError
from vending.render.pool import map_jobs, process_pool, worker_count
from vending.render.selfcheck import check_rendered, terraform_fmt_problems
from vending.render.subscription import RenderedSubscription, initial_deletion, render_subscription
from vending.request.load import LoadedRequest, load_request
from vending.request.model import Request
from vending.trunk.config import TrunkConfig, load_config
from vending.trunk.files import safe_relative, write_tree
from vending.trunk.ledger import TreeView, layout_changes
from vending.trunk.state import Entry, read_state
from vending.validate import validate_batch

PARALLEL_THRESHOLD = 200
Job = tuple[Request, str]


@dataclass
class RenderResult:
    checked_sources: list[str]
    findings: list[Finding] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.INVALID if self.findings else ExitCode.OK

    def as_json(self) -> list[dict[str, object]]:
        by_file: dict[str, list[Finding]] = {}
        for finding in self.findings:
            by_file.setdefault(finding.file, []).append(finding)
        return [
            {
                "file": source,
                "name": self.names.get(source),
                "valid": source not in by_file,
                "errors": [{"field": f.field, "message": f.message, "line": f.line} for f in by_file.get(source, [])],
            }
            for source in self.checked_sources
        ]


def render_requests(
    paths: Sequence[Path], trunk_root: Path, out_dir: Path, interface_version: str, workers: int | None = None
) -> RenderResult:
    """Validate against the trunk and render; write into ``out_dir`` only when every request is valid."""
    with process_pool(len(paths), workers=worker_count(workers), threshold=PARALLEL_THRESHOLD) as pool:
        loaded: list[LoadedRequest] = map_jobs(pool, load_request, list(paths), chunks=_chunks())
        config = load_config(trunk_root)
        state = read_state(trunk_root, config)
        checked = validate_batch(loaded, interface_version, config, state)
        result = RenderResult(
            [item.source for item in loaded],
            names={i.source: name for i in loaded if (name := _name_of(i)) is not None},
        )
        result.findings = [finding for item in checked for finding in item.findings]
        if result.findings:
            return result
        view = TreeView(trunk_root)
        jobs: list[Job] = []
        for item in checked:
            request = item.loaded.request
            assert request is not None
            existing = state.find(request.name)
            deletion = existing.deletion if existing else initial_deletion(request, config)
            jobs.append((request, deletion))
            workload = config.environments[request.environment].workload
            entry = Entry.from_request(request, default_workload=workload, deletion=deletion)
            view = view.with_planned(layout_changes(view, config, existing, entry, interface_version))
        created = not out_dir.exists()
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".vending-render-", dir=out_dir))
        moved = False
        try:
            written = map_jobs(pool, _StageJob(config, interface_version, staging), jobs, chunks=_chunks())
            shared = {path: text for path, text in view.planned.items() if text is not None}
            write_tree(staging, shared)
            _require_canonical(staging)
            result.written = sorted({*(p for paths_ in written for p in paths_), *shared})
            _move_into_place(staging, out_dir, result.written)
            moved = True
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if created and not moved:
                shutil.rmtree(out_dir, ignore_errors=True)
    return result


class _StageJob:
    """Render one request with its self-checks and write its files into the staging directory."""

    def __init__(self, config: TrunkConfig, interface_version: str, staging: Path) -> None:
        self.config, self.version, self.staging = config, interface_version, staging

    def __call__(self, job: Job) -> list[str]:
        rendered = render_checked(job, self.config, self.version)
        write_tree(self.staging, rendered.files)
        return list(rendered.files)


def _chunks() -> int:
    """Four pieces of work per core: small enough to balance, large enough to cost little."""
    return 4 * (os.cpu_count() or 1)


def _require_canonical(staging: Path) -> None:
    problems = terraform_fmt_problems({}, directory=staging)
    if problems:
        raise RenderBugError("rendered Terraform is not canonical", [Finding(p, "", m) for p, m in problems])


def _move_into_place(staging: Path, out_dir: Path, paths: Sequence[str]) -> None:
    for rel in paths:
        target = out_dir.joinpath(*safe_relative(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.joinpath(rel).replace(target)


def _name_of(item: LoadedRequest) -> str | None:
    """The request's name, also when the request is invalid but its file names one."""
    if item.request is not None:
        return item.request.name
    value = item.document.data.get("name") if item.document is not None else None
    return value if isinstance(value, str) else None


def render_checked(job: Job, config: TrunkConfig, interface_version: str) -> RenderedSubscription:
    """Render one request and prove it reads back as meant."""
    request, deletion = job
    rendered = render_subscription(request, config, interface_version, deletion)
    check_rendered(rendered, request.normalized(config.environments[request.environment].workload))
    return rendered

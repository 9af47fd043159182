"""Rendering many requests at once: validate against the trunk, render with self-checks, write nothing
unless everything is right."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from vending.changes import Ledger
from vending.config import TrunkConfig
from vending.errors import ExitCode, Finding, RenderBugError
from vending.files import write_tree
from vending.loading import load_config, load_request
from vending.render.selfcheck import check_rendered, terraform_fmt_problems
from vending.render.subscription import RenderedSubscription, render_subscription
from vending.request import Request
from vending.trunkstate import Entry, read_state
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
        return [{"file": source, "name": self.names.get(source), "valid": source not in by_file,
                 "errors": [{"field": f.field, "message": f.message, "line": f.line}
                            for f in by_file.get(source, [])]} for source in self.checked_sources]


def render_requests(paths: Sequence[Path], trunk_root: Path, out_dir: Path, interface_version: str,
                    workers: int | None = None) -> RenderResult:
    """Validate against the trunk and render; write into ``out_dir`` only when every request is valid."""
    loaded = [load_request(path) for path in paths]
    config = load_config(trunk_root)
    state = read_state(trunk_root, config)
    checked = validate_batch(loaded, interface_version, config, state)
    result = RenderResult([item.source for item in loaded],
                          names={i.source: i.request.name for i in loaded if i.request is not None})
    result.findings = [finding for item in checked for finding in item.findings]
    if result.findings:
        return result
    ledger = Ledger.of(config, state)
    jobs: list[Job] = []
    for item in checked:
        request = item.loaded.request
        assert request is not None
        existing = state.find(request.name)
        deletion = existing.deletion if existing else config.environments[request.environment].deletion
        jobs.append((request, deletion))
        ledger.put(_entry(request, config, deletion))
    rendered = render_all(jobs, config, interface_version, workers)
    files: dict[str, str | None] = {path: text for r in rendered for path, text in r.files.items()}
    for environment in sorted({request.environment for request, _ in jobs}):
        files.update(ledger.environment_files(environment, interface_version))
    fmt = terraform_fmt_problems({p: t for p, t in files.items() if t is not None})
    if fmt:
        raise RenderBugError("rendered Terraform is not canonical", [Finding(p, "", m) for p, m in fmt])
    write_tree(out_dir, files)
    result.written = sorted(files)
    return result


def _entry(request: Request, config: TrunkConfig, deletion: str) -> Entry:
    env = config.environments[request.environment]
    return Entry(request.name, request.environment, request.workload or env.workload, request.billing_scope,
                 request.subscription_id, tuple(request.network.address_space) if request.network else (),
                 deletion)


def render_checked(job: Job, config: TrunkConfig, interface_version: str) -> RenderedSubscription:
    """Render one request and prove it reads back as meant."""
    request, deletion = job
    rendered = render_subscription(request, config, interface_version, deletion)
    check_rendered(rendered, request.normalized(config.environments[request.environment].workload))
    return rendered


def _render_chunk(args: tuple[list[Job], TrunkConfig, str]) -> list[RenderedSubscription]:
    jobs, config, version = args
    return [render_checked(job, config, version) for job in jobs]


def render_all(jobs: list[Job], config: TrunkConfig, interface_version: str,
               workers: int | None = None) -> list[RenderedSubscription]:
    """Render every job, across processes when the batch is large enough to pay for them."""
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        return [render_checked(job, config, interface_version) for job in jobs]
    chunks = [jobs[i::count] for i in range(count)]
    with ProcessPoolExecutor(max_workers=count) as pool:
        parts = list(pool.map(_render_chunk, [(chunk, config, interface_version) for chunk in chunks]))
    by_name = {r.name: r for part in parts for r in part}
    return [by_name[request.name] for request, _ in jobs]

"""The demo: a local trunk and a local ARM emulator, the example requests vended end to end."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from vending.check import check_trunk
from vending.errors import Finding
from vending.render.trunkfiles import trunk_files
from vending.submit import SubmitReport, SubmitSettings, submit
from vending.trunk.messages import initial_change
from vending.trunk.repository import Person, history_with_trailers, init_repository, publish_bare

if TYPE_CHECKING:
    from vending.azure.run import AzureRunner

ORG = "contoso"
DEV_IDENTITY = "@contoso/platform-dev"
PROD_IDENTITY = "@contoso/platform-prod"
VENDING = Person("vending", "vending@users.noreply.github.com")


@dataclass(frozen=True)
class DemoRun:
    """Everything the demo did, for the caller to show."""

    root: Path
    requests: tuple[Path, ...] = ()
    reports: tuple[tuple[str, SubmitReport], ...] = ()
    log: str = ""
    tree: tuple[str, ...] = ()
    flux_object: str = ""
    check_findings: tuple[Finding, ...] = ()


def demo_requests(target: Path) -> list[Path]:
    """Copy the packaged example requests into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    source = resources.files("vending").joinpath("data/demo")
    paths = []
    for entry in sorted(source.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            path = target / entry.name
            path.write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
            paths.append(path)
    return paths


def make_trunk(root: Path, version: str) -> str:
    """A new trunk and a bare remote beside it; returns the remote's path."""
    work = root / "trunk-work"
    init_repository(work, trunk_files(ORG), initial_change(ORG, version).message(), VENDING)
    remote = root / "trunk.git"
    publish_bare(work, remote)
    shutil.rmtree(work)
    return str(remote)


def run_demo(
    root: Path,
    azure: Callable[[str, str], AzureRunner],
    version: str,
    step: Callable[[str], None] = lambda _: None,
) -> DemoRun:
    """Vend the example requests into a fresh trunk, checking each against the emulator first."""
    step("creating a trunk and its bare remote")
    remote = make_trunk(root, version)
    requests = demo_requests(root / "requests")
    reports = []
    for identity, env in ((DEV_IDENTITY, "dev"), (PROD_IDENTITY, "prod")):
        paths = [p for p in requests if f"environment: {env}\n" in p.read_text(encoding="utf-8")]
        step(f"submitting {len(paths)} {env} request(s) as {identity}")
        settings = SubmitSettings(
            trunk=remote,
            identity=identity,
            committer=Person(identity, VENDING.email),
            interface_version=version,
            author=Person("Demo User", "demo@contoso.com"),
        )
        reports.append((env, submit(paths, settings, azure(remote, env))))
    step("reading back the trunk")
    clone = root / "trunk-clone"
    log = history_with_trailers(remote, clone)
    tree = sorted(str(p.relative_to(clone)) for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts)
    flux = clone / "subscriptions" / "prod" / "payments-prod" / "terraform.yaml"
    step("running vending check on the trunk")
    return DemoRun(
        root,
        tuple(requests),
        tuple(reports),
        log,
        tuple(tree),
        flux.read_text(encoding="utf-8") if flux.is_file() else "",
        tuple(check_trunk(clone, version)),
    )


def demo_root(keep: Path | None) -> Path:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=False)
        return keep
    return Path(tempfile.mkdtemp(prefix="vending-demo-"))

"""The demo: a local trunk and a local ARM emulator, the example requests vended end to end."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from vending.check import check_trunk
from vending.errors import Finding
from vending.submit import SubmitReport, SubmitSettings, submit
from vending.trunk.reading import commit_identity, init_repository
from vending.trunk.repository import Person

ORG = "contoso"
DEV_IDENTITY = "@contoso/platform-dev"
PROD_IDENTITY = "@contoso/platform-prod"


@dataclass
class DemoRun:
    """Everything the demo did, for the caller to show."""

    root: Path
    endpoint: str = ""
    requests: list[Path] = field(default_factory=list)
    reports: list[tuple[str, SubmitReport]] = field(default_factory=list)
    log: str = ""
    tree: list[str] = field(default_factory=list)
    flux_object: str = ""
    check_findings: list[Finding] = field(default_factory=list)


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


def make_trunk(root: Path) -> str:
    """A new trunk and a bare remote beside it; returns the remote's path."""
    from vending.render.trunkfiles import trunk_files

    work = root / "trunk-work"
    init_repository(
        work,
        trunk_files(ORG),
        f"Initialize subscription trunk for {ORG}\n",
        commit_identity("vending", "vending@users.noreply.github.com"),
    )
    remote = root / "trunk.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(work), str(remote)], check=True)
    shutil.rmtree(work)
    return str(remote)


def run_demo(
    root: Path, azure: Callable[[str, str], object], version: str, step: Callable[[str], None] = lambda _: None
) -> DemoRun:
    """Vend the example requests into a fresh trunk, checking each against the emulator first."""
    run = DemoRun(root)
    step("creating a trunk and its bare remote")
    remote = make_trunk(root)
    run.requests = demo_requests(root / "requests")
    for identity, env in ((DEV_IDENTITY, "dev"), (PROD_IDENTITY, "prod")):
        paths = [p for p in run.requests if f"environment: {env}\n" in p.read_text(encoding="utf-8")]
        step(f"submitting {len(paths)} {env} request(s) as {identity}")
        settings = SubmitSettings(
            trunk=remote,
            identity=identity,
            committer=Person(identity, "vending@users.noreply.github.com"),
            interface_version=version,
            author=Person("Demo User", "demo@contoso.com"),
        )
        run.reports.append((env, submit(paths, settings, azure(remote, env))))  # type: ignore[arg-type]
    step("reading back the trunk")
    clone = root / "trunk-clone"
    subprocess.run(["git", "clone", "--quiet", remote, str(clone)], check=True)
    run.log = subprocess.run(
        ["git", "-C", str(clone), "log", "--format=%h %s%n%(trailers:only,unfold)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    run.tree = sorted(str(p.relative_to(clone)) for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts)
    flux = clone / "subscriptions" / "prod" / "payments-prod" / "terraform.yaml"
    run.flux_object = flux.read_text(encoding="utf-8") if flux.is_file() else ""
    step("running vending check on the trunk")
    run.check_findings = check_trunk(clone, version)
    return run


def demo_root(keep: Path | None) -> Path:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=False)
        return keep
    return Path(tempfile.mkdtemp(prefix="vending-demo-"))

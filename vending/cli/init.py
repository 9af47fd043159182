"""``vending init``: a new trunk with its config, CODEOWNERS, Flux skeleton and one commit on main."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode, Finding, InputError

if TYPE_CHECKING:
    from vending.trunk.config import Flux

ORG_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$")


def _check_target(directory: Path) -> tuple[str, ...] | None:
    """Refuse a file or a folder with content; the remotes when ``directory`` is a fresh clone of an empty
    repository (which then gets the first commit)."""
    from vending.trunk.repository import empty_clone_remotes

    if directory.exists() and not directory.is_dir():
        raise InputError("target is not a directory", [Finding(str(directory), "", "exists and is not a directory")])
    remotes = empty_clone_remotes(directory)
    if remotes is None and directory.is_dir() and any(directory.iterdir()):
        raise InputError(
            "target is not empty",
            [
                Finding(
                    str(directory),
                    "",
                    "directory is not empty; 'vending init' creates a new trunk in a new or empty directory "
                    "or a fresh clone of an empty repository",
                )
            ],
        )
    return remotes


URL_OPTIONS = {"trunk_url": "--trunk-url", "module_url": "--module-url", "trunk_secret": "--trunk-secret"}
URL_RE = re.compile(r"^(https://|ssh://|git@)[^\s\"'\\]+$")
SECRET_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def _sources(org: str, trunk_url: str | None, module_url: str | None, trunk_secret: str) -> dict[str, str | None]:
    """The source options, checked here so that a bad one names its option (every problem at once)."""
    findings = [
        Finding(URL_OPTIONS[key], "", f"{value!r} is not a git URL (https://..., ssh://... or git@host:path)")
        for key, value in (("trunk_url", trunk_url), ("module_url", module_url))
        if value is not None and not URL_RE.fullmatch(value)
    ]
    if trunk_secret and not SECRET_RE.fullmatch(trunk_secret):
        message = f"{trunk_secret!r} is not a Kubernetes Secret name (lowercase letters, digits, '-')"
        findings.append(Finding("--trunk-secret", "", message))
    if findings:
        raise InputError("invalid source options", findings)
    return {"trunk_url": trunk_url, "module_url": module_url, "trunk_secret": trunk_secret or None}


def next_steps(directory: Path, remotes: tuple[str, ...] | None, flux: Flux | None = None) -> list[str]:
    """What a platform team does next, as commands to type."""
    where = shlex.quote(str(directory))
    push = (
        f"git -C {where} push -u {remotes[0]} main"
        if remotes
        else f"git -C {where} remote add origin <URL> && git -C {where} push -u origin main"
    )
    steps = [
        f"review {directory / 'vending.yaml'}: environments, their owners and the module source",
        f"publish the trunk: {push}",
    ]
    if flux is not None:
        steps += _flux_steps(flux)
    return [
        *steps,
        f"check a request against it: vending validate REQUEST.yaml --trunk {where}",
        "vend it: vending submit REQUEST.yaml --trunk <URL> --as <IDENTITY> (see docs/submit.md)",
    ]


def _flux_steps(flux: Flux) -> list[str]:
    """Connect the cluster: the trunk's credentials, then the one line that includes vending's objects."""
    steps = []
    secret = flux.trunk_secret_name()
    if secret:
        ssh = flux.trunk_url.startswith(("ssh://", "git@"))
        auth = "--private-key-file=<KEY FILE>" if ssh else "--username=git --password=<READ-ONLY TOKEN>"
        steps.append(
            f"give Flux read access to the trunk: flux create secret git {secret} --namespace={flux.namespace} "
            f"--url={flux.trunk_url} {auth}"
        )
    steps.append(
        f"include vending's objects in the cluster: add '- vending' to the resources of clusters/{flux.cluster}/"
        "kustomization.yaml in your Flux bootstrap repository (none needed when that folder has no kustomization.yaml)"
    )
    return steps


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--org", default="example", show_default=True, help="GitHub organization that owns the teams.")
@click.option(
    "--trunk-url", metavar="URL", help="Where Flux reads the trunk (default: https://github.com/ORG/subscriptions)."
)
@click.option("--module-url", metavar="URL", help="The module repository (default: https://github.com/ORG/vending).")
@click.option(
    "--trunk-secret",
    default="vending-trunk-auth",
    show_default=True,
    metavar="NAME",
    help="The Secret Flux authenticates to the trunk with; '' for a public https trunk (ssh always needs one).",
)
@pass_printer
def init_command(
    printer: Printer, directory: Path, org: str, trunk_url: str | None, module_url: str | None, trunk_secret: str
) -> int:
    """Create a new trunk: vending.yaml, CODEOWNERS, Flux skeleton, one commit on main."""
    from vending.render.trunkfiles import trunk_files
    from vending.trunk.config import load_config_text
    from vending.trunk.messages import initial_change
    from vending.trunk.repository import Person, init_repository
    from vending.version import INTERFACE_VERSION

    if not ORG_RE.fullmatch(org):
        raise InputError(
            "invalid --org",
            [
                Finding(
                    "--org",
                    "",
                    f"{org!r} is not a GitHub organization name (letters, digits, single hyphens, up to 39 characters)",
                )
            ],
        )
    sources = _sources(org, trunk_url, module_url, trunk_secret)
    remotes = _check_target(directory)
    files = trunk_files(org, **sources)
    author = Person("vending", "vending@users.noreply.github.com")
    commit = init_repository(directory, files, initial_change(org, INTERFACE_VERSION).message(), author)
    steps = next_steps(directory, remotes, load_config_text(files["vending.yaml"]).flux)

    def text() -> None:
        printer.out(f"created trunk {directory} ({len(files)} files, commit {commit[:12]} on main)")
        printer.out("next steps:")
        for number, step in enumerate(steps, start=1):
            printer.out(f"  {number}. {step}")

    printer.show(
        {"trunk": str(directory.resolve()), "commit": commit, "files": sorted(files), "nextSteps": steps}, text
    )
    return ExitCode.OK

"""``vending init``: a new trunk with its config, CODEOWNERS, Flux skeleton and one commit on main."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode, Finding, InputError

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


def next_steps(directory: Path, remotes: tuple[str, ...] | None) -> list[str]:
    """What a platform team does next, as commands to type."""
    where = shlex.quote(str(directory))
    push = (
        f"git -C {where} push -u {remotes[0]} main"
        if remotes
        else f"git -C {where} remote add origin <URL> && git -C {where} push -u origin main"
    )
    return [
        f"review {directory / 'vending.yaml'}: environments, their owners and the module source",
        f"publish the trunk: {push}",
        f"check a request against it: vending validate REQUEST.yaml --trunk {where}",
        "vend it: vending submit REQUEST.yaml --trunk <URL> --as <IDENTITY> (see docs/submit.md)",
    ]


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--org", default="example", show_default=True, help="GitHub organization that owns the teams.")
@pass_printer
def init_command(printer: Printer, directory: Path, org: str) -> int:
    """Create a new trunk: vending.yaml, CODEOWNERS, Flux skeleton, one commit on main."""
    from vending.render.trunkfiles import trunk_files
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
    remotes = _check_target(directory)
    files = trunk_files(org)
    author = Person("vending", "vending@users.noreply.github.com")
    commit = init_repository(directory, files, initial_change(org, INTERFACE_VERSION).message(), author)
    steps = next_steps(directory, remotes)

    def text() -> None:
        printer.out(f"created trunk {directory} ({len(files)} files, commit {commit[:12]} on main)")
        printer.out("next steps:")
        for number, step in enumerate(steps, start=1):
            printer.out(f"  {number}. {step}")

    printer.show(
        {"trunk": str(directory.resolve()), "commit": commit, "files": sorted(files), "nextSteps": steps}, text
    )
    return ExitCode.OK

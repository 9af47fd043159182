"""``vending init``: a new trunk with its config, CODEOWNERS, Flux skeleton and one commit on main."""

from __future__ import annotations

import re
from pathlib import Path

import click

from vending.cli.common import output_mode, print_json
from vending.errors import ExitCode, Finding, InputError
from vending.render.trunkfiles import trunk_files
from vending.trunk.messages import initial_change
from vending.trunk.repository import Person, init_repository
from vending.version import INTERFACE_VERSION

ORG_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$")


def _check_target(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise InputError("target is not a directory", [Finding(str(directory), "", "exists and is not a directory")])
    if directory.is_dir() and any(directory.iterdir()):
        raise InputError(
            "target is not empty",
            [Finding(str(directory), "", "directory is not empty; 'vending init' only creates new trunks")],
        )


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--org", default="example", show_default=True, help="GitHub organization that owns the teams.")
def init_command(directory: Path, org: str) -> int:
    """Create a new trunk: vending.yaml, CODEOWNERS, Flux skeleton, one commit on main."""
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
    _check_target(directory)
    files = trunk_files(org)
    author = Person("vending", "vending@users.noreply.github.com")
    commit = init_repository(directory, files, initial_change(org, INTERFACE_VERSION).message(), author)
    if output_mode() == "json":
        print_json({"trunk": str(directory.resolve()), "commit": commit, "files": sorted(files)})
    else:
        click.echo(f"created trunk {directory} ({len(files)} files, commit {commit[:12]} on main)")
    return ExitCode.OK

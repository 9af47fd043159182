"""``vending interface``: the request's JSON Schema and the semver guard."""

from __future__ import annotations

import json
from pathlib import Path

import click

from vending.cli.common import echo, output_mode, print_json
from vending.errors import ExitCode
from vending.request.schema import request_json_schema
from vending.semver_guard.guard import check_interface
from vending.semver_guard.report import problem_lines, text_report
from vending.semver_guard.sources import find_repo_root


@click.group("interface")
def interface_group() -> None:
    """The versioned interface: request schema and compatibility checks."""


@interface_group.command("schema")
def schema_command() -> int:
    """Print the JSON Schema of a request file."""
    click.echo(json.dumps(request_json_schema(), indent=2, sort_keys=True))
    return 0


@interface_group.command("check")
@click.option(
    "--against",
    "ref",
    required=True,
    metavar="GIT_REF",
    help="Released version to compare with, e.g. the latest v* tag.",
)
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Repository whose working tree is checked  [default: the one containing the current directory]",
)
def check_command(ref: str, repo: Path | None) -> int:
    """Compare the interface with a released one; exit 2 if VERSION is not bumped enough.

    Compares the request schema, the pipeline templates' inputs, outputs, permissions and
    environments, the CLI flags they pass and the trunk layout, classifies each difference as
    major, minor or patch, and checks VERSION and CHANGELOG.md against the ref's VERSION.
    """
    root = repo if repo is not None else find_repo_root(Path.cwd())
    verdict = check_interface(root, ref)
    if output_mode() == "json":
        print_json(verdict.as_dict())
    else:
        for line in text_report(verdict):
            echo(line)
        for line in problem_lines(verdict):
            echo(line, err=True)
    return int(ExitCode.OK if verdict.ok else ExitCode.INVALID)

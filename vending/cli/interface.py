"""``vending interface``: the request's JSON Schema and the semver guard."""

from __future__ import annotations

from pathlib import Path

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode


@click.group("interface")
def interface_group() -> None:
    """The versioned interface: request schema and compatibility checks."""


@interface_group.command("schema")
@pass_printer
def schema_command(printer: Printer) -> int:
    """Print the JSON Schema of a request file."""
    from vending.request.schema import request_json_schema

    printer.document(request_json_schema(), sort_keys=True)
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
@pass_printer
def check_command(printer: Printer, ref: str, repo: Path | None) -> int:
    """Compare the interface with a released one; exit 2 if VERSION is not bumped enough.

    Compares the request schema, the pipeline templates' inputs, outputs, permissions and
    environments, the CLI flags they pass and the trunk layout, classifies each difference as
    major, minor or patch, and checks VERSION and CHANGELOG.md against the ref's VERSION.
    """
    from vending.semver_guard.guard import check_interface
    from vending.semver_guard.report import problem_lines, text_report
    from vending.semver_guard.sources import find_repo_root

    root = repo if repo is not None else find_repo_root(Path.cwd())
    verdict = check_interface(root, ref, cli_options=option_table(click.get_current_context().find_root().command))

    def text() -> None:
        for line in text_report(verdict):
            printer.out(line)
        for line in problem_lines(verdict):
            printer.err(line)

    printer.show(verdict.as_dict(), text)
    return int(ExitCode.OK if verdict.ok else ExitCode.INVALID)


def option_table(command: click.Command, name: str = "") -> dict[str, list[str]]:
    """Every option of ``command`` and its subcommands, keyed like the pipeline templates' flags
    (``""`` for the root group, ``"codeowners which"`` for a subcommand)."""
    found = {name: sorted({opt for param in command.params if isinstance(param, click.Option) for opt in _opts(param)})}
    if isinstance(command, click.Group):
        for sub_name, sub in sorted(command.commands.items()):
            found.update(option_table(sub, f"{name} {sub_name}".strip()))
    return found


def _opts(option: click.Option) -> list[str]:
    return [*option.opts, *option.secondary_opts]

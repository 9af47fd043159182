"""``vending check``: re-render the trunk and report drift."""

from __future__ import annotations

from pathlib import Path

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode, Finding, InputError


@click.command("check")
@click.option(
    "--trunk",
    required=True,
    metavar="URL|PATH",
    help="The trunk to check (a working tree is checked as it is on disk).",
)
@click.option("--branch", default="main", show_default=True, help="Branch to read when cloning.")
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite rendered and derived files in place (working tree only), e.g. "
    "after changing vending.yaml; review and commit the result.",
)
@pass_printer
def check_command(printer: Printer, trunk: str, branch: str, fix: bool) -> int:
    """Re-render every subscription and report drift, stale renders, CODEOWNERS gaps and overlaps."""
    from vending.check import check_trunk
    from vending.fleet.retained import retained_subscriptions
    from vending.trunk.config import load_config
    from vending.trunk.workdir import is_working_tree, read_trunk
    from vending.version import INTERFACE_VERSION

    if fix and not is_working_tree(trunk):
        raise InputError(
            "--fix needs a working tree",
            [Finding("--trunk", "", "--fix rewrites files in place: give the path of a checked-out trunk")],
        )
    with read_trunk(trunk, branch) as root:
        findings = check_trunk(root, INTERFACE_VERSION, fix=fix)
        retained = retained_subscriptions(root, load_config(root))
    if fix:
        printer.note(f"rewrote the files behind {len(findings)} finding(s); review with git diff and commit")
        findings = check_trunk(Path(trunk), INTERFACE_VERSION)

    def text() -> None:
        printer.findings(findings)
        for item in retained:
            printer.note(item.text())
        printer.err(f"{trunk}: {'clean' if not findings else f'{len(findings)} finding(s)'}")

    document: dict[str, object] = {"clean": not findings, "findings": [f.as_dict() for f in findings]}
    if retained:
        document["retained"] = [item.as_json() for item in retained]
    printer.show(document, text)
    return ExitCode.DRIFT if findings else ExitCode.OK

"""``vending diff``: what each request would change if submitted, field by field; ``--markdown`` for a
pull-request comment."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vending.cli.printer import Printer, pass_printer

if TYPE_CHECKING:
    from vending.fleet.diff import DiffReport, RequestDiff


@click.command("diff")
@click.argument("requests", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--trunk", required=True, metavar="URL|PATH", help="The trunk to compare against.")
@click.option("--branch", default="main", show_default=True, help="Trunk branch to read.")
@click.option(
    "--as",
    "identity",
    metavar="IDENTITY",
    help="Also judge path scope for this identity, as submit would (without it, scope is not judged).",
)
@click.option("--markdown", is_flag=True, help="Print one pull-request comment (at most 60,000 characters).")
@pass_printer
def diff_command(
    printer: Printer, requests: Sequence[Path], trunk: str, branch: str, identity: str | None, markdown: bool
) -> int:
    """Show what submitting each request would change, field by field; nothing is written.

    Exit 0 when every request could be submitted, 2 when any is refused by validation, 4 when the only
    refusals are path scope. The review binding (diff-sha256:...) goes to 'vending submit --expect-diff'.
    """
    from vending.cli.submit import check_identity
    from vending.fleet.diff import diff_requests
    from vending.fleet.diffmarkdown import render_markdown
    from vending.request.load import load_request
    from vending.trunk.revisions import head_commit
    from vending.trunk.workdir import Reading, read_trunk
    from vending.validate import trunk_questions
    from vending.version import INTERFACE_VERSION

    who = check_identity(identity) if identity is not None else None
    about = trunk_questions([load_request(path) for path in requests])
    with read_trunk(trunk, branch, Reading.INDEXES, about) as root:
        report = diff_requests(list(requests), root, INTERFACE_VERSION, identity=who, trunk_commit=head_commit(root))
    document = report.as_json()
    comment = render_markdown(report) if markdown else None
    if comment is not None:
        document["markdown"] = comment
    printer.show(document, lambda: printer.out(comment) if comment is not None else _print_text(printer, report))
    return int(report.exit_code)


def _print_text(printer: Printer, report: DiffReport) -> None:
    for change in report.changes:
        _print_change(printer, change)
    counts = report.counts()
    printer.out(", ".join(f"{count} {kind}" for kind, count in counts.items()))
    if report.identity is None:
        printer.out("path scope not judged (give --as IDENTITY to judge it)")
    commit = f" (trunk commit {report.trunk_commit})" if report.trunk_commit else ""
    printer.out(f"review binding: {report.hash}{commit}")


def _print_change(printer: Printer, change: RequestDiff) -> None:
    import json

    printer.out(f"{change.kind!s:<10} {change.name or '?'} ({change.environment or '?'})  [{change.source}]")
    for field in change.fields:
        before, after = (json.dumps(value, sort_keys=True) for value in (field.before, field.after))
        effect = field.effect if field.reason is None else f"refused: {field.reason}"
        printer.out(f"  {field.field}: {before} -> {after}  ({effect})")
    for finding in change.errors:
        printer.err(f"  {finding.render()}")

"""``vending list``: the subscriptions and the decommissioned names of a trunk."""

from __future__ import annotations

from collections.abc import Sequence

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode


@click.command("list")
@click.option("--trunk", required=True, metavar="URL|PATH", help="The trunk to read (a working tree is read as is).")
@click.option("--environment", default=None, metavar="ENV", help="Only this environment of vending.yaml.")
@click.option("--branch", default="main", show_default=True, help="Branch to read when cloning.")
@pass_printer
def list_command(printer: Printer, trunk: str, environment: str | None, branch: str) -> int:
    """List the subscriptions and the decommissioned names of the trunk."""
    from vending.fleet.listing import list_trunk
    from vending.fleet.listing_files import trunk_files

    with trunk_files(trunk, branch) as root:
        listing = list_trunk(root, environment)

    def text() -> None:
        live = [
            [s.name, s.environment, s.display_name, s.management_group, s.subscription_id or "-", s.deletion]
            for s in listing.subscriptions
        ]
        for line in table(
            ["NAME", "ENVIRONMENT", "DISPLAY NAME", "MANAGEMENT GROUP", "SUBSCRIPTION", "DELETION"], live
        ):
            printer.out(line)
        if listing.decommissioned:
            gone = [[g.name, g.environment, g.date or "-", g.subscription_id or "-"] for g in listing.decommissioned]
            printer.out("")
            for line in table(["DECOMMISSIONED", "ENVIRONMENT", "DATE", "SUBSCRIPTION"], gone):
                printer.out(line)
        printer.out("")
        printer.out(f"{len(listing.subscriptions)} subscription(s), {len(listing.decommissioned)} decommissioned")

    printer.show(listing.as_json(), text)
    return int(ExitCode.OK)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Plain aligned columns: the header, then one line per row."""
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]

"""``vending show NAME``: one subscription, its request, its history and its last recorded status."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode

if TYPE_CHECKING:
    from vending.fleet.show import Shown


@click.command("show")
@click.argument("name")
@click.option("--trunk", required=True, metavar="URL|PATH", help="The trunk to read (a working tree is read as is).")
@click.option("--branch", default="main", show_default=True, help="Branch to read.")
@pass_printer
def show_command(printer: Printer, name: str, trunk: str, branch: str) -> int:
    """Show one subscription: its request, its history with trailers and its last recorded status."""
    from vending.fleet.show import show_subscription

    shown = show_subscription(trunk, branch, name)
    printer.show(shown.as_json(), lambda: print_text(printer, shown))
    return int(ExitCode.OK)


def print_text(printer: Printer, shown: Shown) -> None:
    from vending.request.yamlio import dump_yaml

    state = "live" if shown.live else "decommissioned"
    printer.out(
        f"{shown.name} ({shown.environment}, {state})" + (f": {shown.display_name}" if shown.display_name else "")
    )
    printer.out(f"  subscription id: {shown.subscription_id or 'unknown'}")
    printer.out(f"  deletion policy: {shown.deletion or 'unknown'}")
    status = shown.status
    recorded = f"{status.state} since {status.since}" if status else "none recorded"
    printer.out(f"  last status:     {recorded}" + (f" ({status.message})" if status and status.message else ""))
    document = shown.request if shown.request is not None else shown.tombstone
    if document is not None:
        printer.out("")
        printer.out("request:" if shown.request is not None else "tombstone:")
        for line in dump_yaml(document).splitlines():
            printer.out(f"  {line}")
    printer.out("")
    printer.out(f"history ({len(shown.history)} commit(s), newest first):")
    for commit in shown.history:
        printer.out(f"  {commit.sha[:12]}  {commit.committed}  {commit.subject}")
        for key, value in commit.trailers:
            printer.out(f"      {key}: {value}")

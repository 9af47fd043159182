"""``vending decommission``: remove a subscription from the trunk by its environment's policy."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode

if TYPE_CHECKING:
    from vending.decommission import DecommissionReport


@click.command("decommission")
@click.argument("name")
@click.option("--trunk", required=True, metavar="URL|PATH", help="The trunk repository.")
@click.option("--as", "identity", required=True, metavar="IDENTITY", help="Pipeline identity (CODEOWNERS owner).")
@click.option("--confirm", required=True, metavar="NAME", help="Repeat the name to confirm.")
@click.option("--reason", default="", help="Why (one line); recorded in the commit and the tombstone.")
@click.option("--ticket", metavar="TEXT", help="Change reference; recorded as the Ticket trailer and in the tombstone.")
@click.option(
    "--requested-by",
    required=True,
    metavar="EMAIL",
    help="Who asked for the decommission: its Requested-By trailer, the tombstone, and the author unless given.",
)
@click.option("--branch", default="main", show_default=True, help="Trunk branch.")
@click.option("--author", metavar="'NAME <EMAIL>'", help="Commit author (default: from the CI host).")
@click.option("--committer-email", default="vending@users.noreply.github.com", show_default=True)
@click.option("--dry-run", is_flag=True, help="Show the commit's diff; push nothing.")
@pass_printer
def decommission_command(
    printer: Printer,
    name: str,
    trunk: str,
    identity: str,
    confirm: str,
    reason: str,
    ticket: str | None,
    requested_by: str,
    branch: str,
    author: str | None,
    committer_email: str,
    dry_run: bool,
) -> int:
    """Remove a subscription from the trunk according to its environment's deletion policy."""
    from vending.cli.submit import check_email, check_identity, check_message_text, ci_person, parse_person
    from vending.decommission import DecommissionSettings, decommission
    from vending.trunk.repository import Person
    from vending.version import INTERFACE_VERSION

    person = parse_person(author, "--author") if author else ci_person(dict(os.environ))
    settings = DecommissionSettings(
        trunk=trunk,
        name=name,
        identity=check_identity(identity),
        confirm=confirm,
        requested_by=check_email(requested_by, "--requested-by"),
        committer=Person(identity, check_email(committer_email, "--committer-email")),
        interface_version=INTERFACE_VERSION,
        reason=check_message_text(reason, "--reason", limit=500),
        ticket=None if ticket is None else check_message_text(ticket, "--ticket", limit=128) or None,
        author=person,
        branch=branch,
        dry_run=dry_run,
    )
    report = decommission(settings)
    printer.show(_document(report), lambda: _print_text(printer, report))
    return ExitCode.OK


def _document(report: DecommissionReport) -> dict[str, object]:
    return {
        "name": report.name,
        "environment": report.environment,
        "status": str(report.status),
        "commit": report.commit,
        "deletionPolicy": report.policy,
        "effect": report.policy_text,
        **({"diff": report.diff} if report.diff else {}),
    }


def _print_text(printer: Printer, report: DecommissionReport) -> None:
    if report.diff:
        printer.out(report.diff)
    commit = f" {report.commit[:12]}" if report.commit else ""
    if report.status == "unchanged":
        printer.out(f"unchanged: {report.name} was already decommissioned from {report.environment}")
    else:
        printer.out(f"{report.status} decommission of {report.name} ({report.environment}){commit}")
    printer.out(f"deletion policy {report.policy}: {report.policy_text}")

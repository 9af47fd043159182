"""``vending approve``: approve a subscription's pending plan by its full plan id."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode

if TYPE_CHECKING:
    from vending.approve import ApproveReport


@click.command("approve")
@click.argument("name")
@click.option("--trunk", required=True, metavar="URL|PATH", help="The trunk repository.")
@click.option("--as", "identity", required=True, metavar="IDENTITY", help="Pipeline identity (CODEOWNERS owner).")
@click.option("--plan", "plan_id", required=True, metavar="PLAN_ID", help="Full plan id, plan-<ref>-<10 hex>.")
@click.option("--requested-by", required=True, metavar="EMAIL", help="Who asked for the approval.")
@click.option("--branch", default="main", show_default=True, help="Trunk branch.")
@click.option("--author", metavar="'NAME <EMAIL>'", help="Commit author (default: from the CI host).")
@click.option("--committer-email", default="vending@users.noreply.github.com", show_default=True)
@pass_printer
def approve_command(
    printer: Printer,
    name: str,
    trunk: str,
    identity: str,
    plan_id: str,
    requested_by: str,
    branch: str,
    author: str | None,
    committer_email: str,
) -> int:
    """Approve the subscription's pending plan; any later change of its request clears the approval."""
    from vending.approve import ApproveSettings, approve
    from vending.cli.submit import check_email, check_identity, ci_person, parse_person
    from vending.trunk.repository import Person
    from vending.version import INTERFACE_VERSION

    settings = ApproveSettings(
        trunk=trunk,
        name=name,
        identity=check_identity(identity),
        plan_id=plan_id,
        requested_by=check_email(requested_by, "--requested-by"),
        committer=Person(identity, check_email(committer_email, "--committer-email")),
        interface_version=INTERFACE_VERSION,
        author=parse_person(author, "--author") if author else ci_person(dict(os.environ)),
        branch=branch,
    )
    report = approve(settings)
    printer.show(_document(report), lambda: _print_text(printer, report))
    return ExitCode.OK


def _document(report: ApproveReport) -> dict[str, object]:
    return {
        "name": report.name,
        "environment": report.environment,
        "status": str(report.status),
        "commit": report.commit,
        "planId": report.plan_id,
    }


def _print_text(printer: Printer, report: ApproveReport) -> None:
    if report.commit is None:
        printer.out(f"unchanged: {report.plan_id} is already approved for {report.name} ({report.environment})")
        return
    printer.out(f"committed approval of {report.plan_id} for {report.name} ({report.environment}) {report.commit[:12]}")

"""``vending status``: each subscription's state from the ``Terraform`` objects' status (docs/status.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode, Finding, InputError

if TYPE_CHECKING:
    from vending.fleet.status_run import Recorded, RecordSettings

STATE_DIR_REFUSAL = (
    "reading 'reconcile' state is not available in this build: 'vending reconcile' is not shipped yet, so "
    "there is no state directory to read; give --from FILE with the output of "
    "'kubectl get terraforms.infra.contrib.fluxcd.io -A -o json'"
)


@click.command("status")
@click.option("--trunk", required=True, metavar="URL|PATH", help="The trunk repository.")
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Output of 'kubectl get terraforms.infra.contrib.fluxcd.io -A -o json' (optionally with secrets).",
)
@click.option("--state-dir", type=click.Path(path_type=Path), metavar="DIR", help="State kept by 'reconcile'.")
@click.option("--record", is_flag=True, help="Commit the result to the trunk under status/.")
@click.option("--as", "identity", metavar="IDENTITY", help="With --record: pipeline identity (owns status/).")
@click.option("--requested-by", metavar="EMAIL", help="With --record: the Requested-By trailer.")
@click.option("--branch", default="main", show_default=True, help="Trunk branch.")
@click.option("--author", metavar="'NAME <EMAIL>'", help="Commit author (default: from the CI host).")
@click.option("--committer-email", default="vending@users.noreply.github.com", show_default=True)
@pass_printer
def status_command(
    printer: Printer,
    trunk: str,
    source: Path | None,
    state_dir: Path | None,
    record: bool,
    identity: str | None,
    requested_by: str | None,
    branch: str,
    author: str | None,
    committer_email: str,
) -> int:
    """Each subscription's state from the controller's Terraform objects; --record commits it."""
    from vending.fleet.status_run import StatusSettings, run_status

    if state_dir is not None:
        raise InputError("--state-dir is not supported", [Finding("--state-dir", "", STATE_DIR_REFUSAL)])
    if source is None:
        raise InputError("no status to read", [Finding("--from", "", "required: the file kubectl wrote")])
    recording = _record_settings(identity, requested_by, author, committer_email) if record else None
    if recording is None and identity is not None:
        raise InputError("--as without --record", [Finding("--as", "", "only used with --record")])
    settings = StatusSettings(trunk, source, str(source), branch, recording)
    outcome = run_status(settings)
    printer.show(_document(outcome, recording=record), lambda: _print_text(printer, outcome, recording=record))
    return ExitCode.OK


def _record_settings(
    identity: str | None, requested_by: str | None, author: str | None, committer_email: str
) -> RecordSettings:
    from vending.cli.submit import check_email, check_identity, ci_person, parse_person
    from vending.fleet.status_run import RecordSettings
    from vending.trunk.repository import Person

    if identity is None:
        raise InputError("--record needs --as", [Finding("--as", "", "required with --record: who records")])
    person = parse_person(author, "--author") if author else ci_person(dict(os.environ))
    return RecordSettings(
        identity=check_identity(identity),
        committer=Person(identity, check_email(committer_email, "--committer-email")),
        author=person,
        requested_by=None if requested_by is None else check_email(requested_by, "--requested-by"),
    )


def _document(outcome: Recorded, *, recording: bool) -> dict[str, object]:
    report = outcome.report
    document: dict[str, object] = {
        "subscriptions": [item.as_json() for item in report.subscriptions],
        "counts": report.counts(),
        "unmatchedObjects": list(report.unmatched),
    }
    if recording:
        document["recorded"] = {"commit": outcome.commit, "changed": outcome.changed}
    return document


def _print_text(printer: Printer, outcome: Recorded, *, recording: bool) -> None:
    report = outcome.report
    rows = [("NAME", "ENVIRONMENT", "STATE", "SUBSCRIPTION", "MESSAGE")]
    for item in report.subscriptions:
        detail = f"approve {item.plan_id}" if item.plan_id else item.message
        rows.append((item.name, item.environment, item.state, item.subscription_id or "-", detail[:80]))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        printer.out("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[4])
    counts = ", ".join(f"{count} {state}" for state, count in report.counts().items() if count)
    printer.out(f"{len(report.subscriptions)} subscriptions: {counts or 'none'}")
    if report.unmatched:
        printer.out(f"{len(report.unmatched)} Terraform objects match no subscription of the trunk")
    if recording:
        done = f"recorded {outcome.changed} changed records in {outcome.commit[:12]}" if outcome.commit else None
        printer.out(done or "recorded nothing: no record changed")

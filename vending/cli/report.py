"""``vending report``: DORA metrics and an inventory from the trunk's history and recorded status."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode, Finding, InputError

if TYPE_CHECKING:
    from vending.fleet.report import Report


@click.command("report")
@click.option("--trunk", required=True, metavar="URL|PATH", help="The trunk repository.")
@click.option("--since", metavar="DATE", help="Start of the window (YYYY-MM-DD or RFC 3339; default 30 days ago).")
@click.option("--until", metavar="DATE", help="End of the window, exclusive (a date means its end; default now).")
@click.option("--markdown", is_flag=True, help="Print a Markdown summary (for a CI job summary).")
@click.option("--branch", default="main", show_default=True, help="Trunk branch.")
@pass_printer
def report_command(
    printer: Printer, trunk: str, since: str | None, until: str | None, markdown: bool, branch: str
) -> int:
    """DORA metrics and an inventory from the trunk's history and recorded status."""
    from vending.fleet.report import build_report

    start = None if since is None else _moment(since, "--since", end=False)
    end = None if until is None else _moment(until, "--until", end=True)
    report = build_report(trunk, branch, start, end)
    if markdown and not printer.json:
        printer.out(_markdown(report))
        return ExitCode.OK
    printer.show(_document(report), lambda: _print_text(printer, report))
    return ExitCode.OK


def _moment(text: str, option: str, *, end: bool) -> dt.datetime:
    from vending.fleet.report import parse_time

    try:
        moment = parse_time(text)
    except ValueError as exc:
        raise InputError(
            f"invalid {option}", [Finding(option, "", f"{text!r} is not a date or an RFC 3339 time")]
        ) from exc
    date_only = len(text.strip()) == 10
    return moment + dt.timedelta(days=1) if end and date_only else moment


def _document(report: Report) -> dict[str, object]:
    from vending.fleet.report import stamp

    figures = report.metrics
    return {
        "since": stamp(report.since),
        "until": stamp(report.until),
        "deployments": figures.deployments,
        "leadTimeSeconds": {"median": figures.lead_median, "p90": figures.lead_p90},
        "changeFailureRate": figures.change_failure_rate,
        "timeToRestoreSeconds": {"median": figures.restore_median},
        "failures": figures.failures,
        "inventory": report.inventory.as_json(),
        "read": {"changes": report.changes, "statusRecords": report.records},
    }


def _rows(report: Report) -> list[tuple[str, str]]:
    figures = report.metrics
    rate = "-" if figures.change_failure_rate is None else f"{figures.change_failure_rate:.1%}"
    return [
        ("Deployments", str(figures.deployments)),
        ("Lead time, median", _duration(figures.lead_median)),
        ("Lead time, p90", _duration(figures.lead_p90)),
        ("Change failure rate", f"{rate} ({figures.failures} failed)"),
        ("Time to restore, median", _duration(figures.restore_median)),
    ]


def _inventory_rows(report: Report) -> list[tuple[str, str]]:
    inventory = report.inventory
    rows = [(f"environment {key}", str(value)) for key, value in inventory.environments.items()]
    rows += [(f"management group {key}", str(value)) for key, value in inventory.management_groups.items()]
    rows += [(f"module {key}", str(value)) for key, value in inventory.module_refs.items()]
    return [*rows, ("without budget", str(inventory.without_budget))]


def _print_text(printer: Printer, report: Report) -> None:
    document = _document(report)
    printer.out(f"DORA metrics from {document['since']} until {document['until']}")
    for label, value in _rows(report):
        printer.out(f"  {label:<26}{value}")
    printer.out("Inventory")
    for label, value in _inventory_rows(report):
        printer.out(f"  {label:<40}{value}")


def _markdown(report: Report) -> str:
    document = _document(report)
    lines = [f"## Subscription vending: {document['since']} to {document['until']}", "", "| metric | value |"]
    lines += ["|---|---|", *(f"| {label} | {value} |" for label, value in _rows(report))]
    lines += ["", "| inventory | count |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in _inventory_rows(report)]
    return "\n".join(lines)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    text = (
        f"{days}d {hours}h {minutes}m" if days else f"{hours}h {minutes}m {rest}s" if hours else f"{minutes}m {rest}s"
    )
    return f"{text} ({int(seconds)} s)"

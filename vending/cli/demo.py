"""``vending demo``: the example requests vended end to end on a local trunk and a local ARM emulator."""

from __future__ import annotations

import shutil
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from vending.azure.run import AzureRunner
    from vending.demo import DemoRun
    from vending.errors import Finding
    from vending.request.model import Request

CHECKS_DONE = (
    "credential works and the tenant is visible",
    "alias free or already this request's",
    "display name not used by another subscription",
    "management group exists",
    "region is valid",
    "an adopted subscription exists and is Enabled",
    "tenant policy allows it",
)


def _show_checks(console: Console, reports: list[Any]) -> None:
    from rich.table import Table

    console.rule("Azure pre-flight checks (real Azure SDK, HTTPS, local ARM emulator)")
    console.print("Checked before any commit: " + "; ".join(CHECKS_DONE) + ".", markup=False)
    table = Table()
    for column in ("request", "result", "ARM reads in its run"):
        table.add_column(column)
    for report in reports:
        for result in report.results:
            table.add_row(result.name, result.status, str(report.usage.reads))
    console.print(table)


def _show(console: Console, run: DemoRun) -> None:
    from rich.syntax import Syntax
    from rich.table import Table

    table = Table(title="Requests", show_lines=False)
    for column in ("request", "environment", "status", "commit", "why"):
        table.add_column(column)
    for _env, report in run.reports:
        for outcome in report.outcomes:
            why = "; ".join(f"{f.field}: {f.message}" if f.field else f.message for f in outcome.findings)
            table.add_row(
                outcome.name or "?", outcome.environment or "?", outcome.status, (outcome.commit or "")[:12], why
            )
    console.print(table)
    console.rule("Commits on trunk (newest first), with their trailers")
    console.print(run.log.strip(), markup=False, highlight=False)
    console.rule("Rendered trunk")
    console.print("\n".join(run.tree), markup=False, highlight=False)
    if run.flux_object:
        console.rule("Flux Terraform object of payments-prod")
        console.print(Syntax(run.flux_object, "yaml", theme="ansi_dark", background_color="default", word_wrap=True))
    console.rule("vending check")
    if run.check_findings:
        for finding in run.check_findings:
            console.print(finding.render(), markup=False)
    else:
        console.print("trunk is clean: every file is exactly what its request renders to")


def _document(run: DemoRun, kept: Path | None) -> dict[str, object]:
    results = [
        {
            "name": outcome.name,
            "environment": outcome.environment,
            "status": str(outcome.status),
            "commit": outcome.commit,
            "errors": [{"field": f.field, "message": f.message} for f in outcome.findings],
        }
        for _env, report in run.reports
        for outcome in report.outcomes
    ]
    return {
        "results": results,
        "clean": not run.check_findings,
        "checkFindings": [finding.as_dict() for finding in run.check_findings],
        "kept": str(kept) if kept is not None else None,
    }


@click.command("demo")
@click.option(
    "--keep",
    type=click.Path(path_type=Path, file_okay=False),
    help="Create the demo in this new directory and keep it (default: a temporary one, removed).",
)
@pass_printer
def demo_command(printer: Printer, keep: Path | None) -> int:
    """Vend the example requests end to end on embedded defaults (local trunk, local ARM emulator)."""
    from rich.console import Console

    console = Console(stderr=printer.json)
    run = _run(console, keep)
    if keep is not None:
        console.print(f"\nKept in {keep}: the trunk's remote is {keep / 'trunk.git'}", markup=False)
    refused = [o for _, r in run.reports for o in r.outcomes if str(o.status) == "rejected"]
    committed = [o for _, r in run.reports for o in r.outcomes if str(o.status) == "committed"]
    console.print(
        f"\n{len(committed)} request(s) committed, {len(refused)} refused before any commit "
        "(as intended for the conflicting example)."
    )
    if printer.json:
        printer.document(_document(run, keep))
    return ExitCode.OK if committed and not run.check_findings else ExitCode.BUG


def _run(console: Console, keep: Path | None) -> DemoRun:
    """Run the demo against a local emulator and show what happened; the run."""
    from vending.azure import run_azure_checks, settings_from_env
    from vending.azure.run import findings_in_order
    from vending.demo import demo_root, run_demo
    from vending.emulator import run_emulator
    from vending.version import INTERFACE_VERSION

    root = demo_root(keep)
    checks: list[Any] = []
    try:
        with run_emulator(retry_after=0, polls=1) as emulator:
            console.print(f"ARM emulator listening at {emulator.endpoint} (TLS, CA {emulator.ca_bundle})", markup=False)
            settings = settings_from_env({}, emulator.endpoint, str(emulator.ca_bundle))

            def azure(_remote: str, _env: str) -> AzureRunner:
                def run(
                    items: Sequence[tuple[str, Request]], in_trunk: Collection[str] = ()
                ) -> list[tuple[Finding, ...]]:
                    report = run_azure_checks(items, settings, in_trunk)
                    checks.append(report)
                    return findings_in_order(report)

                return run

            run = run_demo(root, azure, INTERFACE_VERSION, lambda text: console.print(f"[bold]>[/bold] {text}"))
        _show_checks(console, checks)
        _show(console, run)
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return run

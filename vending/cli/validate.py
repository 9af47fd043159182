"""``vending validate``: schema, interface version, policy, (with --trunk) the trunk's state, (with --azure)
the Azure pre-flight checks."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vending.cli.azureopts import azure_options, azure_runner
from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode, Finding, InputError

if TYPE_CHECKING:
    from vending.azure.run import AzureRunner
    from vending.validate import Checked


def check_files(paths: Sequence[Path], trunk: str | None, branch: str) -> list[Checked]:
    """Load and validate request files, against the trunk when one is given."""
    from vending.request.load import load_request
    from vending.trunk.config import load_config
    from vending.trunk.state import read_state
    from vending.trunk.workdir import Reading, read_trunk
    from vending.validate import trunk_questions, validate_batch
    from vending.version import INTERFACE_VERSION

    loaded = [load_request(path) for path in paths]
    if trunk is None:
        return validate_batch(loaded, INTERFACE_VERSION)
    with read_trunk(trunk, branch, Reading.INDEXES, trunk_questions(loaded)) as trunk_dir:
        config = load_config(trunk_dir)
        state = read_state(trunk_dir, config)
        return validate_batch(loaded, INTERFACE_VERSION, config, state)


def with_azure(results: list[Checked], runner: AzureRunner) -> tuple[list[Checked], bool]:
    """Add the Azure findings to each valid request; True when Azure refused any."""
    valid = [(key, item.source, item.loaded.request) for key, item in enumerate(results) if item.valid]
    items = [(key, source, request) for key, source, request in valid if request is not None]
    in_trunk = [item.loaded.request.name for item in results if item.existing and item.loaded.request]
    found = dict(zip([key for key, _, _ in items], runner([(s, r) for _, s, r in items], in_trunk), strict=True))
    merged = [replace(item, findings=item.findings + tuple(found.get(key, ()))) for key, item in enumerate(results)]
    return merged, any(found.values())


def report_checked(printer: Printer, results: Sequence[Checked]) -> None:
    from vending.reporting import ResultRow

    document = {"results": [_as_json(item) for item in results]}
    printer.show(document, lambda: _print_text(printer, results))
    rows = [
        ResultRow(
            item.loaded.request.name if item.loaded.request else "?",
            item.loaded.request.environment if item.loaded.request else "?",
            "valid" if item.valid else "invalid",
            None,
            item.findings,
            item.source,
        )
        for item in results
    ]
    printer.host_report(rows, [], title="vending validate", document=document)


def _print_text(printer: Printer, results: Sequence[Checked]) -> None:
    for item in results:
        for warning in item.loaded.warnings:
            printer.err(f"warning: {warning.render()}")
        if item.valid:
            name = item.loaded.request.name if item.loaded.request else "?"
            printer.out(f"{item.source}: ok ({name})")
        printer.findings(item.findings)
    bad = sum(1 for item in results if not item.valid)
    printer.err(f"{len(results) - bad} valid, {bad} invalid")


def _as_json(item: Checked) -> dict[str, object]:
    request = item.loaded.request
    return {
        "file": item.source,
        "name": request.name if request else None,
        "valid": item.valid,
        "errors": [{"field": f.field, "message": f.message, "line": f.line} for f in item.findings],
        "warnings": [{"field": f.field, "message": f.message, "line": f.line} for f in item.loaded.warnings],
    }


@click.command("validate")
@click.argument("requests", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--trunk", metavar="URL|PATH", help="Also check against this trunk's config and state.")
@click.option("--branch", default="main", show_default=True, help="Trunk branch to read.")
@click.option("--azure", "check_azure", is_flag=True, help="Also run the Azure pre-flight checks.")
@azure_options
@pass_printer
def validate_command(
    printer: Printer,
    requests: tuple[Path, ...],
    trunk: str | None,
    branch: str,
    check_azure: bool,
    arm_endpoint: str | None,
    ca_bundle: str | None,
) -> int:
    """Check request files: schema, interface version, policy, and optionally the trunk's state and Azure."""
    if (arm_endpoint or ca_bundle) and not check_azure and "VENDING_ARM_ENDPOINT" not in os.environ:
        raise InputError(
            "--arm-endpoint/--ca-bundle need --azure",
            [Finding("--azure", "", "add --azure to check the requests against Azure")],
        )
    results = check_files(requests, trunk, branch)
    refused = False
    if check_azure:
        results, refused = with_azure(results, azure_runner(arm_endpoint, ca_bundle, dict(os.environ)))
    report_checked(printer, results)
    if refused:
        return ExitCode.AZURE
    return ExitCode.OK if all(item.valid for item in results) else ExitCode.INVALID

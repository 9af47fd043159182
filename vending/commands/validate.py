"""``vending validate``: schema, interface version, policy and (with --trunk) the trunk's state."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from vending.commands.common import output_mode, print_json
from vending.errors import ExitCode
from vending.loading import load_config, load_request
from vending.trunkio import read_trunk
from vending.trunkstate import read_state
from vending.validate import Checked, validate_batch
from vending.version import INTERFACE_VERSION


def check_files(paths: Sequence[Path], trunk: str | None, branch: str) -> list[Checked]:
    """Load and validate request files, against the trunk when one is given."""
    loaded = [load_request(path) for path in paths]
    if trunk is None:
        return validate_batch(loaded, INTERFACE_VERSION)
    with read_trunk(trunk, branch) as trunk_dir:
        config = load_config(trunk_dir)
        state = read_state(trunk_dir, config)
    return validate_batch(loaded, INTERFACE_VERSION, config, state)


def report_checked(results: Sequence[Checked]) -> None:
    if output_mode() == "json":
        print_json({"results": [_as_json(item) for item in results]})
        return
    for item in results:
        for warning in item.loaded.warnings:
            click.echo(f"warning: {warning.render()}", err=True)
        if item.valid:
            name = item.loaded.request.name if item.loaded.request else "?"
            click.echo(f"{item.source}: ok ({name})")
        for finding in item.findings:
            click.echo(finding.render(), err=True)
    bad = sum(1 for item in results if not item.valid)
    click.echo(f"{len(results) - bad} valid, {bad} invalid", err=True)


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
def validate_command(requests: tuple[Path, ...], trunk: str | None, branch: str) -> int:
    """Check request files: schema, interface version, policy and (with --trunk) the trunk's state."""
    results = check_files(requests, trunk, branch)
    report_checked(results)
    return ExitCode.OK if all(item.valid for item in results) else ExitCode.INVALID

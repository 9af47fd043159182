"""``vending render``: write the files requests would add, laid out as in the trunk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import Finding, InputError


def _check_out_dir(out_dir: Path) -> None:
    """``--out`` must be new or empty: files left from another run would mix with this one's."""
    if out_dir.is_dir() and any(out_dir.iterdir()):
        raise InputError(
            "--out is not empty",
            [Finding(str(out_dir), "--out", "directory is not empty; give a new or empty directory")],
        )


@click.command("render")
@click.argument("requests", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--trunk", required=True, metavar="URL|PATH", help="Trunk whose config and state to use.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory to write the files into, laid out as in the trunk.",
)
@click.option("--branch", default="main", show_default=True, help="Branch to read when cloning.")
@pass_printer
def render_command(printer: Printer, requests: Sequence[Path], trunk: str, out_dir: Path, branch: str) -> int:
    """Write the files the requests would add to the trunk; no git, no Azure."""
    from vending.render_requests import render_requests
    from vending.request.load import load_request
    from vending.trunk.workdir import Reading, read_trunk
    from vending.validate import trunk_questions
    from vending.version import INTERFACE_VERSION

    _check_out_dir(out_dir)
    about = trunk_questions([load_request(path) for path in requests])
    with read_trunk(trunk, branch, Reading.INDEXES, about) as root:
        result = render_requests(list(requests), root, out_dir, INTERFACE_VERSION)

    def text() -> None:
        printer.findings(result.findings)
        printer.err(
            f"wrote {len(result.written)} file(s) to {out_dir}"
            if not result.findings
            else f"{len(result.findings)} finding(s); nothing written"
        )

    printer.show({"results": result.as_json(), "files": sorted(result.written)}, text)
    return result.exit_code

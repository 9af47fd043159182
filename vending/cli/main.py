"""Command-line interface: argv, environment and exit codes live here and in ``vending.commands``."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

import click

from vending.cli.check import check_command
from vending.cli.codeowners import codeowners
from vending.cli.decommission import decommission_command
from vending.cli.demo import demo_command
from vending.cli.init import init_command
from vending.cli.interface import interface_group
from vending.cli.render import render_command
from vending.cli.submit import submit_command
from vending.cli.validate import validate_command
from vending.emulator.command import emulator
from vending.errors import ExitCode, Finding, VendingError
from vending.reporting import detect_host, emit_host_report, guard_json, guard_text
from vending.version import INTERFACE_VERSION


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(INTERFACE_VERSION, prog_name="vending")
@click.option(
    "--output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Print results as text or as one JSON document on stdout.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, output: str, debug: bool) -> None:
    """Vend Azure subscriptions the GitOps way: validate, check against Azure, render, commit."""
    ctx.ensure_object(dict)
    ctx.obj["output"] = output
    ctx.obj["debug"] = debug


cli.add_command(init_command)
cli.add_command(validate_command)
cli.add_command(interface_group)
cli.add_command(codeowners)
cli.add_command(demo_command)
cli.add_command(emulator)
cli.add_command(submit_command)
cli.add_command(check_command)
cli.add_command(decommission_command)
cli.add_command(render_command)


def _report_error(error: VendingError, output: str) -> None:
    host = detect_host(os.environ)
    if output == "json":
        document = {
            "error": error.message,
            "exitCode": int(error.exit_code),
            "findings": [f.as_dict() for f in error.findings],
        }
        click.echo(guard_json(document, host))
    elif error.findings:
        for finding in error.findings:
            click.echo(guard_text(finding.render(), host), err=True)
    else:
        click.echo(guard_text(f"error: {error.message}", host), err=True)
    findings = list(error.findings) or [Finding("", "", error.message)]
    stream = sys.stderr if output == "json" else sys.stdout
    emit_host_report(host, [], findings, os.environ, stream, title="vending")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI and turn outcomes into the documented exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    output = "json" if "--output=json" in args or _option_value(args, "--output") == "json" else "text"
    try:
        code = cli.main(args=args, prog_name="vending", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        code = ExitCode.INVALID
    except click.ClickException as exc:
        exc.show()
        code = ExitCode.INVALID
    except VendingError as exc:
        if debug:
            traceback.print_exc()
        _report_error(exc, output)
        code = exc.exit_code
    except Exception as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)", err=True)
        code = ExitCode.BUG
    sys.exit(int(code or 0))


def _option_value(args: list[str], name: str) -> str | None:
    for index, arg in enumerate(args[:-1]):
        if arg == name:
            return args[index + 1]
    return None

"""The ``vending`` command line: the click group, ``main(argv) -> int`` and the documented exit codes.

Commands are imported when they run (see :mod:`vending.cli.lazy`); ``main`` creates the one
:class:`~vending.cli.printer.Printer` of the invocation and turns every outcome into an exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from itertools import pairwise

import click

from vending.cli.lazy import LazyCommand, LazyGroup
from vending.cli.printer import Printer, add_output_option, output_option
from vending.errors import VendingError
from vending.version import INTERFACE_VERSION

COMMANDS = {
    "approve": LazyCommand(
        "vending.cli.approve:approve_command",
        "Approve the subscription's pending plan; any later change of its request clears the approval.",
    ),
    "check": LazyCommand(
        "vending.cli.check:check_command",
        "Re-render every subscription and report drift, stale renders, CODEOWNERS gaps and overlaps.",
    ),
    "codeowners": LazyCommand("vending.cli.codeowners:codeowners", "Inspect CODEOWNERS files with GitHub's semantics."),
    "decommission": LazyCommand(
        "vending.cli.decommission:decommission_command",
        "Remove a subscription from the trunk according to its environment's deletion policy.",
    ),
    "demo": LazyCommand(
        "vending.cli.demo:demo_command",
        "Vend the example requests end to end on embedded defaults (local trunk, local ARM emulator).",
    ),
    "diff": LazyCommand(
        "vending.cli.diff:diff_command",
        "Show what submitting each request would change, field by field; nothing is written.",
    ),
    "emulator": LazyCommand(
        "vending.emulator.command:emulator",
        "Run the local Azure Resource Manager emulator over https until SIGTERM or SIGINT.",
    ),
    "init": LazyCommand(
        "vending.cli.init:init_command",
        "Create a new trunk: vending.yaml, CODEOWNERS, Flux skeleton, one commit on main.",
    ),
    "interface": LazyCommand(
        "vending.cli.interface:interface_group",
        "The versioned interface: request schema and compatibility checks.",
    ),
    "list": LazyCommand(
        "vending.cli.list:list_command",
        "List the subscriptions and the decommissioned names of the trunk.",
    ),
    "render": LazyCommand(
        "vending.cli.render:render_command",
        "Write the files the requests would add to the trunk; no git, no Azure.",
    ),
    "report": LazyCommand(
        "vending.cli.report:report_command",
        "DORA metrics and an inventory from the trunk's history and recorded status.",
    ),
    "show": LazyCommand(
        "vending.cli.show:show_command",
        "Show one subscription: its request, its history with trailers and its last recorded status.",
    ),
    "status": LazyCommand(
        "vending.cli.status:status_command",
        "Each subscription's state from the controller's Terraform objects; --record commits it.",
    ),
    "submit": LazyCommand(
        "vending.cli.submit:submit_command",
        "Validate, check against Azure, render and commit each request to the trunk, then push.",
    ),
    "validate": LazyCommand(
        "vending.cli.validate:validate_command",
        "Check request files: schema, interface version, policy, and optionally the trunk's state and Azure.",
    ),
}
"""Every command a user types: where it lives and its short help (``tests/cli`` checks they agree)."""


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    ctx.ensure_object(Printer).debug = value


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    prepare=add_output_option,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(INTERFACE_VERSION, prog_name="vending")
@click.option("--debug", is_flag=True, expose_value=False, callback=_set_debug, help="Show tracebacks for errors.")
def cli() -> None:
    """Vend Azure subscriptions the GitOps way: validate, check against Azure, render, commit."""


cli.params.insert(1, output_option(default="text"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``vending`` with ``argv`` (default: the process's arguments); the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    printer = Printer()
    try:
        code = cli.main(args=args, prog_name="vending", standalone_mode=False, obj=printer)
    except click.exceptions.Abort:
        return printer.aborted()
    except click.ClickException as error:
        if not printer.json and _asked_for_json(args):
            printer.use("json")
        return printer.usage_error(error)
    except VendingError as error:
        return printer.error(error)
    except Exception as error:
        return printer.internal_error(error)
    return int(code or 0)


def _asked_for_json(args: Sequence[str]) -> bool:
    """Whether the words of a command line click refused before reaching ``--output`` ask for JSON.

    Click stops at an unknown command or option before it processes the options that follow, so
    for that error alone ``main`` looks for ``--output json`` / ``--output=json`` itself.
    """
    words = list(args[: args.index("--")] if "--" in args else args)
    return "--output=json" in words or ("--output", "json") in pairwise(words)

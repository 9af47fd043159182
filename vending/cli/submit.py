"""``vending submit``: validate, check against Azure, render, commit one commit per request, push."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vending.cli.azureopts import azure_options, azure_runner
from vending.cli.printer import Printer, pass_printer
from vending.errors import Finding, InputError

if TYPE_CHECKING:
    from vending.submit import Outcome, SubmitReport, SubmitSettings
    from vending.trunk.repository import Person

PERSON_RE = re.compile(r"^(?P<name>[^<>\n]+?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>$")
EXPECT_DIFF_RE = re.compile(r"^diff-sha256:[0-9a-f]{64}$")
IDENTITY_RE = re.compile(r"^(@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?|[^@\s]+@[^@\s]+\.[^@\s]+)$")


def _refuse(option: str, problem: str) -> InputError:
    return InputError(f"invalid {option}", [Finding(option, "", problem)])


def check_email(value: str, option: str) -> str:
    """An email address that may enter a commit (an author, a committer, a ``Requested-By`` trailer)."""
    from vending.request.fields import EMAIL_RE

    if len(value) > 254 or not EMAIL_RE.fullmatch(value):
        raise _refuse(option, f"{value!r} must be an email address like name@example.com")
    return value


def check_message_text(value: str, option: str, *, limit: int) -> str:
    """A free-text value that enters a commit message (``--reason``, ``--ticket``): one rule for all."""
    from vending.request.hygiene import message_text

    problem = message_text(value, limit=limit)
    if problem is not None:
        raise _refuse(option, problem)
    return value


def check_person(name: str, email: str, option: str, *, any_email: bool = False) -> Person:
    """A commit author or committer: a one-line name of visible characters and an email address
    (``any_email``: any one-line address without ``<``, ``>`` or spaces, as a CI host may name one)."""
    from vending.request.hygiene import control_character, invisible_character, lone_surrogate
    from vending.trunk.repository import Person

    problem = control_character(name) or invisible_character(name) or lone_surrogate(name)
    if problem is not None or not name.strip() or len(name) > 128 or set("<>") & set(name):
        raise _refuse(option, f"name {name!r} " + (problem or "must be 1-128 characters without < or >"))
    if any_email and not (control_character(email) or invisible_character(email) or set("<> ") & set(email)):
        return Person(name, email)
    return Person(name, check_email(email, option))


def parse_person(text: str, option: str) -> Person:
    match = PERSON_RE.fullmatch(text.strip())
    if match is None:
        raise _refuse(option, f"{text!r} must look like 'Name <email>'")
    return check_person(match.group("name"), match.group("email"), option)


def check_identity(identity: str) -> str:
    from vending.request.hygiene import control_character, invisible_character

    if not IDENTITY_RE.fullmatch(identity) or control_character(identity) or invisible_character(identity):
        raise _refuse("--as", f"{identity!r} must be a CODEOWNERS owner: @user, @org/team or an email address")
    return identity


def ci_person(env: dict[str, str]) -> Person | None:
    """The author the CI host names, checked like ``--author`` (its variables are its option)."""
    from vending.reporting.host import environment_author

    author = environment_author(env)
    if author is None:
        return None
    return check_person(author.name, author.email, "the CI host's author variables", any_email=True)


def outcome_json(outcome: Outcome) -> dict[str, object]:
    return {
        "name": outcome.name,
        "environment": outcome.environment,
        "status": str(outcome.status),
        "commit": outcome.commit,
        "file": outcome.source,
        "errors": [{"field": f.field, "message": f.message, "line": f.line} for f in outcome.findings],
    }


def print_report(printer: Printer, report: SubmitReport) -> None:
    from vending.reporting import ResultRow

    document: dict[str, object] = {
        "results": [outcome_json(o) for o in report.outcomes],
        "azureChecks": report.azure_checks,
        "attempts": report.attempts,
    }
    if report.diff:
        document["diff"] = report.diff
    printer.show(document, lambda: _print_text(printer, report))
    rows = [
        ResultRow(o.name or "?", o.environment or "?", str(o.status), o.commit, tuple(o.findings), o.source)
        for o in report.outcomes
    ]
    printer.host_report(rows, [], title="vending submit", document=document)


def _print_text(printer: Printer, report: SubmitReport) -> None:
    if report.diff:
        printer.out(report.diff)
    for outcome in report.outcomes:
        where = f"{outcome.name or '?'} ({outcome.environment or '?'})"
        commit = f" {outcome.commit[:12]}" if outcome.commit else ""
        printer.out(f"{outcome.status!s:<10} {where}{commit}  [{outcome.source}]")
        for finding in outcome.findings:
            printer.err(f"  {finding.render()}")
    if report.azure_checks == "skipped":
        printer.err("Azure pre-flight checks were skipped (--skip-azure-checks)")


def submit_settings(
    trunk: str,
    identity: str,
    branch: str,
    dry_run: bool,
    workdir: Path | None,
    author: str | None,
    committer_email: str,
    env: dict[str, str],
    expect_diff: str | None = None,
) -> SubmitSettings:
    from vending.submit import SubmitSettings
    from vending.trunk.repository import Person
    from vending.version import INTERFACE_VERSION

    person = parse_person(author, "--author") if author else ci_person(env)
    return SubmitSettings(
        trunk=trunk,
        identity=check_identity(identity),
        committer=Person(identity, check_email(committer_email, "--committer-email")),
        interface_version=INTERFACE_VERSION,
        branch=branch,
        author=person,
        dry_run=dry_run,
        workdir=workdir,
        expect_diff=check_expect_diff(expect_diff),
    )


def check_expect_diff(value: str | None) -> str | None:
    """A review binding as ``vending diff`` prints it."""
    if value is not None and not EXPECT_DIFF_RE.fullmatch(value):
        raise _refuse(
            "--expect-diff", f"{value!r} must be a review binding as 'vending diff' prints it (diff-sha256:<64 hex>)"
        )
    return value


@click.command("submit")
@click.argument("requests", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--trunk", required=True, metavar="URL|PATH", help="The trunk repository to commit to.")
@click.option(
    "--as",
    "identity",
    required=True,
    metavar="IDENTITY",
    help="The pipeline identity as CODEOWNERS names it (@org/team, @user or email).",
)
@click.option("--branch", default="main", show_default=True, help="Trunk branch.")
@click.option("--skip-azure-checks", is_flag=True, help="Do not check the requests against Azure.")
@click.option("--dry-run", is_flag=True, help="Show the commits' diff; push nothing.")
@click.option(
    "--workdir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Reuse a clone in this directory between runs (validated before reuse).",
)
@click.option(
    "--author",
    metavar="'NAME <EMAIL>'",
    help="Commit author (default: from the CI host, else the request's requestedBy).",
)
@click.option(
    "--committer-email",
    default="vending@users.noreply.github.com",
    show_default=True,
    help="Email of the committer; its name is the identity.",
)
@click.option(
    "--expect-diff",
    metavar="HASH",
    help="Commit only if the requests still render as reviewed: the review binding 'vending diff' printed "
    "(diff-sha256:...); otherwise refuse with exit 2 and commit nothing.",
)
@azure_options
@pass_printer
def submit_command(
    printer: Printer,
    requests: Sequence[Path],
    trunk: str,
    identity: str,
    branch: str,
    skip_azure_checks: bool,
    dry_run: bool,
    workdir: Path | None,
    author: str | None,
    committer_email: str,
    expect_diff: str | None,
    arm_endpoint: str | None,
    ca_bundle: str | None,
) -> int:
    """Validate, check against Azure, render and commit each request to the trunk, then push."""
    from vending.submit import submit

    settings = submit_settings(
        trunk, identity, branch, dry_run, workdir, author, committer_email, dict(os.environ), expect_diff
    )
    runner = None if skip_azure_checks else azure_runner(arm_endpoint, ca_bundle, dict(os.environ))
    report = submit(list(requests), settings, runner)
    print_report(printer, report)
    return int(report.exit_code)

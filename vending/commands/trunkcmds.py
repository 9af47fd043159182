"""``vending check``, ``vending decommission`` and ``vending render``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import click

from vending.check import check_trunk
from vending.commands.common import note, output_mode, print_json
from vending.commands.submit import check_identity, parse_person
from vending.decommission import DecommissionSettings, decommission
from vending.errors import ExitCode, Finding, InputError
from vending.render.batch import render_requests
from vending.trunkgit import Person, environment_author
from vending.trunkio import is_working_tree, read_trunk
from vending.version import INTERFACE_VERSION


@click.command("check")
@click.option(
    "--trunk",
    required=True,
    metavar="URL|PATH",
    help="The trunk to check (a working tree is checked as it is on disk).",
)
@click.option("--branch", default="main", show_default=True, help="Branch to read when cloning.")
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite rendered and derived files in place (working tree only), e.g. "
    "after changing vending.yaml; review and commit the result.",
)
def check_command(trunk: str, branch: str, fix: bool) -> int:
    """Re-render every subscription and report drift, stale renders, CODEOWNERS gaps and overlaps."""
    if fix and not is_working_tree(trunk):
        raise InputError(
            "--fix needs a working tree",
            [Finding("--trunk", "", "--fix rewrites files in place: give the path of a checked-out trunk")],
        )
    with read_trunk(trunk, branch) as root:
        findings = check_trunk(root, INTERFACE_VERSION, fix=fix)
    if fix:
        note(f"rewrote the files behind {len(findings)} finding(s); review with git diff and commit")
        findings = check_trunk(Path(trunk), INTERFACE_VERSION)
    if output_mode() == "json":
        print_json({"clean": not findings, "findings": [f.as_dict() for f in findings]})
    else:
        for finding in findings:
            click.echo(finding.render(), err=True)
        click.echo(f"{trunk}: {'clean' if not findings else f'{len(findings)} finding(s)'}", err=True)
    return ExitCode.DRIFT if findings else ExitCode.OK


def _reason(text: str) -> str:
    if len(text) > 500 or any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise InputError("invalid --reason", [Finding("--reason", "", "at most 500 characters, no control characters")])
    return text


@click.command("decommission")
@click.argument("name")
@click.option("--trunk", required=True, metavar="URL|PATH", help="The trunk repository.")
@click.option("--as", "identity", required=True, metavar="IDENTITY", help="Pipeline identity (CODEOWNERS owner).")
@click.option("--confirm", required=True, metavar="NAME", help="Repeat the name to confirm.")
@click.option("--reason", default="", help="Why; recorded in the commit and the tombstone.")
@click.option("--requested-by", metavar="EMAIL", help="Who asked (default: the author's email).")
@click.option("--branch", default="main", show_default=True, help="Trunk branch.")
@click.option("--author", metavar="'NAME <EMAIL>'", help="Commit author (default: from the CI host).")
@click.option("--committer-email", default="vending@users.noreply.github.com", show_default=True)
@click.option("--dry-run", is_flag=True, help="Show the commit's diff; push nothing.")
def decommission_command(
    name: str,
    trunk: str,
    identity: str,
    confirm: str,
    reason: str,
    requested_by: str | None,
    branch: str,
    author: str | None,
    committer_email: str,
    dry_run: bool,
) -> int:
    """Remove a subscription from the trunk according to its environment's deletion policy."""
    person = parse_person(author, "--author") if author else environment_author(dict(os.environ))
    settings = DecommissionSettings(
        trunk=trunk,
        name=name,
        identity=check_identity(identity),
        confirm=confirm,
        committer=Person(identity, committer_email),
        interface_version=INTERFACE_VERSION,
        reason=_reason(reason),
        requested_by=requested_by,
        author=person,
        branch=branch,
        dry_run=dry_run,
    )
    report = decommission(settings)
    if output_mode() == "json":
        print_json(
            {
                "name": report.name,
                "environment": report.environment,
                "status": report.status,
                "commit": report.commit,
                "deletionPolicy": report.policy,
                "effect": report.policy_text,
                **({"diff": report.diff} if report.diff else {}),
            }
        )
    else:
        if report.diff:
            click.echo(report.diff)
        commit = f" {report.commit[:12]}" if report.commit else ""
        click.echo(f"{report.status} decommission of {name} ({report.environment}){commit}")
        click.echo(f"deletion policy {report.policy}: {report.policy_text}")
    return ExitCode.OK


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
def render_command(requests: Sequence[Path], trunk: str, out_dir: Path, branch: str) -> int:
    """Write the files the requests would add to the trunk; no git, no Azure."""
    with read_trunk(trunk, branch) as root:
        result = render_requests(list(requests), root, out_dir, INTERFACE_VERSION)
    if output_mode() == "json":
        print_json({"results": result.as_json(), "files": sorted(result.written)})
    else:
        for finding in result.findings:
            click.echo(finding.render(), err=True)
        click.echo(
            f"wrote {len(result.written)} file(s) to {out_dir}"
            if not result.findings
            else f"{len(result.findings)} finding(s); nothing written",
            err=True,
        )
    return result.exit_code

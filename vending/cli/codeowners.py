"""``vending codeowners``: lint a CODEOWNERS file, or ask who owns a trunk path."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import NoReturn

import click

from vending.codeowners import LOCATIONS, find_codeowners, lint_codeowners, owners_of, parse_codeowners
from vending.errors import ExitCode, Finding, InputError, VendingError
from vending.trunk.workdir import read_trunk


@click.group("codeowners")
def codeowners() -> None:
    """Inspect CODEOWNERS files with GitHub's semantics."""


@codeowners.command("lint")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def lint(file: Path) -> None:
    """Report unsupported or invalid CODEOWNERS lines (exit 2 when there are any)."""
    try:
        findings = lint_codeowners(_read_text(file), str(file))
    except VendingError as error:
        _fail(error)
    if _json_mode():
        click.echo(json.dumps({"findings": [finding.as_dict() for finding in findings]}, indent=2))
    elif findings:
        _echo_findings(findings)
    else:
        click.echo(f"{file}: ok")
    if findings:
        click.get_current_context().exit(int(ExitCode.INVALID))


@codeowners.command("which")
@click.argument("path")
@click.option("--trunk", "trunk", required=True, help="URL or local path of the trunk repository.")
@click.option("--branch", default="main", show_default=True, help="Trunk branch to read.")
def which(path: str, trunk: str, branch: str) -> None:
    """Print the owners of a repository path (space-separated; nothing if unowned)."""
    try:
        relative = _repo_path(path, trunk)
        owners = _trunk_owners(trunk, branch, relative)
    except VendingError as error:
        _fail(error)
    if _json_mode():
        click.echo(json.dumps({"path": relative, "owners": list(owners)}, indent=2))
    elif owners:
        click.echo(" ".join(owners))


def _trunk_owners(trunk: str, branch: str, path: str) -> tuple[str, ...]:
    with read_trunk(trunk, branch) as root:
        found = find_codeowners(root)
        if found is None:
            raise InputError(f"{trunk}: no CODEOWNERS file (looked for {', '.join(LOCATIONS)})")
        source = found.relative_to(root).as_posix()
        return owners_of(parse_codeowners(_read_text(found, source), source), path)


def _repo_path(raw: str, trunk: str) -> str:
    """A repository-relative path; an absolute one is accepted only inside a local trunk."""
    candidate = PurePosixPath(raw)
    if candidate.is_absolute():
        candidate = _inside_local_trunk(raw, trunk)
    parts = [part for part in candidate.parts if part != "."]
    if ".." in parts:
        raise InputError(f"{raw}: '..' is not allowed; give a path relative to the repository root")
    if not parts:
        raise InputError(f"{raw!r}: give a file path relative to the repository root")
    return "/".join(parts) + ("/" if raw.endswith("/") else "")


def _inside_local_trunk(raw: str, trunk: str) -> PurePosixPath:
    root = Path(trunk)
    target = Path(raw).resolve()
    if root.is_dir() and target.is_relative_to(root.resolve()):
        return PurePosixPath(target.relative_to(root.resolve()).as_posix())
    raise InputError(
        f"{raw}: absolute path outside the trunk; give a path relative to the repository root, "
        "e.g. subscriptions/dev/NAME/main.tf"
    )


def _read_text(file: Path, name: str | None = None) -> str:
    shown = name or str(file)
    try:
        return file.read_bytes().decode("utf-8")
    except FileNotFoundError as error:
        raise _unreadable(shown, "file not found") from error
    except UnicodeDecodeError as error:
        raise _unreadable(shown, f"not UTF-8 text (invalid byte at offset {error.start})") from error
    except OSError as error:
        raise _unreadable(shown, f"cannot read: {error.strerror or error}") from error


def _unreadable(file: str, reason: str) -> InputError:
    return InputError(f"{file}: {reason}", [Finding(file=file, field="", message=reason)])


def _json_mode() -> bool:
    ctx = click.get_current_context()
    output = ctx.obj.get("output") if isinstance(ctx.obj, dict) else None
    return (output or ctx.find_root().params.get("output") or "text") == "json"


def _echo_findings(findings: list[Finding]) -> None:
    for finding in findings:
        where = finding.file if finding.line is None else f"{finding.file}:{finding.line}"
        click.echo(f"{where}: {finding.message}", err=True)


def _fail(error: VendingError) -> NoReturn:
    findings = list(error.findings) or [Finding(file="", field="", message=error.message)]
    if _json_mode():
        click.echo(json.dumps({"findings": [finding.as_dict() for finding in findings]}, indent=2))
    elif error.findings:
        _echo_findings(findings)
    else:
        click.echo(f"error: {error.message}", err=True)
    click.get_current_context().exit(int(error.exit_code))

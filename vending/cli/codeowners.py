"""``vending codeowners``: lint a CODEOWNERS file, or ask who owns a trunk path."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import click

from vending.cli.printer import Printer, pass_printer
from vending.errors import ExitCode, Finding, InputError


@click.group("codeowners")
def codeowners() -> None:
    """Inspect CODEOWNERS files with GitHub's semantics."""


@codeowners.command("lint")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_printer
def lint(printer: Printer, file: Path) -> int:
    """Report unsupported or invalid CODEOWNERS lines (exit 2 when there are any)."""
    from vending.codeowners import lint_codeowners

    findings = lint_codeowners(_read_text(file), str(file))

    def text() -> None:
        if findings:
            _print_findings(printer, findings)
        else:
            printer.out(f"{file}: ok")

    printer.show({"findings": [finding.as_dict() for finding in findings]}, text)
    return int(ExitCode.INVALID if findings else ExitCode.OK)


@codeowners.command("which")
@click.argument("path")
@click.option("--trunk", "trunk", required=True, help="URL or local path of the trunk repository.")
@click.option("--branch", default="main", show_default=True, help="Trunk branch to read.")
@pass_printer
def which(printer: Printer, path: str, trunk: str, branch: str) -> int:
    """Print the owners of a repository path (space-separated; nothing if unowned)."""
    relative = _repo_path(path, trunk)
    owners = _trunk_owners(trunk, branch, relative)

    def text() -> None:
        if owners:
            printer.out(" ".join(owners))

    printer.show({"path": relative, "owners": list(owners)}, text)
    return int(ExitCode.OK)


def _trunk_owners(trunk: str, branch: str, path: str) -> tuple[str, ...]:
    from vending.codeowners import LOCATIONS, owners_of
    from vending.trunk.scope import load_codeowners
    from vending.trunk.workdir import Reading, read_trunk

    with read_trunk(trunk, branch, Reading.ROOT) as root:
        found = load_codeowners(root)
        if found is None:
            raise InputError(f"{trunk}: no CODEOWNERS file (looked for {', '.join(LOCATIONS)})")
        return owners_of(found, path)


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


def _print_findings(printer: Printer, findings: Sequence[Finding]) -> None:
    for finding in findings:
        where = finding.file if finding.line is None else f"{finding.file}:{finding.line}"
        printer.err(f"{where}: {finding.message}")

"""Generating the trunk's CODEOWNERS from its configuration."""

from __future__ import annotations

from collections.abc import Sequence

from vending.codeowners.parse import lint_codeowners
from vending.codeowners.syntax import owner_problem, same_owner
from vending.errors import InputError, RenderBugError
from vending.trunk.layout import ADMIN_ONLY_PATTERNS

ADMIN_ONLY = ADMIN_ONLY_PATTERNS

_FORBIDDEN_IN_PATH = frozenset("#[]!\\*?\0")


def render_codeowners(admins: Sequence[str], scoped: Sequence[tuple[str, Sequence[str]]], header: str) -> str:
    """CODEOWNERS text: admins own ``*``, each scoped directory its owners, admins the config.

    Order is kept as given and owners are deduplicated (case-insensitively, first kept).
    Raises ``InputError`` for an owner or path that GitHub would not accept.
    """
    rows = [("*", _owners(admins, "admins"))]
    rows += [(_directory_pattern(path), _owners(owners, path)) for path, owners in scoped]
    rows += [(pattern, rows[0][1]) for pattern in ADMIN_ONLY]
    text = _header(header) + _table(rows)
    findings = lint_codeowners(text, "CODEOWNERS")
    if findings:
        raise RenderBugError("rendered CODEOWNERS does not lint clean", findings)
    return text


def _owners(owners: Sequence[str], where: str) -> tuple[str, ...]:
    if not owners:
        raise InputError(f"CODEOWNERS: {where}: at least one owner is required")
    problems = [problem for owner in owners if (problem := owner_problem(owner))]
    if problems:
        raise InputError(f"CODEOWNERS: {where}: {'; '.join(problems)}")
    unique: list[str] = []
    for owner in owners:
        if not any(same_owner(owner, seen) for seen in unique):
            unique.append(owner)
    return tuple(unique)


def _directory_pattern(path: str) -> str:
    segments = [segment for segment in path.split("/") if segment]
    bad_segment = any(segment in {".", ".."} for segment in segments)
    bad_char = any(ch in _FORBIDDEN_IN_PATH or ch.isspace() for ch in path)
    if not segments or bad_segment or bad_char:
        raise InputError(
            f"CODEOWNERS: scoped path {path!r} must be a plain repository directory "
            "such as 'subscriptions/dev' (no globs, spaces, '#', '.' or '..')"
        )
    return "/" + "/".join(segments) + "/"


def _header(header: str) -> str:
    lines = header.splitlines()
    if not lines:
        return ""
    return "".join(f"# {line}".rstrip() + "\n" for line in lines) + "\n"


def _table(rows: list[tuple[str, tuple[str, ...]]]) -> str:
    width = max(len(pattern) for pattern, _ in rows)
    return "".join(f"{pattern.ljust(width)} {' '.join(owners)}\n" for pattern, owners in rows)

"""What GitHub accepts in a CODEOWNERS line: tokens, patterns and owners."""

from __future__ import annotations

import re

_LOGIN = r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}"
_USER = re.compile(rf"@(?P<login>{_LOGIN})(?:_[A-Za-z0-9]+)?")
_TEAM = re.compile(rf"@(?P<login>{_LOGIN})/[A-Za-z0-9_][A-Za-z0-9_.-]{{0,254}}")
_EMAIL = re.compile(r"[^@\s\\]+@[^@\s.\\]+(?:\.[^@\s.\\]+)+")
_MAX_LOGIN = 39


def split_line(line: str) -> list[str]:
    """Whitespace-separated tokens up to a comment.

    A ``#`` that begins a token starts a comment (at the start of a line or after the
    owners alike). A backslash keeps the next character in the token, so ``a\\ b`` is one
    token and ``\\#x`` is a pattern (which the validator then rejects).
    """
    tokens: list[str] = []
    current: list[str] = []
    chars = iter(line)
    for ch in chars:
        if ch == "\\":
            current.append(ch + next(chars, ""))
        elif ch.isspace():
            if current:
                tokens.append("".join(current))
                current = []
        elif ch == "#" and not current:
            break
        else:
            current.append(ch)
    if current:
        tokens.append("".join(current))
    return tokens


def pattern_problems(pattern: str) -> list[str]:
    """Why GitHub would reject this pattern; empty when it is fine."""
    problems: list[str] = []
    if not pattern.replace("/", ""):
        problems.append("empty pattern: it names no path")
    if "\0" in pattern:
        problems.append("pattern contains a NUL character")
    if pattern.startswith("!"):
        problems.append("'!' negation is not supported by GitHub; list the owned paths instead")
    if pattern.startswith(("[", "^[")) and pattern.endswith("]"):
        problems.append("GitLab sections ('[Section]') are not supported by GitHub CODEOWNERS")
    elif "[" in pattern or "]" in pattern:
        problems.append("'[ ]' character ranges are not supported by GitHub; use '*' or '?' or list paths")
    if "\\#" in pattern:
        problems.append("'\\#' escapes are not supported by GitHub; a pattern cannot start with '#'")
    return problems


def owner_problem(owner: str) -> str | None:
    """Why this owner is not a GitHub user, team or email address; ``None`` when valid."""
    if owner.startswith("@"):
        return _handle_problem(owner)
    if "@" in owner:
        return None if _EMAIL.fullmatch(owner) else f"'{owner}' is not a valid email address"
    return f"'{owner}' is not an owner: use @user, @org/team or an email address"


def _handle_problem(owner: str) -> str | None:
    if "/" in owner:
        match = _TEAM.fullmatch(owner)
        if match and len(match["login"]) <= _MAX_LOGIN:
            return None
        return f"'{owner}' is not a valid team: use @org/team-slug"
    match = _USER.fullmatch(owner)
    if match and len(match["login"]) <= _MAX_LOGIN:
        return None
    return (
        f"'{owner}' is not a valid GitHub user: letters, digits and single inner hyphens, "
        f"at most {_MAX_LOGIN} characters"
    )


def same_owner(left: str, right: str) -> bool:
    """GitHub compares user and team names, and emails, without regard to case."""
    return left.casefold() == right.casefold()

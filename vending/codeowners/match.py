"""Who owns a path, and which paths an identity may not change."""

from __future__ import annotations

from collections.abc import Iterable

from vending.codeowners.model import CodeOwnersFile
from vending.codeowners.syntax import same_owner


def owners_of(file: CodeOwnersFile, path: str) -> tuple[str, ...]:
    """The owners of a repository-relative path: the last matching valid rule wins.

    A matching rule without owners, or no matching rule, gives ``()`` (unowned).
    A leading ``/`` on the path is tolerated; matching is case-sensitive.
    """
    relative = path.lstrip("/")
    if not relative:
        return ()
    rule = file.matcher.rule_for(relative)
    return () if rule is None else rule.owners


def unauthorized_paths(file: CodeOwnersFile, identity: str, paths: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The paths ``identity`` does not own, each with its owners (unowned paths included).

    Only an owner entry naming the identity itself counts (case-insensitively); team
    membership is not known here.
    """
    refused: list[tuple[str, tuple[str, ...]]] = []
    for path in paths:
        owners = owners_of(file, path)
        if not any(same_owner(owner, identity) for owner in owners):
            refused.append((path, owners))
    return refused

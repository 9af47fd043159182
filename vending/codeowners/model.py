"""The parsed form of a CODEOWNERS file."""

from __future__ import annotations

from dataclasses import dataclass, field

from codeowners import path_to_regex

# GitHub does not load a CODEOWNERS file of this size or more.
MAX_BYTES = 3 * 1024 * 1024


@dataclass(frozen=True)
class Rule:
    """One non-comment line: a pattern and its owners, in file order."""

    line: int
    pattern: str
    owners: tuple[str, ...]
    problems: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        """GitHub skips a line with invalid syntax; so does the matcher."""
        return not self.problems


@dataclass(frozen=True)
class CodeOwnersFile:
    """The rules of one CODEOWNERS file, with the matcher built from its valid lines."""

    source: str
    rules: tuple[Rule, ...]
    size: int
    matcher: Matcher = field(repr=False, compare=False)

    @property
    def oversized(self) -> bool:
        return self.size >= MAX_BYTES


class Matcher:
    """GitHub path matching of the valid rules, using the ``codeowners`` package's translation.

    Each valid pattern is compiled with the package's ``path_to_regex``; ``CodeOwners.of``
    itself is not used because it rewrites spaces (in paths and in ``\\ `` escapes) into a
    run of slashes, which anchors ``a\\ b`` to the root and stops ``docs/*`` or ``?`` from
    matching a name with a space. Owners always come from our own parse.
    """

    def __init__(self, rules: tuple[Rule, ...], *, enabled: bool = True) -> None:
        usable = [rule for rule in rules if rule.valid] if enabled else []
        self._compiled = [(path_to_regex(rule.pattern), rule) for rule in reversed(usable)]

    def rule_for(self, path: str) -> Rule | None:
        """The last valid rule matching a repository-relative path (no leading ``/``)."""
        return next((rule for regex, rule in self._compiled if regex.search(path)), None)

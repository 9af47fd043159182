"""Linting CODEOWNERS text, and finding the file GitHub would use."""

from __future__ import annotations

from pathlib import Path

import pytest

from vending.codeowners import find_codeowners, lint_codeowners
from vending.codeowners.syntax import pattern_problems
from vending.errors import Finding

VALID = """\
# Owners of the trunk.
*                      @org/platform-admins   # everything else
/subscriptions/dev/    @org/platform-dev @alice
/subscriptions/prod/   @org/platform-prod ops@example.com
*.md                   @Bob-99 docs@sub.example.org
docs/*                 @user_emu
/unowned/
my\\ notes.txt          @alice
"""


def test_valid_file_is_clean() -> None:
    assert lint_codeowners(VALID, "CODEOWNERS") == []


def test_empty_file_is_clean() -> None:
    assert lint_codeowners("", "CODEOWNERS") == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("!vendor/ @a", "'!' negation is not supported"),
        ("*.[ch] @a", "'[ ]' character ranges are not supported"),
        ("docs/] @a", "'[ ]' character ranges are not supported"),
        ("[Section]", "GitLab sections"),
        ("^[Section][2] @a", "GitLab sections"),
        ("\\#issues @a", "'\\#' escapes are not supported"),
        ("/ @a", "empty pattern"),
        ("a\0b @a", "NUL character"),
        ("* alice", "'alice' is not an owner: use @user, @org/team or an email address"),
        ("* @-alice", "'@-alice' is not a valid GitHub user"),
        ("* @alice-", "'@alice-' is not a valid GitHub user"),
        ("* @al--ice", "'@al--ice' is not a valid GitHub user"),
        ("* @a.b", "'@a.b' is not a valid GitHub user"),
        ("* @" + "a" * 40, "is not a valid GitHub user"),
        ("* @", "'@' is not a valid GitHub user"),
        ("* @org/", "'@org/' is not a valid team"),
        ("* @org/team/extra", "'@org/team/extra' is not a valid team"),
        ("* @-org/team", "'@-org/team' is not a valid team"),
        ("* @org/-team", "'@org/-team' is not a valid team"),
        ("* user@", "'user@' is not a valid email address"),
        ("* user@localhost", "'user@localhost' is not a valid email address"),
        ("* a@b@c.com", "'a@b@c.com' is not a valid email address"),
        ("* @x#y", "'@x#y' is not a valid GitHub user"),
    ],
)
def test_rejected_construct(line: str, expected: str) -> None:
    findings = lint_codeowners(f"* @ok\n\n{line}\n", "CODEOWNERS")
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.file, finding.field, finding.line) == ("CODEOWNERS", "line 3", 3)
    assert expected in finding.message


def test_every_problem_is_reported() -> None:
    findings = lint_codeowners("!a bob\n* @ok\n[x].txt @-y carol\n", "CO")
    expected = [(1, "'!'"), (1, "'bob'"), (3, "'[ ]'"), (3, "'@-y'"), (3, "'carol'")]
    assert len(findings) == len(expected)
    for finding, (line, start) in zip(findings, expected, strict=True):
        assert finding.line == line
        assert finding.message.startswith(start)


def test_oversized_file_is_reported() -> None:
    text = "* @a\n" + "#" * (3 * 1024 * 1024)
    findings = lint_codeowners(text, ".github/CODEOWNERS")
    assert findings == [
        Finding(
            file=".github/CODEOWNERS",
            field="",
            message=f"file is {len(text)} bytes; GitHub ignores a CODEOWNERS file of 3 MB or more",
        )
    ]


def test_pattern_that_is_empty_string() -> None:
    assert pattern_problems("") == ["empty pattern: it names no path"]


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        ([".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"], ".github/CODEOWNERS"),
        (["CODEOWNERS", "docs/CODEOWNERS"], "CODEOWNERS"),
        (["docs/CODEOWNERS"], "docs/CODEOWNERS"),
    ],
)
def test_find_codeowners_order(tmp_path: Path, present: list[str], expected: str) -> None:
    for name in present:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("* @a\n")
    assert find_codeowners(tmp_path) == tmp_path / expected


def test_find_codeowners_none(tmp_path: Path) -> None:
    (tmp_path / ".github" / "CODEOWNERS").mkdir(parents=True)
    assert find_codeowners(tmp_path) is None

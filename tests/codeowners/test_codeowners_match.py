"""GitHub matching semantics: the public vectors, precedence and the fixed package gaps."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vending.codeowners import owners_of, parse_codeowners

VECTORS = [
    ("*", "README.md", True),
    ("*", "src/app/main.py", True),
    ("*.js", "src/web/app.js", True),
    ("*.js", "app.jsx", False),
    ("/build/logs/", "build/logs/2024/01/app.log", True),
    ("/build/logs/", "src/build/logs/app.log", False),
    ("docs/*", "docs/getting-started.md", True),
    ("apps/", "services/apps/api/main.py", True),
    ("/docs/", "docs/guide/intro.md", True),
    ("/docs/", "src/docs/readme.md", False),
    ("**/logs", "deeply/nested/logs/x.log", True),
    ("**/logs", "logs/x.log", True),
    ("/infra/terraform/", "infra/terraform/prod/main.tf", True),
    ("/infra/terraform/", "infra/terraform.tf", False),
    ("infra/*/main.tf", "infra/prod/main.tf", True),
    ("infra/*/main.tf", "x/infra/prod/main.tf", False),
    ("infra/**/main.tf", "infra/main.tf", True),
    ("infra/**/main.tf", "infra/prod/eu/main.tf", True),
    ("/README.md", "docs/README.md", False),
    ("README.md", "docs/README.md", True),
    ("v?.tf", "v1.tf", True),
    ("docs", "x/docs/a.md", True),
    ("/docs", "x/docs/a.md", False),
    ("/apps/*", "apps/a.rb", True),
    ("*.md", "docs/.hidden.md", True),
    # Not in the table but stated in the reference text.
    ("docs/*", "docs/sub/file", False),
    ("/apps/*", "apps/sub/a.rb", False),
    ("*.MD", "README.md", False),
]


@pytest.mark.parametrize(("pattern", "path", "matches"), VECTORS)
def test_public_vector(pattern: str, path: str, matches: bool) -> None:
    parsed = parse_codeowners(f"{pattern} @owner\n")
    assert owners_of(parsed, path) == (("@owner",) if matches else ())


GITHUB_EXAMPLE = """\
# In this example, the global owners come first.
*       @global-owner1 @global-owner2
*.js    @js-owner
/apps/  @octocat
/apps/github
"""


@pytest.mark.parametrize(
    ("path", "owners"),
    [
        ("src/a.js", ("@js-owner",)),
        ("src/a.css", ("@global-owner1", "@global-owner2")),
        ("apps/web/x.rb", ("@octocat",)),
        ("apps/github/x.rb", ()),
        ("apps/web/x.js", ("@octocat",)),
    ],
)
def test_last_matching_line_wins(path: str, owners: tuple[str, ...]) -> None:
    assert owners_of(parse_codeowners(GITHUB_EXAMPLE), path) == owners


def test_order_not_specificity_decides() -> None:
    parsed = parse_codeowners("/apps/web/ @specific\n/apps/ @broad\n")
    assert owners_of(parsed, "apps/web/x.rb") == ("@broad",)


def test_no_matching_rule_is_unowned() -> None:
    assert owners_of(parse_codeowners("/docs/ @writer\n"), "src/main.py") == ()


def test_query_path_with_leading_slash() -> None:
    parsed = parse_codeowners("/apps/ @octocat\n*.js @js\n")
    assert owners_of(parsed, "/apps/x.rb") == ("@octocat",)
    assert owners_of(parsed, "/src/a.js") == ("@js",)
    assert owners_of(parsed, "/") == ()


def test_owner_lookalikes_in_trailing_comment_are_ignored() -> None:
    parsed = parse_codeowners("* @x # mail me@example.com or @someone/else\n")
    assert parsed.rules[0].owners == ("@x",)
    assert owners_of(parsed, "README.md") == ("@x",)


def test_comment_lines_and_blank_lines_are_dropped_with_line_numbers_kept() -> None:
    parsed = parse_codeowners("# header\n\n   \n* @a\n  # indented comment\n/x/ @b\r\n")
    assert [(rule.line, rule.pattern, rule.owners) for rule in parsed.rules] == [
        (4, "*", ("@a",)),
        (6, "/x/", ("@b",)),
    ]


@pytest.mark.parametrize(
    ("line", "path"),
    [
        ("!secret.txt @attacker", "!secret.txt"),
        ("[ab].txt @attacker", "a.txt"),
        ("[ab].txt @attacker", "[ab].txt"),
        ("\\#notes @attacker", "#notes"),
        ("/docs/ not-an-owner", "docs/x.md"),
        ("/docs/ @bad--user", "docs/x.md"),
    ],
)
def test_lines_github_rejects_are_skipped(line: str, path: str) -> None:
    parsed = parse_codeowners(f"* @admins\n{line}\n")
    assert not parsed.rules[1].valid
    assert owners_of(parsed, path) == ("@admins",)


def test_gitlab_sections_are_not_interpreted() -> None:
    parsed = parse_codeowners("[Docs]\n/docs/ @writer\n")
    assert not parsed.rules[0].valid
    assert owners_of(parsed, "docs/a.md") == ("@writer",)


@pytest.mark.parametrize(
    ("line", "path", "matches"),
    [
        ("docs/*.md @a", "docs/my notes.md", True),
        ("v?.tf @a", "v .tf", True),
        ("my\\ file @a", "sub/my file", True),
        ("my\\ file @a", "my file", True),
        ("/docs/* @a", "docs/a b/c.md", False),
    ],
)
def test_names_with_spaces(line: str, path: str, matches: bool) -> None:
    assert owners_of(parse_codeowners(line), path) == (("@a",) if matches else ())


def test_matching_is_case_sensitive() -> None:
    parsed = parse_codeowners("/Docs/ @a\n")
    assert owners_of(parsed, "Docs/x") == ("@a",)
    assert owners_of(parsed, "docs/x") == ()


def test_oversized_file_owns_nothing() -> None:
    text = "* @a\n" + "# padding\n" * (3 * 1024 * 1024 // 10 + 1)
    parsed = parse_codeowners(text)
    assert parsed.oversized
    assert owners_of(parsed, "README.md") == ()


_SEGMENT = st.text(alphabet=st.characters(exclude_characters="/", codec="utf-8"), min_size=1, max_size=12)
_PATHS = st.lists(_SEGMENT, min_size=1, max_size=6).map("/".join)

_VARIED = parse_codeowners("* @a\n*.js @b\n/apps/ @c\ndocs/* @d\n**/logs @e\ninfra/**/main.tf @f\nv?.tf @g\n/none\n")


@given(_PATHS)
def test_any_path_is_answered(path: str) -> None:
    owners = owners_of(_VARIED, path)
    assert isinstance(owners, tuple)
    assert owners_of(_VARIED, "/" + path) == owners


@given(_PATHS)
def test_star_owns_everything(path: str) -> None:
    assert owners_of(parse_codeowners("* @everyone\n"), path) == ("@everyone",)

"""``vending diff --markdown``: a pull-request comment that hostile values cannot break, bounded in size for
any number of requests, never cutting a table, and carrying the review binding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from testing.cli import run_cli
from testing.requests import request_data, write_yaml
from testing.trunks import make_trunk

from vending.errors import Finding
from vending.fleet.diff import DiffReport, FieldChange, Kind, RequestDiff
from vending.fleet.diffmarkdown import LIMIT, render_markdown

HOSTILE = (
    "a|b`c<script>x</script>\n::error::boom\r\n"
    "##vso[task.complete result=Failed;]done [x](https://e.test) @org/team *y*"
)
BINDING = "diff-sha256:" + "0" * 64


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def assert_inert(markdown: str) -> None:
    """No value reached the comment as markup: every table row has its own four cells, nothing else."""
    for row in table_rows(markdown):
        assert row.count("|") - row.count("\\|") == 5, row
    for forbidden in ("<script", "</script", "##vso[", "](", "@org", "`c"):
        assert forbidden not in markdown
    assert "##" not in markdown and not any(line.lstrip().startswith("::") for line in markdown.splitlines())


def synthetic(count: int, *, tag: str = "v") -> DiffReport:
    changes = tuple(
        RequestDiff(
            f"requests/team-{i:05}.yaml",
            f"team-{i:05}",
            "dev",
            Kind.UPDATE,
            (FieldChange("tags", {"cost": "1"}, {"cost": tag}), FieldChange("displayName", "Old name", "New name")),
        )
        for i in range(count)
    )
    return DiffReport(changes, BINDING, "a" * 40)


def test_a_hostile_tag_value_cannot_break_the_table_or_inject_markup(tmp_path: Path) -> None:
    remote = make_trunk(tmp_path)
    path = write_yaml(tmp_path / "team-a.yaml", request_data("team-a", tags={"cost": "1", "note": HOSTILE[:256]}))
    result = run_cli("diff", path, "--trunk", remote, "--markdown")
    markdown = result.stdout
    assert result.code == 0 or "tags" in result.stderr, result.stderr
    assert "| tags |" in markdown
    assert_inert(markdown)


def test_escaping_is_applied_to_every_column_and_the_errors() -> None:
    change = RequestDiff(
        HOSTILE,
        HOSTILE,
        HOSTILE,
        Kind.REFUSED,
        (FieldChange(HOSTILE, HOSTILE, {HOSTILE: HOSTILE}, reason=HOSTILE),),
        (Finding(HOSTILE, HOSTILE, HOSTILE),),
    )
    markdown = render_markdown(DiffReport((change,), BINDING, HOSTILE, identity=HOSTILE))
    assert_inert(markdown)
    assert "&#124;" in markdown and "&#60;script&#62;" in markdown


@pytest.mark.parametrize("count", [1, 50, 400, 5000])
def test_any_number_of_requests_fits_one_comment(count: int) -> None:
    markdown = render_markdown(synthetic(count, tag="x" * 150))
    assert len(markdown) <= LIMIT
    assert markdown.startswith("<!-- vending-diff -->")
    assert f"| 0 | {count} | 0 | 0 |" in markdown
    assert markdown.rstrip().endswith(f"Review binding: `{BINDING}`")
    shown = markdown.count("\nFile: ")
    assert shown < count if count >= 400 else shown == count
    if shown < count:
        assert f"… {count - shown} more requests not shown; run vending diff locally." in markdown
    else:
        assert "more requests not shown" not in markdown
    for section in markdown.split("\nFile: ")[1:]:
        body = section.split("\n… ")[0].split("Computed against")[0]
        assert len(table_rows(body)) == 4, "a request's table was cut"


def test_unchanged_requests_are_listed_together() -> None:
    changes = tuple(RequestDiff(f"r{i}.yaml", f"team-{i}", "dev", Kind.UNCHANGED) for i in range(3))
    markdown = render_markdown(DiffReport(changes, BINDING))
    assert "**unchanged (3)**\n\nteam-0, team-1, team-2\n" in markdown
    assert "| 0 | 0 | 3 | 0 |" in markdown and "Computed against the trunk as read." in markdown


def test_a_ci_host_prints_the_comment_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The log guard rewrites ``##`` and leading ``::`` on CI hosts: the comment holds neither."""
    remote = make_trunk(tmp_path)
    path = write_yaml(tmp_path / "team-a.yaml", request_data("team-a", tags={"x": "##vso[a] ::b"}))
    plain = run_cli("diff", path, "--trunk", remote, "--markdown").stdout
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert run_cli("diff", path, "--trunk", remote, "--markdown").stdout == plain


def test_markdown_carries_the_same_binding_as_the_json(tmp_path: Path) -> None:
    remote = make_trunk(tmp_path)
    path = write_yaml(tmp_path / "team-a.yaml", request_data("team-a"))
    markdown = run_cli("diff", path, "--trunk", remote, "--markdown").stdout
    document = run_cli("diff", path, "--trunk", remote, "--markdown", "--output", "json").json()
    found = re.search(r"diff-sha256:[0-9a-f]{64}", markdown)
    assert found is not None and found.group(0) == document["hash"]
    assert document["markdown"].strip() == markdown.strip()
    assert "Path scope was not judged" in markdown and document["trunkCommit"] in markdown

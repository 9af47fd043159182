"""Host reporting: the Markdown summary, step outputs and writing them to each host."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pipeline_support import parse_ado, parse_github

from vending.errors import Finding
from vending.reporting import Host, ResultRow, emit_host_report, results_document
from vending.reporting.outputs import github_output_block, github_outputs, heredoc_delimiter, output_values
from vending.reporting.summary import SUMMARY_LIMIT_BYTES, summary_markdown

HOSTILE = "100% sure\r\nnext::error::pwned, a;b]c ##vso[task.setvariable variable=x]y %0A %AZP25 :,"
SHA = "0123456789abcdef0123456789abcdef01234567"


# --- summary ----------------------------------------------------------------------------------------


def _cells(line: str) -> list[str]:
    """Split a GFM table row on pipes that are not backslash-escaped."""
    cells, current, chars = [], "", iter(line)
    for char in chars:
        if char == "\\":
            current += char + next(chars, "")
        elif char == "|":
            cells.append(current)
            current = ""
        else:
            current += char
    return [*cells, current][1:-1]


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def test_summary_lists_each_request() -> None:
    rows = [
        ResultRow("app-one", "dev", "committed", SHA, (), "requests/app-one.yaml"),
        ResultRow("app-two", "prod", "unchanged"),
        ResultRow("app-three", "prod", "rejected", None, (Finding("f", "budget.amount", "must be > 0"),)),
    ]
    lines = _table_rows(summary_markdown(rows, [], title="vending submit"))
    assert [cell.strip() for cell in _cells(lines[0])] == [
        "Request",
        "Environment",
        "Status",
        "Commit",
        "Errors",
    ]
    assert [[cell.strip() for cell in _cells(line)] for line in lines[2:]] == [
        ["app-one", "dev", "committed", SHA[:7], ""],
        ["app-two", "prod", "unchanged", "", ""],
        ["app-three", "prod", "rejected", "", "budget.amount: must be &gt; 0"],
    ]


def test_summary_cells_cannot_break_the_table() -> None:
    errors = (Finding("f", "tags.a|b", "line one\nline two | \\| end\\"), Finding("f", "", "second\r\n"))
    rows = [ResultRow("a|b", "dev\n| x | y |", "rejected", None, errors)]
    markdown = summary_markdown(rows, [Finding("x|y.yaml", "z", "w|\nv", 2)])
    tables = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(tables) == 3 + 3
    assert [len(_cells(line)) for line in tables] == [5, 5, 5, 4, 4, 4]
    request_row = _cells(tables[2])
    assert request_row[0].strip() == "a\\|b"
    assert request_row[4].strip() == ("tags.a\\|b: line one<br>line two \\| \\\\\\| end\\\\<br>second<br>")


def test_summary_without_rows_says_so() -> None:
    markdown = summary_markdown([], [Finding("requests/x.yaml", "", "cannot read")])
    assert "No requests were processed." in markdown
    assert "### Findings" in markdown


def test_summary_stays_under_the_github_limit() -> None:
    long_error = (Finding("f", "field", "x" * 2000),)
    rows = [ResultRow(f"app-{index}", "dev", "rejected", None, long_error) for index in range(2000)]
    markdown = summary_markdown(rows, [])
    assert len(markdown.encode()) < SUMMARY_LIMIT_BYTES
    assert "more row(s) left out" in markdown


# --- step outputs -----------------------------------------------------------------------------------


def _parse_output_file(text: str) -> dict[str, str]:
    """Read ``$GITHUB_OUTPUT`` the way the runner does (``name<<DELIM`` blocks)."""
    values: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if not line:
            continue
        name, delimiter = line.split("<<", 1)
        body: list[str] = []
        for body_line in lines:
            if body_line == delimiter:
                break
            body.append(body_line)
        else:
            raise AssertionError(f"unterminated output {name}")
        values[name] = "\n".join(body)
    return values


def test_output_values() -> None:
    rows = [
        ResultRow("app-one", "dev", "committed", SHA),
        ResultRow("app-two", "dev", "unchanged"),
        ResultRow("app-three", "dev", "committed", "f" * 40),
    ]
    values = output_values(rows)
    assert values["committed"] == "app-one app-three"
    assert values["commits"] == f"{SHA} {'f' * 40}"
    assert json.loads(values["results"]) == results_document(rows)
    assert json.loads(values["results"])["results"][1] == {
        "name": "app-two",
        "environment": "dev",
        "status": "unchanged",
        "commit": None,
        "errors": [],
    }


def test_output_values_keep_a_given_document() -> None:
    document = {"results": [{"file": "a.yaml", "name": "a", "valid": True, "errors": []}]}
    assert json.loads(output_values([], document)["results"]) == document


def test_heredoc_delimiter_never_occurs_in_the_value() -> None:
    candidates = iter(["EOF", "vending_taken", "vending_free"])
    value = "first line\nEOF\nvending_taken"
    delimiter = heredoc_delimiter(value, lambda: next(candidates))
    assert delimiter == "vending_free"
    assert _parse_output_file(github_output_block("results", value, delimiter)) == {"results": value}


def test_output_block_refuses_a_delimiter_inside_the_value() -> None:
    with pytest.raises(ValueError, match="delimiter"):
        github_output_block("results", "a\nEOF\nb", "EOF")


# Raw CR never reaches an output: names and SHAs have none and JSON escapes it.
@given(
    st.dictionaries(
        st.sampled_from(["committed", "commits", "results"]),
        st.text(alphabet=st.characters(exclude_characters="\r", exclude_categories=["Cs"])),
    )
)
def test_any_output_values_read_back_unchanged(values: dict[str, str]) -> None:
    text = github_outputs(values)
    assert _parse_output_file(text) == values
    for name, value in values.items():
        delimiter = re.search(rf"^{name}<<(.+)$", text, flags=re.MULTILINE)
        assert delimiter is not None
        assert delimiter.group(1) not in value


# --- emitting to a host -----------------------------------------------------------------------------

ROWS = [
    ResultRow("app-one", "dev", "committed", SHA, (), "requests/app-one.yaml"),
    ResultRow(
        "app-two",
        "dev",
        "rejected",
        None,
        (Finding("", "budget.thresholds[1]", f"too high\n{HOSTILE}", 9),),
        "requests/app-two.yaml",
    ),
]
LOOSE = [Finding("requests/app-three.yaml", "", "cannot be read")]


def test_emit_to_github(tmp_path: Path) -> None:
    summary, outputs = tmp_path / "summary.md", tmp_path / "output"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs)}
    stream = io.StringIO()
    emit_host_report(Host.GITHUB, ROWS, LOOSE, env, stream, title="vending submit")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0] == "::error file=requests/app-three.yaml,title=vending::cannot be read"
    _name, properties, message = parse_github(lines[1])
    assert properties == {"file": "requests/app-two.yaml", "line": "9", "title": "budget.thresholds[1]"}
    assert message == f"too high\n{HOSTILE}"
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## vending submit\n")
    assert "cannot be read" in written
    values = _parse_output_file(outputs.read_text(encoding="utf-8"))
    assert values["committed"] == "app-one"
    assert values["commits"] == SHA
    assert json.loads(values["results"]) == results_document(ROWS)


def test_emit_to_github_warns_when_a_file_cannot_be_written(tmp_path: Path) -> None:
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path), "GITHUB_OUTPUT": str(tmp_path / "missing" / "output")}
    stream = io.StringIO()
    emit_host_report(Host.GITHUB, [], [], env, stream)
    lines = stream.getvalue().splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::warning", "::warning"]
    assert "GITHUB_STEP_SUMMARY" in lines[0]
    assert "GITHUB_OUTPUT" in lines[1]


def test_emit_to_azure_devops(tmp_path: Path) -> None:
    stream = io.StringIO()
    emit_host_report(Host.AZURE_DEVOPS, ROWS, LOOSE, {"AGENT_TEMPDIRECTORY": str(tmp_path)}, stream)
    commands = [parse_ado(line) for line in stream.getvalue().splitlines()]
    assert [name for name, _, _ in commands] == ["task.logissue"] * 2 + ["task.uploadsummary"] + [
        "task.setvariable"
    ] * 3
    assert commands[1][1]["sourcepath"] == "requests/app-two.yaml"
    assert commands[1][2] == f"budget.thresholds[1]: too high\n{HOSTILE}"
    summary = Path(commands[2][2])
    assert summary.is_absolute()
    assert summary.parent == tmp_path.resolve()
    assert "| app-one | dev | committed | 0123456 |" in summary.read_text(encoding="utf-8")
    outputs = {properties["variable"]: value for _, properties, value in commands[3:]}
    assert outputs["committed"] == "app-one"
    assert json.loads(outputs["results"]) == results_document(ROWS)


def test_emit_annotates_a_finding_once_even_when_given_twice() -> None:
    error = Finding("requests/a.yaml", "name", "taken")
    rows = [ResultRow("a", "dev", "rejected", None, (error,), "requests/a.yaml")]
    stream = io.StringIO()
    emit_host_report(Host.GITHUB, rows, [error], {}, stream)
    assert stream.getvalue().splitlines() == ["::error file=requests/a.yaml,title=name::taken"]


def test_emit_on_a_plain_host_does_nothing(tmp_path: Path) -> None:
    stream = io.StringIO()
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "s"), "AGENT_TEMPDIRECTORY": str(tmp_path)}
    emit_host_report(Host.PLAIN, ROWS, LOOSE, env, stream)
    assert stream.getvalue() == ""
    assert list(tmp_path.iterdir()) == []

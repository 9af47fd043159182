"""The Markdown summary of a command: one table row per request, then unattached findings."""

from __future__ import annotations

from collections.abc import Sequence

from vending.errors import Finding
from vending.reporting.rows import ResultRow

SHORT_SHA = 7
SUMMARY_LIMIT_BYTES = 1_000_000
"""GitHub accepts at most 1 MiB of summary per step; stay below it."""

_CELL_ESCAPES = (
    ("\\", "\\\\"),
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ("|", "\\|"),
    ("\r\n", "<br>"),
    ("\r", "<br>"),
    ("\n", "<br>"),
)


def escape_cell(text: str) -> str:
    """Text that stays inside one table cell and renders literally."""
    for old, new in _CELL_ESCAPES:
        text = text.replace(old, new)
    return text


def _row_line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(escape_cell(cell) for cell in cells) + " |"


def _error_text(errors: Sequence[Finding]) -> str:
    return "\n".join(f"{error.field}: {error.message}" if error.field else error.message for error in errors)


def _result_cells(row: ResultRow) -> list[str]:
    commit = row.commit[:SHORT_SHA] if row.commit else ""
    return [row.name, row.environment, row.status, commit, _error_text(row.errors)]


def _finding_cells(finding: Finding) -> list[str]:
    line = "" if finding.line is None else str(finding.line)
    return [finding.file, line, finding.field, finding.message]


def _table(header: Sequence[str], body: Sequence[str], budget: int) -> list[str]:
    lines = [_row_line(header), "|" + " --- |" * len(header)]
    used = sum(len(line.encode()) + 1 for line in lines)
    for index, line in enumerate(body):
        used += len(line.encode()) + 1
        if used > budget:
            lines.append(f"\n… {len(body) - index} more row(s) left out (summary size limit).")
            break
        lines.append(line)
    return lines


def summary_markdown(rows: Sequence[ResultRow], findings: Sequence[Finding], title: str = "vending") -> str:
    """The summary document; ``findings`` holds those not already listed on a row."""
    budget = SUMMARY_LIMIT_BYTES // 2
    lines = [f"## {escape_cell(title)}", ""]
    if rows:
        body = [_row_line(_result_cells(row)) for row in rows]
        lines += _table(["Request", "Environment", "Status", "Commit", "Errors"], body, budget)
    else:
        lines.append("No requests were processed.")
    if findings:
        body = [_row_line(_finding_cells(finding)) for finding in findings]
        lines += ["", "### Findings", "", *_table(["File", "Line", "Field", "Message"], body, budget)]
    return "\n".join(lines) + "\n"

"""Present a verdict: a table for people, one JSON document for machines."""

from __future__ import annotations

from vending.semver_guard.difference import highest
from vending.semver_guard.guard import Verdict

HEADERS = ("LEVEL", "AREA", "WHERE", "CHANGE")


def text_report(verdict: Verdict) -> list[str]:
    """Lines of the table of differences, then the bump summary."""
    lines = [f"interface check against {verdict.against}: VERSION {verdict.released} -> {verdict.current}"]
    rows = [(d.level.label, d.area, d.where, d.change) for d in verdict.differences]
    if rows:
        widths = [max(len(row[index]) for row in [HEADERS, *rows]) for index in range(3)]
        for row in [HEADERS, *rows]:
            lines.append(
                "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]
            )
    else:
        lines.append("no interface differences")
    actual = verdict.actual.label if verdict.actual is not None else "backwards"
    lines.append(
        f"change: {highest(verdict.differences).label}; required bump: {verdict.required.label}; actual bump: {actual}"
    )
    lines.append("ok" if verdict.ok else "FAILED")
    return lines


def problem_lines(verdict: Verdict) -> list[str]:
    return [f"error: {problem}" for problem in verdict.problems]

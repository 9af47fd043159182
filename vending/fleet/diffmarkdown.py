"""``vending diff --markdown``: one pull-request comment of bounded size for any number of requests.

Every value from a request reaches the comment through :func:`cell`, which keeps a small set of plain
characters and writes every other one as an HTML character reference: a hostile tag value cannot end a
table cell, open a code span, a link, an HTML element or a mention, or start a CI log command.
Sections are added whole or not at all, so no table or construct is ever cut in half. Titles are bold lines,
not headings: no line holds ``##``, which a CI host's log guard would rewrite.
"""

from __future__ import annotations

import json
from typing import Any

from vending.fleet.diff import DiffReport, FieldChange, Kind, RequestDiff

LIMIT = 60_000
MARKER = "<!-- vending-diff -->"
CELL_CHARS = 160
SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;/=+-'\"")


def cell(value: Any, limit: int = CELL_CHARS) -> str:
    """A value as safe table-cell text: JSON for structures, shortened with an ellipsis, escaped."""
    text = "—" if value is None else value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join(char if char in SAFE or char in "—…" else f"&#{ord(char)};" for char in text)


def render_markdown(report: DiffReport, limit: int = LIMIT) -> str:
    """The whole comment, at most ``limit`` characters: head, as many request sections as fit, foot."""
    head = _head(report)
    sections = [(_section(change), 1) for change in report.changes if change.kind is not Kind.UNCHANGED]
    unchanged = [change for change in report.changes if change.kind is Kind.UNCHANGED]
    if unchanged:
        sections.append((_unchanged(unchanged), len(unchanged)))
    foot = _foot(report)
    budget = limit - len(head) - len(foot) - len(_cut_note(len(report.changes)))
    shown: list[str] = []
    for text, _ in sections:
        if len(text) > budget:
            break
        shown.append(text)
        budget -= len(text)
    hidden = sum(count for _, count in sections[len(shown) :])
    return head + "".join(shown) + _cut_note(hidden) + foot


def _head(report: DiffReport) -> str:
    counts = report.counts()
    lines = [
        MARKER,
        "**vending diff**",
        "",
        "| create | update | unchanged | refused |",
        "|---:|---:|---:|---:|",
        f"| {counts['create']} | {counts['update']} | {counts['unchanged']} | {counts['refused']} |",
        "",
    ]
    if report.identity is None:
        lines += ["Path scope was not judged (no identity given).", ""]
    else:
        lines += [f"Path scope judged for {cell(report.identity)}.", ""]
    return "\n".join(lines) + "\n"


def _section(change: RequestDiff) -> str:
    title = f"**{cell(change.name or change.source)} ({cell(change.environment)}): {change.kind}**"
    lines = [title, "", f"File: {cell(change.source)}", ""]
    if change.fields:
        lines += ["| field | from | to | effect |", "|---|---|---|---|"]
        lines += [_row(field) for field in change.fields]
        lines.append("")
    elif change.kind is Kind.UPDATE:
        lines += ["No request field changes; its rendered files change (a re-render).", ""]
    if change.errors:
        lines += [f"- {cell(f.field or 'request')}: {cell(f.message, 400)}" for f in change.errors]
        lines.append("")
    return "\n".join(lines) + "\n"


def _row(change: FieldChange) -> str:
    effect = change.effect if change.reason is None else f"refused: {cell(change.reason, 400)}"
    return f"| {cell(change.field)} | {cell(change.before)} | {cell(change.after)} | {effect} |"


def _unchanged(changes: list[RequestDiff]) -> str:
    names = ", ".join(cell(change.name or change.source) for change in changes)
    return f"**unchanged ({len(changes)})**\n\n{names}\n\n"


def _cut_note(hidden: int) -> str:
    return f"… {hidden} more requests not shown; run vending diff locally.\n\n" if hidden else ""


def _foot(report: DiffReport) -> str:
    commit = f"trunk commit {cell(report.trunk_commit)}" if report.trunk_commit else "the trunk as read"
    return f"Computed against {commit}. Review binding: `{report.hash}`\n"

"""Helpers shared by the commands: output mode, guarded printing and the CI host's report."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import click

from vending.errors import Finding
from vending.reporting import ResultRow, detect_host, emit_host_report, guard_json, guard_text


def output_mode() -> str:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and "output" in ctx.obj:
            return str(ctx.obj["output"])
        ctx = ctx.parent
    return "text"


def _host() -> Any:
    return detect_host(os.environ)


def print_json(document: Any) -> None:
    """One JSON document on stdout, guarded so that no CI host reads a command out of it."""
    click.echo(guard_json(document, _host()))


def echo(text: str, err: bool = False) -> None:
    """A line for people, guarded against CI logging commands hidden in request values."""
    click.echo(guard_text(text, _host()), err=err)


def note(message: str) -> None:
    """A human-facing line on stderr (text mode only)."""
    if output_mode() == "text":
        echo(message, err=True)


def report_to_host(
    rows: Sequence[ResultRow], findings: Sequence[Finding], title: str, document: Mapping[str, object] | None = None
) -> None:
    """Annotations, summary and step outputs on GitHub Actions or Azure DevOps; nothing elsewhere.
    Logging commands go to stderr when stdout carries the JSON document."""
    stream = sys.stderr if output_mode() == "json" else sys.stdout
    emit_host_report(_host(), rows, findings, os.environ, stream, document=document, title=title)

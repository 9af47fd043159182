"""Helpers shared by the commands: output mode and result printing."""

from __future__ import annotations

import json
from typing import Any

import click


def output_mode() -> str:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and "output" in ctx.obj:
            return str(ctx.obj["output"])
        ctx = ctx.parent
    return "text"


def print_json(document: Any) -> None:
    click.echo(json.dumps(document, indent=2, sort_keys=False))


def note(message: str) -> None:
    """A human-facing line on stderr (text mode only)."""
    if output_mode() == "text":
        click.echo(message, err=True)

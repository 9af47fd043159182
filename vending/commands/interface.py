"""``vending interface``: the request's JSON Schema and the semver guard."""

from __future__ import annotations

import json

import click

from vending.schema import request_json_schema


@click.group("interface")
def interface_group() -> None:
    """The versioned interface: request schema and compatibility checks."""


@interface_group.command("schema")
def schema_command() -> int:
    """Print the JSON Schema of a request file."""
    click.echo(json.dumps(request_json_schema(), indent=2, sort_keys=True))
    return 0

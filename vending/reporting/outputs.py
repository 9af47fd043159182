"""Step outputs: ``committed``, ``commits`` and ``results``, and how each host receives them."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping, Sequence

from vending.reporting.rows import ResultRow, committed_rows, results_document


def output_values(rows: Sequence[ResultRow], document: Mapping[str, object] | None = None) -> dict[str, str]:
    """Names and SHAs of committed requests (space-separated) and the JSON document, on one line."""
    committed = committed_rows(rows)
    return {
        "committed": " ".join(row.name for row in committed),
        "commits": " ".join(row.commit for row in committed if row.commit),
        "results": json.dumps(results_document(rows) if document is None else document, sort_keys=True),
    }


def _random_token() -> str:
    return f"vending_{secrets.token_hex(16)}"


def heredoc_delimiter(value: str, token: Callable[[], str] = _random_token) -> str:
    """A delimiter that occurs nowhere in ``value``."""
    while True:
        delimiter = token()
        if delimiter not in value:
            return delimiter


def github_output_block(name: str, value: str, delimiter: str) -> str:
    """``name<<DELIM`` / value / ``DELIM``, as ``$GITHUB_OUTPUT`` expects for any value."""
    if delimiter in value or delimiter in name:
        raise ValueError("the heredoc delimiter occurs in the output")
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def github_outputs(values: Mapping[str, str], token: Callable[[], str] = _random_token) -> str:
    return "".join(github_output_block(name, value, heredoc_delimiter(value, token)) for name, value in values.items())

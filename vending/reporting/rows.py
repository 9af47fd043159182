"""One row per request in a command's outcome, and the JSON document built from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vending.errors import Finding

COMMITTED = "committed"


@dataclass(frozen=True)
class ResultRow:
    """The outcome for one request.

    ``status`` is ``committed``, ``unchanged`` or ``rejected`` for ``submit``
    (``valid`` or ``invalid`` when reporting ``validate``).
    """

    name: str
    environment: str
    status: str
    commit: str | None = None
    errors: tuple[Finding, ...] = ()
    file: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "environment": self.environment,
            "status": self.status,
            "commit": self.commit,
            "errors": [{"field": error.field, "message": error.message} for error in self.errors],
        }


def results_document(rows: Sequence[ResultRow]) -> dict[str, object]:
    """The ``submit --output json`` document: ``{"results": [...]}``."""
    return {"results": [row.as_dict() for row in rows]}


def committed_rows(rows: Sequence[ResultRow]) -> list[ResultRow]:
    return [row for row in rows if row.status == COMMITTED]

"""Native reporting to the CI host: annotations, a Markdown summary and step outputs."""

from __future__ import annotations

from vending.reporting.emit import emit_host_report
from vending.reporting.guard import guard_json, guard_text
from vending.reporting.host import Host, detect_host
from vending.reporting.rows import ResultRow, results_document

__all__ = [
    "Host",
    "ResultRow",
    "detect_host",
    "emit_host_report",
    "guard_json",
    "guard_text",
    "results_document",
]

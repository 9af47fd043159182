"""CODEOWNERS: parsing, GitHub path matching, lint and generation of the trunk's file.

Patterns are translated to regular expressions by the ``codeowners`` package (a port of
GitHub-compatible matching); the parsing and matching around it are our own, so that trailing
comments never yield owners, lines GitHub rejects (``!``, ``[ ]``, ``\\#``, invalid owners)
are skipped rather than taken literally, names with spaces match, and a query path may start
with ``/``.
"""

from __future__ import annotations

from vending.codeowners.match import owners_of, unauthorized_paths
from vending.codeowners.model import MAX_BYTES, CodeOwnersFile, Rule
from vending.codeowners.parse import LOCATIONS, find_codeowners, lint_codeowners, parse_codeowners
from vending.codeowners.render import ADMIN_ONLY, render_codeowners

__all__ = [
    "ADMIN_ONLY",
    "LOCATIONS",
    "MAX_BYTES",
    "CodeOwnersFile",
    "Rule",
    "find_codeowners",
    "lint_codeowners",
    "owners_of",
    "parse_codeowners",
    "render_codeowners",
    "unauthorized_paths",
]

"""Printing user-controlled text on a CI host without it being read as a host command.

The Azure Pipelines agent acts on ``##vso[`` anywhere in a line of a step's output; the GitHub
runner acts on lines that start with ``::``. Request values (names, file names, messages that
quote input) reach the log through findings and JSON documents, so they pass through here first.
"""

from __future__ import annotations

import json
import re
from typing import Any

from vending.reporting.host import Host

_WORD_JOINER = "\u2060"
_AZURE_DEVOPS_PREFIX = re.compile(r"#(?=#)")
_GITHUB_COMMAND_START = re.compile(r"^(\s*):(?=:)", flags=re.MULTILINE)


def guard_text(text: str, host: Host) -> str:
    """``text`` with every would-be command broken by an invisible word joiner."""
    if host is Host.AZURE_DEVOPS:
        return _AZURE_DEVOPS_PREFIX.sub(f"#{_WORD_JOINER}", text)
    if host is Host.GITHUB:
        return _GITHUB_COMMAND_START.sub(rf"\1:{_WORD_JOINER}", text)
    return text


def guard_json(document: Any, host: Host, indent: int | None = 2, *, sort_keys: bool = False) -> str:
    """JSON that parses to the same document but contains no command on any host.

    ``#`` only occurs inside JSON strings, where ``\\u0023`` means the same character; no line of
    the output can start with ``::`` because every line starts with a bracket, a quote or spaces.
    """
    text = json.dumps(document, indent=indent, sort_keys=sort_keys)
    return text.replace("#", "\\u0023") if host is Host.AZURE_DEVOPS else text

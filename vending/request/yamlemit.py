"""A fast writer for the plain documents vending renders, byte for byte what the libyaml dumper writes.

It handles mappings, sequences, whole numbers, booleans, null and strings made only of letters, digits and
``_./@+=?-:`` (a letter, digit, ``_``, ``/`` or ``.`` first, but not ``...``; no ``:`` before a space or
at the end; single spaces between words), at most 1,000 characters long: strings the dumper writes plain,
or in single quotes when a YAML 1.1 or 1.2 reader would take them for something else. For anything else
it answers None and the caller uses the dumper; a test compares both on generated documents. The rendered
files are still read back by the self-checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import yaml
from yaml.nodes import ScalarNode

_SIMPLE = re.compile(r"(?!\.\.\.)[A-Za-z0-9_/.](?:[A-Za-z0-9_./@+=?-]|:(?=[^ ])| (?=[A-Za-z0-9_./@+=?-]))*")
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


class _Unsure(Exception):
    """A value outside what this writer is sure to write as the dumper does."""


def fast_dump(data: Mapping[str, Any], yaml12_implicit: re.Pattern[str]) -> str | None:
    """The block-style document libyaml writes for ``data`` (keys in order, width 4096, unicode allowed,
    strings YAML 1.2 would read as non-strings single-quoted), or None when unsure."""
    lines: list[str] = []
    try:
        _mapping(data, 0, lines, yaml12_implicit)
    except _Unsure:
        return None
    return "".join(lines) if lines else None


def _mapping(data: Mapping[str, Any], indent: int, lines: list[str], implicit: re.Pattern[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        if type(key) is not str or len(key) > 100:
            raise _Unsure
        head = f"{pad}{_scalar(key, implicit)}:"
        if isinstance(value, Mapping) and value:
            lines.append(head + "\n")
            _mapping(value, indent + 2, lines, implicit)
        elif isinstance(value, list | tuple) and value:
            lines.append(head + "\n")
            _sequence(value, indent, lines, implicit)
        else:
            lines.append(f"{head} {_leaf(value, implicit)}\n")


def _sequence(items: Any, indent: int, lines: list[str], implicit: re.Pattern[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, Mapping | list | tuple) and item:
            start = len(lines)
            if isinstance(item, Mapping):
                _mapping(item, indent + 2, lines, implicit)
            else:
                _sequence(item, indent + 2, lines, implicit)
            lines[start] = f"{pad}- {lines[start][indent + 2 :]}"
        else:
            lines.append(f"{pad}- {_leaf(item, implicit)}\n")


def _leaf(value: Any, implicit: re.Pattern[str]) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if type(value) is str:
        return _scalar(value, implicit)
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list | tuple):
        return "[]"
    raise _Unsure


def _scalar(value: str, implicit: re.Pattern[str]) -> str:
    written = _string(value, implicit)
    if written is None:
        raise _Unsure
    return written


def _resolved(value: str) -> str:
    """The tag a YAML 1.1 reader gives ``value`` written plain."""
    return str(_RESOLVER.resolve(ScalarNode, value, (True, False)))  # type: ignore[no-untyped-call]


@lru_cache(maxsize=4096)
def _string(value: str, implicit: re.Pattern[str]) -> str | None:
    if value == "":
        return "''"
    if len(value) > 1000 or not _SIMPLE.fullmatch(value):
        return None
    if implicit.match(value) or _resolved(value) != _STR_TAG:
        return f"'{value}'"
    return value

"""HCL literals: the only way a value reaches a rendered ``.tf`` file."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_KEYWORDS = frozenset({"true", "false", "null", "for", "in", "if", "else", "endif", "endfor"})
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


_PLAIN_STRING = re.compile(r'[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029$%]*')
"""Strings that need no escape at all (most): quoted as they are."""


def hcl_string(value: str) -> str:
    """A quoted HCL string literal that reads back as exactly ``value``: no interpolation, no directive."""
    if _PLAIN_STRING.fullmatch(value):
        return f'"{value}"'
    out = ['"']
    index = 0
    while index < len(value):
        char = value[index]
        pair = value[index : index + 2]
        if pair in ("${", "%{"):
            out.append(f"\\u{ord(char):04x}{{")
            index += 2
            continue
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
        index += 1
    out.append('"')
    return "".join(out)


_UNESCAPE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


class HclLiteralError(ValueError):
    """A rendered string literal that is not plain data (an interpolation, a directive, a bad escape)."""


def hcl_unquote(literal: str) -> str:
    """The value of a quoted HCL string literal that holds no template sequence; raises otherwise."""
    if len(literal) < 2 or literal[0] != '"' or literal[-1] != '"':
        raise HclLiteralError(f"not a quoted string literal: {literal[:60]!r}")
    body, out, index = literal[1:-1], [], 0
    while index < len(body):
        char, pair = body[index], body[index : index + 3]
        if pair in ("$${", "%%{"):
            out.append(pair[1:])
            index += 3
        elif body[index : index + 2] in ("${", "%{"):
            raise HclLiteralError(f"template sequence in literal: {literal[:60]!r}")
        elif char == '"':
            raise HclLiteralError(f"unescaped quote in literal: {literal[:60]!r}")
        elif char == "\\":
            index = _unescape(body, index, out, literal)
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _unescape(body: str, index: int, out: list[str], literal: str) -> int:
    code = body[index + 1 : index + 2]
    if code in _UNESCAPE:
        out.append(_UNESCAPE[code])
        return index + 2
    width = {"u": 4, "U": 8}.get(code)
    digits = body[index + 2 : index + 2 + width] if width else ""
    if width is None or len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
        raise HclLiteralError(f"invalid escape in literal: {literal[:60]!r}")
    out.append(chr(int(digits, 16)))
    return index + 2 + width


def hcl_number(value: float | int) -> str:
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"not an HCL number: {value!r}")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value)


def hcl_key(key: str) -> str:
    """A map or object key: bare when it is an identifier, quoted otherwise."""
    return key if _IDENTIFIER.fullmatch(key) and key not in _KEYWORDS else hcl_string(key)


def hcl_value(value: Any, indent: int = 0) -> str:
    """Any plain value (str, number, bool, None, list, mapping) as canonical HCL."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return hcl_number(value)
    if isinstance(value, str):
        return hcl_string(value)
    if isinstance(value, Mapping):
        return _hcl_object(value, indent)
    if isinstance(value, Sequence):
        return _hcl_list(value, indent)
    raise TypeError(f"cannot render {type(value).__name__} as HCL")


def _hcl_list(items: Sequence[Any], indent: int) -> str:
    if not items:
        return "[]"
    if all(not isinstance(item, Mapping | list | tuple) for item in items):
        return "[" + ", ".join(hcl_value(item, indent) for item in items) + "]"
    pad = "  " * (indent + 1)
    body = "".join(f"{pad}{hcl_value(item, indent + 1)},\n" for item in items)
    return "[\n" + body + "  " * indent + "]"


def _hcl_object(mapping: Mapping[str, Any], indent: int) -> str:
    if not mapping:
        return "{}"
    items = [(hcl_key(str(k)), hcl_value(v, indent + 1)) for k, v in mapping.items()]
    return "{\n" + hcl_attributes(items, indent + 1) + "  " * indent + "}"


def hcl_attributes(items: Sequence[tuple[str, str]], indent: int) -> str:
    """``key = value`` lines aligned as ``terraform fmt`` aligns them: consecutive one-line values share
    a column for ``=``; a multi-line value stands alone and ends the group."""
    pad = "  " * indent
    lines: list[str] = []
    group: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(key) for key, _ in group), default=0)
        lines.extend(f"{pad}{key.ljust(width)} = {value}\n" for key, value in group)
        group.clear()

    for key, value in items:
        if "\n" in value:
            flush()
            lines.append(f"{pad}{key} = {value}\n")
        else:
            group.append((key, value))
    flush()
    return "".join(lines)

"""A fast reader for the literal subset of HCL that vending renders, used before the full parser.

It accepts only bodies of ``name = value`` attributes and labelled blocks, each ending its line; values that
are quoted strings without template sequences, decimal numbers without exponent, ``true``, ``false``,
``null``, tuples, objects with ``=`` between key and value, and dotted references (``module.x.y``), which it
marks as expressions. Anything else (another operator, a heredoc, a block comment, a carriage return, a
duplicate name, a string it cannot unquote) is refused with ``Refused`` and the caller asks the full parser
instead. What it accepts, the full parser reads as the same values (a test compares both on rendered files
and hostile variants), so it proves the same thing at a fraction of the cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vending.render.hcl import HclLiteralError, hcl_unquote

_TOKEN = re.compile(
    r"""(?P<skip>[ \t]+|\#[^\n]*|//[^\n]*)
      |(?P<nl>\n)
      |(?P<string>"(?:[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029]|\\[^\x00-\x1f])*")
      |(?P<number>[0-9]+(?:\.[0-9]+)?(?![0-9A-Za-z_.]))
      |(?P<name>[A-Za-z_][A-Za-z0-9_-]*)
      |(?P<punct>[{}\[\]=,.-])""",
    re.VERBOSE,
)
_WORDS = {"true": True, "false": False, "null": None}
_KEYWORDS = frozenset({"true", "false", "null", "for", "in", "if", "else", "endif", "endfor"})
_EOF = ("eof", "")


@dataclass(frozen=True)
class Expression:
    """A value that is not a literal (a reference, a call, an interpolation)."""

    kind: str


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: dict[str, Any]
    blocks: tuple[Block, ...]


class Refused(Exception):
    """The text is outside the subset this reader proves; the full parser decides."""


def scan_hcl(text: str) -> Block:
    """The file as a root block, as :func:`vending.render.hcltree.parse_hcl` reads it; raises ``Refused``."""
    reader = _Reader(_tokens(text))
    body, blocks = reader.body(top=True)
    return Block("", (), body, tuple(blocks))


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            raise Refused(f"unexpected character at offset {position}")
        position = match.end()
        kind = match.lastgroup
        assert kind is not None
        if kind != "skip":
            tokens.append((kind, match.group()))
    if position != len(text):
        raise Refused(f"unexpected character at offset {position}")
    tokens.append(_EOF)
    return tokens


class _Reader:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.index]

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, kind: str, text: str | None = None) -> str:
        found_kind, found = self.take()
        if found_kind != kind or (text is not None and found != text):
            raise Refused(f"expected {text or kind}, found {found!r}")
        return found

    def skip_newlines(self) -> None:
        while self.peek()[0] == "nl":
            self.index += 1

    def body(self, *, top: bool) -> tuple[dict[str, Any], list[Block]]:
        attributes: dict[str, Any] = {}
        blocks: list[Block] = []
        while True:
            self.skip_newlines()
            kind, text = self.peek()
            if (top and kind == "eof") or (not top and (kind, text) == ("punct", "}")):
                return attributes, blocks
            name = self.expect("name")
            if self.peek() == ("punct", "="):
                self.index += 1
                if name in attributes:
                    raise Refused(f"attribute {name!r} appears twice")
                attributes[name] = self.value()
            else:
                blocks.append(self.block(name))
            self.line_end()

    def line_end(self) -> None:
        if self.peek()[0] not in ("nl", "eof"):
            raise Refused(f"expected the end of a line, found {self.peek()[1]!r}")

    def block(self, kind: str) -> Block:
        labels: list[str] = []
        while self.peek()[0] in ("string", "name"):
            label_kind, text = self.take()
            labels.append(_unquote(text) if label_kind == "string" else text)
        self.expect("punct", "{")
        if self.peek() == ("punct", "}"):
            self.index += 1
            return Block(kind, tuple(labels), {}, ())
        self.expect("nl")
        body, blocks = self.body(top=False)
        self.expect("punct", "}")
        return Block(kind, tuple(labels), body, tuple(blocks))

    def value(self) -> Any:
        kind, text = self.take()
        if kind == "string":
            return _unquote(text)
        if kind == "number":
            return _number(text)
        if (kind, text) == ("punct", "-") and self.peek()[0] == "number":
            return -_number(self.take()[1])
        if (kind, text) == ("punct", "["):
            return self.tuple_()
        if (kind, text) == ("punct", "{"):
            return self.object_()
        if kind == "name" and text in _WORDS:
            return _WORDS[text]
        if kind == "name" and text not in _KEYWORDS:
            return self.reference()
        raise Refused(f"unexpected {text!r} where a value belongs")

    def reference(self) -> Expression:
        while self.peek() == ("punct", "."):
            self.index += 1
            if self.expect("name") in _KEYWORDS:
                raise Refused("keyword in a reference")
        return Expression("reference")

    def tuple_(self) -> list[Any]:
        items: list[Any] = []
        while True:
            self.skip_newlines()
            if self.peek() == ("punct", "]"):
                self.index += 1
                return items
            items.append(self.value())
            self.skip_newlines()
            if self.peek() == ("punct", ","):
                self.index += 1
            elif self.peek() != ("punct", "]"):
                raise Refused("expected , or ] in a tuple")

    def object_(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while True:
            self.skip_newlines()
            if self.peek() == ("punct", "}"):
                self.index += 1
                return result
            key = self.key()
            if key in result:
                raise Refused(f"object key {key!r} appears twice")
            self.expect("punct", "=")
            result[key] = self.value()
            if self.peek() == ("punct", ","):
                self.index += 1
            elif self.peek() != ("punct", "}"):
                self.expect("nl")

    def key(self) -> str:
        kind, text = self.take()
        if kind == "string":
            return _unquote(text)
        if kind == "name" and text not in _KEYWORDS:
            return text
        raise Refused(f"unexpected object key {text!r}")


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _unquote(literal: str) -> str:
    try:
        return hcl_unquote(literal)
    except HclLiteralError as exc:
        raise Refused(str(exc)) from exc


def contains_expression(value: Any) -> bool:
    if isinstance(value, Expression):
        return True
    if isinstance(value, dict):
        return any(contains_expression(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_expression(v) for v in value)
    return False

"""Reading rendered HCL back as plain data from python-hcl2's parse tree.

python-hcl2 parses; this walks its tree instead of using its dict conversion, which costs more than the parse
itself. The walk accepts literals only — strings without interpolation or directives, numbers, booleans, null,
lists and objects — and turns anything else into an ``Expression`` marker, so a checker can refuse it.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import hcl2
from hcl2.postlexer import PostLexer
from lark import Lark, Token, Tree

from vending.render.hcl import HclLiteralError, hcl_unquote
from vending.render.hclscan import Block, Expression, contains_expression

__all__ = ["Block", "Expression", "contains_expression", "parse_hcl"]

_SKIP = {"new_line_or_comment"}


@cache
def _parser() -> Lark:
    """python-hcl2's own grammar and post-lexer, built without source positions (which we never read and
    which double the parse time); the compiled grammar is cached under ~/.cache/vending when possible."""
    options: dict[str, Any] = {
        "parser": "lalr",
        "rel_to": hcl2.__file__,
        "propagate_positions": False,
        "postlex": PostLexer(),
    }
    try:
        directory = Path.home() / ".cache" / "vending"
        directory.mkdir(parents=True, exist_ok=True)
        return Lark.open("hcl2.lark", cache=str(directory / f"hcl2-{_hcl2_version()}.lark"), **options)
    except (OSError, RuntimeError):
        return Lark.open("hcl2.lark", **options)


def _hcl2_version() -> str:
    try:
        return metadata.version("python-hcl2")
    except metadata.PackageNotFoundError:
        return "unknown"


def parse_hcl(text: str) -> Block:
    """The file as a root block: its attributes (literals or ``Expression``) and nested blocks."""
    tree = _parser().parse(text + "\n")
    body = _child(tree, "body")
    return _body("", (), body)


def _child(tree: Tree[Any], name: str) -> Tree[Any]:
    for child in tree.children:
        if isinstance(child, Tree) and child.data == name:
            return child
    raise HclLiteralError(f"expected {name} in {tree.data}")


def _trees(tree: Tree[Any]) -> list[Tree[Any]]:
    return [c for c in tree.children if isinstance(c, Tree) and c.data not in _SKIP]


def _body(kind: str, labels: tuple[str, ...], body: Tree[Any] | None) -> Block:
    attributes: dict[str, Any] = {}
    blocks: list[Block] = []
    for item in _trees(body) if body is not None else []:
        if item.data == "attribute":
            name, value = _trees(item)
            key = _identifier(name)
            if key in attributes:
                raise HclLiteralError(f"attribute {key!r} appears twice")
            attributes[key] = _value(value)
        elif item.data == "block":
            blocks.append(_block(item))
        else:
            raise HclLiteralError(f"unexpected {item.data} in a body")
    return Block(kind, labels, attributes, tuple(blocks))


def _block(tree: Tree[Any]) -> Block:
    parts = _trees(tree)
    kind = _identifier(parts[0])
    labels = tuple(_string(p) if p.data == "string" else _identifier(p) for p in parts[1:] if p.data != "body")
    body = next((p for p in parts if p.data == "body"), None)
    return _body(kind, labels, body)


def _identifier(tree: Tree[Any]) -> str:
    if tree.data != "identifier" or len(tree.children) != 1:
        raise HclLiteralError(f"expected an identifier, found {tree.data}")
    return str(tree.children[0])


def _string(tree: Tree[Any]) -> str:
    raw: list[str] = []
    for child in tree.children:
        if isinstance(child, Tree):
            if child.data != "string_part" or any(isinstance(c, Tree) for c in child.children):
                raise HclLiteralError("template sequence (interpolation or directive) in a string")
            raw.extend(str(c) for c in child.children)
        elif isinstance(child, Token) and child.type != "DBLQUOTE" and str(child) != '"':
            raw.append(str(child))
    return hcl_unquote('"' + "".join(raw) + '"')


def _value(tree: Tree[Any]) -> Any:
    if tree.data == "expr_term":
        inner = _trees(tree)
        if len(inner) != 1:
            return Expression("parenthesized or compound expression")
        return _value(inner[0])
    handler = _VALUES.get(str(tree.data))
    return handler(tree) if handler else Expression(str(tree.data))


def _number(tree: Tree[Any]) -> int | float:
    text = str(tree.children[0])
    return int(text) if tree.data == "int_lit" else float(text)


def _literal(tree: Tree[Any]) -> bool | Expression | None:
    word = str(tree.children[0])
    return {"true": True, "false": False, "null": None}.get(word, Expression(word))


def _tuple(tree: Tree[Any]) -> list[Any]:
    return [_value(item) for item in _trees(tree)]


def _object(tree: Tree[Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for element in _trees(tree):
        key_tree, value_tree = _trees(element)
        key_term = _trees(key_tree)[0]
        key_inner = _trees(key_term)[0] if key_term.data == "expr_term" else key_term
        if key_inner.data == "string":
            key = _string(key_inner)
        elif key_inner.data == "identifier":
            key = _identifier(key_inner)
        else:
            raise HclLiteralError(f"object key is a {key_inner.data}, not a name or a string")
        if key in result:
            raise HclLiteralError(f"object key {key!r} appears twice")
        result[key] = _value(value_tree)
    return result


def _unary(tree: Tree[Any]) -> int | float | Expression:
    operator = next((str(c) for c in tree.children if isinstance(c, Token)), "")
    operand = _value(_trees(tree)[0])
    if operator == "-" and isinstance(operand, int | float) and not isinstance(operand, bool):
        return -operand
    return Expression(f"unary {operator}")


_VALUES: dict[str, Any] = {
    "string": _string,
    "int_lit": _number,
    "float_lit": _number,
    "literal_value": _literal,
    "tuple": _tuple,
    "object": _object,
    "unary_op": _unary,
}

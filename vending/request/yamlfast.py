"""A fast path for plain request files: libyaml composes the nodes, we type the scalars by YAML 1.2 rules.

Anything out of the ordinary — an explicit tag, a duplicate or non-string key, a merge key, a scalar whose type
YAML 1.1 and 1.2 readers disagree on, deep nesting, alias expansion past the bound, any syntax error — returns
``None`` so that the careful round-trip path reads the file and reports exactly what is wrong.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

STR, MAP, SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_PLAIN_TAG = "!vending-plain"
_INT = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$")
_KEYWORDS: dict[str, Any] = {"true": True, "false": False, "null": None, "~": None, "": None}
_AMBIGUOUS = re.compile(
    r"(?i:y|n|yes|no|on|off|true|false|null|~|<<|=)"  # words YAML 1.1 or 1.2 readers give other types
    r"|[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)"  # integers, any base
    r"|[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?"  # decimals and exponents
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"  # sexagesimal floats
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?"  # timestamps
)
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Unusual(Exception):
    """The document needs the careful path."""


class _Composer(_BaseLoader):  # type: ignore[misc]
    """libyaml's parser and composer; every plain scalar is left untyped for us to type."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode and implicit[0]:
            return _PLAIN_TAG
        if kind is ScalarNode:
            return STR
        return MAP if kind is MappingNode else SEQ


def fast_parse(text: str, max_nodes: int, max_depth: int) -> tuple[Any, dict[tuple[str | int, ...], int]] | None:
    """(data, line of every key and item) for a plain document, or None when the careful path must read it."""
    if len(text) > 64 * 1024 or "\t" in text or "%" in text.split("\n", 1)[0]:
        return None
    loader = _Composer(text)
    try:
        node = loader.get_single_node()
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    finally:
        loader.dispose()
    if not isinstance(node, MappingNode):
        return None
    walker = _Walker(max_nodes, max_depth)
    try:
        return walker.value(node, (), 0), walker.lines
    except Unusual:
        return None


class _Walker:
    def __init__(self, max_nodes: int, max_depth: int) -> None:
        self.left = max_nodes
        self.max_depth = max_depth
        self.lines: dict[tuple[str | int, ...], int] = {}

    def value(self, node: Node, path: tuple[str | int, ...], depth: int) -> Any:
        self.left -= 1
        if self.left < 0 or depth > self.max_depth:
            raise Unusual
        if isinstance(node, MappingNode) and node.tag == MAP:
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode) and node.tag == SEQ:
            items = []
            for index, item in enumerate(node.value):
                self.lines[(*path, index)] = item.start_mark.line + 1
                items.append(self.value(item, (*path, index), depth + 1))
            return items
        if isinstance(node, ScalarNode):
            return _scalar(node)
        raise Unusual

    def _mapping(self, node: MappingNode, path: tuple[str | int, ...], depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, ScalarNode)
                or (key_node.tag == _PLAIN_TAG and _AMBIGUOUS.fullmatch(key_node.value))
                or key_node.tag not in (STR, _PLAIN_TAG)
            ):
                raise Unusual
            key = key_node.value
            if key in result:
                raise Unusual
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = self.value(value_node, (*path, key), depth + 1)
        return result


def _scalar(node: ScalarNode) -> Any:
    text = node.value
    if node.tag == STR:
        return text
    if node.tag != _PLAIN_TAG:
        raise Unusual
    if text in _KEYWORDS:
        return _KEYWORDS[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if _AMBIGUOUS.fullmatch(text):
        raise Unusual
    return text

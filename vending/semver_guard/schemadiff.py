"""Compare two JSON Schemas of the request: what a request file may contain, field by field."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from vending.semver_guard.difference import MAJOR, MINOR, PATCH, Difference, Level, pair_renames

AREA = "request schema"
UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
NARROWING = ("pattern", "format", "const", "uniqueItems", "contentEncoding", "multipleOf")
ANNOTATIONS = ("title", "description", "examples", "$comment", "readOnly", "writeOnly", "$schema")
IGNORED = ("$id", "$defs", "definitions")
ALTERNATIVES = ("anyOf", "oneOf", "allOf")
HANDLED = frozenset(
    (
        *UPPER_BOUNDS,
        *LOWER_BOUNDS,
        *NARROWING,
        *ANNOTATIONS,
        *IGNORED,
        *ALTERNATIVES,
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "propertyNames",
        "enum",
        "default",
        "deprecated",
        "nullable",
    )
)

Node = dict[str, Any]


def normalize(node: object, defs: Node, seen: tuple[str, ...] = ()) -> Node:
    """``node`` with ``$ref`` inlined and ``anyOf [X, null]`` turned into X marked ``nullable``."""
    if not isinstance(node, dict):
        return {"const-schema": node}
    node = dict(node)
    ref = node.pop("$ref", None)
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in seen or name not in defs:
            return {"$ref": name, **node}
        node = {**normalize(defs[name], defs, (*seen, name)), **node}
    branches = node.get("anyOf")
    if isinstance(branches, list):
        rest = [branch for branch in branches if branch != {"type": "null"}]
        if len(rest) == 1 or len(rest) < len(branches):
            del node["anyOf"]
            inner = normalize(rest[0], defs, seen) if len(rest) == 1 else {"anyOf": rest}
            node = {**inner, **node, "nullable": len(rest) < len(branches) or bool(inner.get("nullable"))}
    return node


def _types(node: Node) -> set[str]:
    declared = node.get("type")
    if declared is None:
        return set()
    return {declared} if isinstance(declared, str) else {str(item) for item in declared}


def _nullable(node: Node) -> bool:
    return bool(node.get("nullable")) or "null" in _types(node)


def compare_schemas(old: Node, new: Node) -> list[Difference]:
    return SchemaComparison(old.get("$defs", {}), new.get("$defs", {})).node(old, new, "request")


class SchemaComparison:
    """Walks two schemas side by side; each keyword has one rule for narrowing and widening."""

    def __init__(self, old_defs: Node, new_defs: Node) -> None:
        self.old_defs = old_defs
        self.new_defs = new_defs
        self.found: list[Difference] = []
        self.expanding: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()

    def node(self, old_raw: object, new_raw: object, where: str) -> list[Difference]:
        refs = (_refs(old_raw), _refs(new_raw))
        if refs in self.expanding:
            return self.found
        if refs != ((), ()):
            self.expanding.add(refs)
        old, new = normalize(old_raw, self.old_defs), normalize(new_raw, self.new_defs)
        for rule in self._rules():
            rule(old, new, where)
        self.expanding.discard(refs)
        return self.found

    def _rules(self) -> tuple[Callable[[Node, Node, str], None], ...]:
        return (
            self._type,
            self._properties,
            self._additional,
            self._children,
            self._enum,
            self._bounds,
            self._narrowing,
            self._default,
            self._annotations,
            self._alternatives,
            self._unknown,
        )

    def _add(self, where: str, change: str, level: Level) -> None:
        self.found.append(Difference(AREA, where, change, level))

    def _type(self, old: Node, new: Node, where: str) -> None:
        if _nullable(old) != _nullable(new):
            accepts = _nullable(new)
            self._add(where, "now accepts null" if accepts else "no longer accepts null", MINOR if accepts else MAJOR)
        before, after = _types(old) - {"null"}, _types(new) - {"null"}
        if before == after:
            return
        if not after or (before and before <= after):
            self._add(where, f"type widened from {_show(before)} to {_show(after) or 'any'}", MINOR)
        else:
            self._add(where, f"type changed from {_show(before) or 'any'} to {_show(after)}", MAJOR)

    def _properties(self, old: Node, new: Node, where: str) -> None:
        before, after = old.get("properties") or {}, new.get("properties") or {}
        required_before, required_after = set(old.get("required") or []), set(new.get("required") or [])
        removed = {name: _shape(before[name]) for name in before if name not in after}
        added = {name: _shape(after[name]) for name in after if name not in before}
        for old_name, new_name in pair_renames(dict(removed), dict(added)):
            self._add(f"{where}.{old_name}", f"field renamed to {new_name}", MAJOR)
            removed.pop(old_name)
            added.pop(new_name)
        for name in sorted(removed):
            self._add(f"{where}.{name}", "field removed", MAJOR)
        for name in sorted(added):
            required = name in required_after
            self._add(
                f"{where}.{name}", f"{'required' if required else 'optional'} field added", MAJOR if required else MINOR
            )
        for name in sorted(set(before) & set(after)):
            self._required(name in required_before, name in required_after, f"{where}.{name}")
            self.node(before[name], after[name], f"{where}.{name}")

    def _required(self, before: bool, after: bool, where: str) -> None:
        if before and not after:
            self._add(where, "field became optional", MINOR)
        elif after and not before:
            self._add(where, "field became required", MAJOR)

    def _additional(self, old: Node, new: Node, where: str) -> None:
        before, after = old.get("additionalProperties", True), new.get("additionalProperties", True)
        if isinstance(before, dict) and isinstance(after, dict):
            self.node(before, after, f"{where}.*")
        elif before != after:
            widened = after is True or (before is False and isinstance(after, dict))
            change = "additional properties " + ("allowed" if widened else "restricted")
            self._add(where, change, MINOR if widened else MAJOR)

    def _children(self, old: Node, new: Node, where: str) -> None:
        for keyword, suffix in (("items", "[]"), ("propertyNames", "<key>")):
            before, after = old.get(keyword), new.get(keyword)
            if isinstance(before, dict) and isinstance(after, dict):
                self.node(before, after, f"{where}{'' if suffix == '[]' else '.'}{suffix}")
            elif before != after:
                widened = after is None
                self._add(where, f"{keyword} {'removed' if widened else 'changed'}", MINOR if widened else MAJOR)

    def _enum(self, old: Node, new: Node, where: str) -> None:
        before, after = old.get("enum"), new.get("enum")
        if before == after:
            return
        if after is None:
            self._add(where, "allowed values no longer restricted", MINOR)
        elif before is None:
            self._add(where, f"allowed values restricted to {_show(after)}", MAJOR)
        elif [value for value in before if value not in after]:
            dropped = [value for value in before if value not in after]
            self._add(where, f"allowed values narrowed: {_show(dropped)} no longer accepted", MAJOR)
        elif [value for value in after if value not in before]:
            self._add(where, f"allowed values widened: {_show([v for v in after if v not in before])}", MINOR)

    def _bounds(self, old: Node, new: Node, where: str) -> None:
        for keyword in (*UPPER_BOUNDS, *LOWER_BOUNDS):
            before, after = old.get(keyword), new.get(keyword)
            if before == after:
                continue
            if before is None or after is None:
                narrowed = before is None
            else:
                narrowed = after < before if keyword in UPPER_BOUNDS else after > before
            self._add(where, f"{keyword} {_show(before)} -> {_show(after)}", MAJOR if narrowed else MINOR)

    def _narrowing(self, old: Node, new: Node, where: str) -> None:
        for keyword in NARROWING:
            before, after = old.get(keyword), new.get(keyword)
            if before != after:
                widened = after is None
                self._add(
                    where,
                    f"{keyword} {'removed' if widened else 'changed'}: {_show(before)} -> {_show(after)}",
                    MINOR if widened else MAJOR,
                )

    def _default(self, old: Node, new: Node, where: str) -> None:
        if "default" not in old and "default" in new:
            self._add(where, f"default {_show(new['default'])} added", MINOR)
        elif old.get("default", ...) != new.get("default", ...):
            self._add(
                where, f"default changed from {_show(old['default'])} to {_show(new.get('default', '(none)'))}", MAJOR
            )

    def _annotations(self, old: Node, new: Node, where: str) -> None:
        for keyword in ANNOTATIONS:
            if old.get(keyword) != new.get(keyword):
                self._add(where, f"{keyword} changed", PATCH)
        if old.get("deprecated", False) != new.get("deprecated", False):
            self._add(where, "deprecated" if new.get("deprecated") else "no longer deprecated", MINOR)

    def _alternatives(self, old: Node, new: Node, where: str) -> None:
        for keyword in ALTERNATIVES:
            before, after = old.get(keyword), new.get(keyword)
            if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
                for index, (one, other) in enumerate(zip(before, after, strict=True)):
                    self.node(one, other, f"{where}<{keyword} {index}>")
            elif before != after:
                self._add(where, f"{keyword} alternatives changed", MAJOR)

    def _unknown(self, old: Node, new: Node, where: str) -> None:
        for keyword in sorted((set(old) | set(new)) - HANDLED):
            if old.get(keyword) != new.get(keyword):
                self._add(where, f"{keyword} changed (not understood, so treated as breaking)", MAJOR)


def _refs(node: object) -> tuple[str, ...]:
    """The definitions a node points at directly or through ``anyOf``: recursion stops where they repeat."""
    if not isinstance(node, dict):
        return ()
    branches = node.get("anyOf")
    candidates = [node, *branches] if isinstance(branches, list) else [node]
    return tuple(str(item["$ref"]) for item in candidates if isinstance(item, dict) and "$ref" in item)


def _shape(node: object) -> object:
    """A field's specification without its name-derived title, for spotting renames."""
    return {key: value for key, value in node.items() if key != "title"} if isinstance(node, dict) else node


def _show(value: object) -> str:
    if isinstance(value, set | list):
        return "|".join(_show(item) for item in (sorted(value) if isinstance(value, set) else value))
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)

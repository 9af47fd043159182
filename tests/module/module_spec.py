"""The inputs and outputs of ``modules/subscription``, read from its .tf files with python-hcl2.

Other tests import this (``from module.module_spec import ...``; the tests directory is on sys.path)
to check rendered arguments against the module: every argument must be a module variable, its value
must fit the variable's type, and every required variable must be given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import hcl2

MODULE_PATH = Path("modules") / "subscription"

# A parsed Terraform type: ("string",), ("list", T), ("map", T), ("set", T), ("tuple", [T, ...]),
# ("object", {name: (T, optional)}), ("any",).
TfType = tuple[Any, ...]

_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|[(){}\[\],=]|\"(?:[^\"\\]|\\.)*\"|[^\s(){}\[\],=\"]+)")


def module_dir(repo_root: Path) -> Path:
    return repo_root / MODULE_PATH


def load_tf_files(directory: Path) -> dict[Path, dict[str, Any]]:
    """Every .tf file of ``directory`` (not recursive), parsed."""
    parsed: dict[Path, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.tf")):
        with path.open(encoding="utf-8") as handle:
            parsed[path] = hcl2.load(handle)
    return parsed


def blocks(parsed: Mapping[Path, Mapping[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """Labelled top-level blocks of one kind (``variable``, ``output``) across files, by label."""
    found: dict[str, dict[str, Any]] = {}
    for content in parsed.values():
        for entry in content.get(kind, []):
            for label, body in entry.items():
                found[unquote(label)] = body
    return found


def unquote(value: Any) -> Any:
    """python-hcl2 keeps string literals quoted and expressions as ``${...}``; undo the quoting."""
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == value[-1] == '"':
            return json.loads(value)
        return value
    if isinstance(value, list):
        return [unquote(item) for item in value]
    if isinstance(value, dict):
        return {unquote(key): unquote(item) for key, item in value.items() if key != "__is_block__"}
    return value


def type_string(raw: Any) -> str:
    text = str(raw)
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return text


def load_module_variables(repo_root: Path) -> dict[str, dict[str, Any]]:
    """Each variable: ``type`` (string), ``required``, ``default``, ``nullable``, ``description``."""
    variables = blocks(load_tf_files(module_dir(repo_root)), "variable")
    return {name: _variable_spec(body) for name, body in variables.items()}


def _variable_spec(body: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": type_string(body["type"]) if "type" in body else None,
        "required": "default" not in body,
        "default": unquote(body.get("default")),
        "nullable": body.get("nullable", True) is not False,
        "description": unquote(body.get("description")),
    }


def load_module_outputs(repo_root: Path) -> dict[str, dict[str, Any]]:
    """Each output of the module: ``description`` and ``value`` (the expression text)."""
    outputs = blocks(load_tf_files(module_dir(repo_root)), "output")
    return {
        name: {"description": unquote(body.get("description")), "value": type_string(body.get("value"))}
        for name, body in outputs.items()
    }


def parse_type(text: str) -> TfType:
    """Parse a Terraform type constraint such as ``list(object({a = string, b = optional(number)}))``."""
    tokens = [match.group(1) for match in _TOKEN.finditer(text)]
    parsed, rest = _parse(tokens)
    if rest:
        raise ValueError(f"unexpected {' '.join(rest)!r} after type in {text!r}")
    return parsed


def _parse(tokens: list[str]) -> tuple[TfType, list[str]]:
    head, rest = tokens[0], tokens[1:]
    if head in ("string", "number", "bool", "any"):
        return (head,), rest
    if head in ("list", "set", "map"):
        inner, rest = _parse(_expect(rest, "("))
        return (head, inner), _expect(rest, ")")
    if head == "tuple":
        items, rest = _parse_items(_expect(_expect(rest, "("), "["), "]")
        return ("tuple", items), _expect(rest, ")")
    if head == "object":
        attributes, rest = _parse_attributes(_expect(_expect(rest, "("), "{"))
        return ("object", attributes), _expect(rest, ")")
    raise ValueError(f"unknown type {head!r}")


def _expect(tokens: list[str], token: str) -> list[str]:
    if not tokens or tokens[0] != token:
        raise ValueError(f"expected {token!r}, found {tokens[:1]}")
    return tokens[1:]


def _parse_items(tokens: list[str], closing: str) -> tuple[list[TfType], list[str]]:
    items: list[TfType] = []
    while tokens[0] != closing:
        item, tokens = _parse(tokens)
        items.append(item)
        if tokens[0] == ",":
            tokens = tokens[1:]
    return items, tokens[1:]


def _parse_attributes(tokens: list[str]) -> tuple[dict[str, tuple[TfType, bool]], list[str]]:
    attributes: dict[str, tuple[TfType, bool]] = {}
    while tokens[0] != "}":
        name, tokens = tokens[0].strip('"'), _expect(tokens[1:], "=")
        if tokens[0] == "optional":
            attribute_type, tokens = _parse(_expect(tokens[1:], "("))
            attributes[name] = (attribute_type, True)
            tokens = _skip_to_close(tokens)
        else:
            attribute_type, tokens = _parse(tokens)
            attributes[name] = (attribute_type, False)
        if tokens[0] == ",":
            tokens = tokens[1:]
    return attributes, tokens[1:]


def _skip_to_close(tokens: list[str]) -> list[str]:
    """Skip an optional() default value up to and including the closing parenthesis."""
    depth = 0
    for index, token in enumerate(tokens):
        if token in "([{":
            depth += 1
        elif token in ")]}":
            if depth == 0:
                return tokens[index + 1 :]
            depth -= 1
    raise ValueError("unbalanced optional()")


def value_matches_type(value: Any, constraint: str | TfType) -> bool:
    """Whether a JSON value (as Flux passes ``vars``) fits a Terraform type without loose conversion."""
    parsed = parse_type(constraint) if isinstance(constraint, str) else constraint
    return _matches(value, parsed)


def _matches(value: Any, tf_type: TfType) -> bool:
    kind = tf_type[0]
    if value is None or kind == "any":
        return True
    if kind == "string":
        return isinstance(value, str)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("list", "set"):
        return isinstance(value, list) and all(_matches(item, tf_type[1]) for item in value)
    if kind == "map":
        return isinstance(value, dict) and all(_matches(item, tf_type[1]) for item in value.values())
    if kind == "tuple":
        items = tf_type[1]
        return isinstance(value, list) and len(value) == len(items) and all(map(_matches, value, items))
    return _matches_object(value, tf_type[1])


def _matches_object(value: Any, attributes: Mapping[str, tuple[TfType, bool]]) -> bool:
    if not isinstance(value, dict) or not set(value) <= set(attributes):
        return False
    required = {name for name, (_, optional) in attributes.items() if not optional}
    return required <= set(value) and all(_matches(value[key], attributes[key][0]) for key in value)


def argument_problems(arguments: Mapping[str, Any], variables: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Problems with a set of module arguments: unknown names, wrong types, missing required inputs."""
    problems = [f"{name}: not a variable of the module" for name in arguments if name not in variables]
    for name, value in arguments.items():
        spec = variables.get(name)
        if spec is None:
            continue
        if value is None and not spec["nullable"]:
            problems.append(f"{name}: null given for a non-nullable variable")
        elif not value_matches_type(value, spec["type"] or "any"):
            problems.append(f"{name}: {json.dumps(value)[:80]} does not fit type {spec['type']}")
    missing = sorted(name for name, spec in variables.items() if spec["required"] and arguments.get(name) is None)
    problems.extend(f"{name}: required variable not given" for name in missing)
    return problems

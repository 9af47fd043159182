"""Load stage: files into models, every problem a finding naming the file, field and line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from vending.errors import Finding
from vending.request.fields import RULE_ERROR
from vending.request.hints import literal_hint, name_warnings, type_hint
from vending.request.hygiene import clean_surrogates
from vending.request.model import Request
from vending.request.rules import request_problems
from vending.request.yamlio import YamlDocument, YamlLoadError, load_yaml_mapping

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class LoadedRequest:
    """A request file after loading: the model when valid, the findings otherwise."""

    source: str
    document: YamlDocument | None
    request: Request | None
    findings: tuple[Finding, ...]
    warnings: tuple[Finding, ...] = ()

    def line_of(self, field: str) -> int | None:
        if self.document is None:
            return None
        return self.document.line_of(parse_field_path(field))


def format_loc(loc: Sequence[str | int]) -> str:
    """``('budget', 'thresholds', 1)`` → ``budget.thresholds[1]``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse_field_path(field: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return tuple(parts)


def _known_keys(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = {info.alias or name: info for name, info in current.model_fields.items()}
        info = fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return [info.alias or name for name, info in current.model_fields.items()]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _error_message(model: type[BaseModel], error: Any) -> tuple[str, str]:
    loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    kind, message = error["type"], error["msg"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        close = difflib.get_close_matches(key, _known_keys(model, loc), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return format_loc(loc), f"unknown key {key!r}{hint}"
    if kind == "missing":
        return format_loc(loc), "is required"
    if kind == RULE_ERROR:
        return format_loc([*loc, *error["ctx"]["path"]]), error["ctx"]["message"]
    message = message.removeprefix("Value error, ")
    if "input" in error and kind.endswith("_type"):
        message = f"{message}, got {type(error['input']).__name__} {str(error['input'])[:40]!r}"
        if kind == "string_type":
            message += type_hint(tuple(loc), error["input"])
    if kind == "literal_error":
        message += literal_hint(error.get("input"), str(error.get("ctx", {}).get("expected", "")))
    return format_loc(loc), message


def validate_model(model: type[ModelT], document: YamlDocument) -> tuple[ModelT | None, list[Finding]]:
    """Validate plain data against a model; findings name the file, dotted field and line."""
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        findings = []
        for error in exc.errors():
            field, message = _error_message(model, error)
            line = document.line_of(parse_field_path(field))
            findings.append(Finding(document.source, field, message, line))
        return None, sorted(set(findings), key=lambda f: (f.line or 0, f.field, f.message))


def load_request(path: Path, source: str | None = None) -> LoadedRequest:
    """Read and validate one request file (schema only; policy and trunk come later)."""
    name = source if source is not None else str(path)
    try:
        document = load_yaml_mapping(path, name)
    except YamlLoadError as exc:
        return LoadedRequest(name, None, None, (exc.finding,))
    document, unreadable = _joined_surrogates(document)
    if unreadable:
        return LoadedRequest(name, document, None, unreadable)
    request, findings = validate_model(Request, document)
    if request is None:
        findings = _with_rule_findings(findings, document)
    warnings = (*_file_name_warnings(path, document), *_name_warnings(document))
    return LoadedRequest(name, document, request, tuple(findings), warnings)


def _with_rule_findings(findings: list[Finding], document: YamlDocument) -> list[Finding]:
    """The schema's findings and every broken cross-field rule: the model stops at its first problem."""
    rules = [
        Finding(document.source, format_loc(path), message, document.line_of(path))
        for path, message in request_problems(document.data)
    ]
    return sorted(set(findings) | set(rules), key=lambda f: (f.line or 0, f.field, f.message))


def _name_warnings(document: YamlDocument) -> tuple[Finding, ...]:
    return tuple(
        Finding(document.source, format_loc(path), message, document.line_of(path))
        for path, message in name_warnings(document.data)
    )


def _joined_surrogates(document: YamlDocument) -> tuple[YamlDocument, tuple[Finding, ...]]:
    """The document with every surrogate pair joined, and a finding for each lone half (no encoding can write
    one: refused here rather than when the first file is written)."""
    data, problems = clean_surrogates(document.data)
    findings = tuple(
        Finding(document.source, format_loc(path), message, document.line_of(path)) for path, message in problems
    )
    return replace(document, data=data), findings


def _file_name_warnings(path: Path, document: YamlDocument) -> tuple[Finding, ...]:
    name = document.data.get("name")
    if not isinstance(name, str) or path.stem in (name, "request"):
        return ()
    return (
        Finding(
            document.source,
            "name",
            f"file is named {path.name!r} but the request is {name!r}; "
            f"name it {name}.yaml to keep requests easy to find",
            document.line_of(("name",)),
        ),
    )

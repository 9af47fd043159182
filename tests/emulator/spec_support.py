"""Read Microsoft's OpenAPI files and examples: discover example cases, build response schemas.

Swagger 2.0 is turned into JSON Schema (draft 4) the way AutoRest reads it: ``$ref``s are inlined
(refs into files that are absent become permissive and are reported), ``x-nullable`` admits
``null`` and an ``x-ms-enum`` with ``modelAsString: true`` is an open set of strings.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
# Examples the arm-spec copy provides for older operations (see arm-spec/SOURCES.md).
STAND_INS = {
    "GetTenants.json": "Tenants_List",
    "GetSubscriptions.json": "Subscriptions_List",
    "GetSubscription.json": "Subscriptions_Get",
    "GetLocations.json": "Subscriptions_ListLocations",
}
STAND_IN_SPEC = "resources/resource-manager/Microsoft.Resources/stable/2016-06-01/subscriptions.json"
# 201/202 answer a first request, 200 a later one, 204 one where nothing is left.
STATUS_ORDER = {"201": 0, "202": 0, "200": 1, "204": 2}


def shared_dir() -> Path:
    configured = os.environ.get("VENDING_SHARED_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared"


def spec_dir() -> Path:
    return shared_dir() / "arm-spec"


@dataclass(frozen=True)
class Case:
    """One (example, status) to replay; ``statuses`` is the replay order up to and including it."""

    example: Path
    spec: Path | None
    method: str
    template: str
    operation_id: str
    statuses: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def status(self) -> str:
        return self.statuses[-1]

    @property
    def id(self) -> str:
        return f"{self.example.stem}-{self.status}"


@cache
def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def operations(spec: Path) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for template, methods in load_json(spec)["paths"].items():
        for method, operation in methods.items():
            if method != "parameters":
                found.append((method.upper(), template, operation))
    return found


def _cases_for(example: Path, spec: Path | None, method: str, template: str, operation_id: str) -> list[Case]:
    statuses = sorted(load_json(example)["responses"], key=lambda status: STATUS_ORDER.get(status, 1))
    statuses = [status for status in statuses if status != "default"]
    return [
        Case(example, spec, method, template, operation_id, tuple(statuses[: index + 1]))
        for index in range(len(statuses))
    ]


def discover(root: Path) -> tuple[list[Case], list[str]]:
    """Every example case reachable through ``x-ms-examples``, plus stand-ins; and what is missing."""
    cases: list[Case] = []
    missing: list[str] = []
    referenced: set[Path] = set()
    for spec in sorted(path for path in root.rglob("*.json") if "examples" not in path.parts):
        for method, template, operation in operations(spec):
            for ref in operation.get("x-ms-examples", {}).values():
                example = (spec.parent / ref["$ref"]).resolve()
                referenced.add(example)
                if not example.is_file():
                    missing.append(f"{operation['operationId']}: {ref['$ref']}")
                    continue
                cases += _cases_for(example, spec, method, template, operation["operationId"])
    stand_in_spec = root / STAND_IN_SPEC
    for example in sorted(root.rglob("examples/*.json")):
        if example.resolve() in referenced:
            continue
        operation_id = STAND_INS.get(example.name)
        if operation_id and stand_in_spec.is_file():
            method, template = _find_operation(stand_in_spec, operation_id)
            cases += _cases_for(example, stand_in_spec, method, template, operation_id)
        else:
            cases += _cases_for(example, None, "GET", "", example.stem)
    return cases, missing


def _find_operation(spec: Path, operation_id: str) -> tuple[str, str]:
    for method, template, operation in operations(spec):
        if operation.get("operationId") == operation_id:
            return method, template
    raise LookupError(operation_id)


def operation_of(case: Case) -> dict[str, Any]:
    assert case.spec is not None
    return dict(load_json(case.spec)["paths"][case.template][case.method.lower()])


def body_parameter(case: Case) -> str | None:
    """The name of the operation's body parameter, if it has one."""
    assert case.spec is not None
    for parameter in operation_of(case).get("parameters", []):
        if "$ref" in parameter:
            file_part, _, pointer = parameter["$ref"].partition("#")
            document = (case.spec.parent / file_part).resolve() if file_part else case.spec
            if not document.is_file():
                continue  # shared parameters (api-version, subscription id) from absent common types
            parameter = resolve_pointer(document, pointer)
        if parameter.get("in") == "body":
            return str(parameter["name"])
    return None


def resolve_pointer(document_path: Path, pointer: str) -> Any:
    node: Any = load_json(document_path)
    for part in [part for part in pointer.split("/") if part]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


class SchemaBuilder:
    """Inline a Swagger schema into one self-contained JSON Schema."""

    def __init__(self) -> None:
        self.unresolved: set[str] = set()

    def build(self, node: Any, base: Path, stack: tuple[str, ...] = ()) -> Any:
        if isinstance(node, list):
            return [self.build(item, base, stack) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return self._follow(node["$ref"], base, stack)
        converted = {key: self.build(value, base, stack) for key, value in node.items() if not key.startswith("x-")}
        if node.get("x-ms-enum", {}).get("modelAsString"):
            converted.pop("enum", None)
        if node.get("x-nullable") and isinstance(converted.get("type"), str):
            converted["type"] = [converted["type"], "null"]
        return converted

    def _follow(self, ref: str, base: Path, stack: tuple[str, ...]) -> Any:
        file_part, _, pointer = ref.partition("#")
        target = (base.parent / file_part).resolve() if file_part else base
        key = f"{target}#{pointer}"
        if not target.is_file():
            self.unresolved.add(ref)
            return {}
        if key in stack:
            return {}
        return self.build(resolve_pointer(target, pointer), target, (*stack, key))


def response_schema(case: Case, status: str) -> tuple[Any, set[str]]:
    assert case.spec is not None
    response = operation_of(case)["responses"][status]
    builder = SchemaBuilder()
    schema = builder.build(response.get("schema", {}), case.spec)
    return schema, builder.unresolved

"""The schema of the Flux fields vending emits, kept in the package and checked on every render."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

_DEFINITIONS = {"Terraform": "terraform", "GitRepository": "gitRepository", "Kustomization": "fluxKustomization"}


@cache
def _validator(kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    text = resources.files("vending").joinpath("schemas/flux-objects.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    schema.pop("oneOf")
    schema["$ref"] = f"#/$defs/{_DEFINITIONS[kind]}"
    return Draft202012Validator(schema)


def flux_schema_problems(document: dict[str, Any]) -> list[str]:
    """One message per schema violation of a Flux object (``Terraform``, ``GitRepository``, ``Kustomization``)."""
    kind = str(document.get("kind"))
    if kind not in _DEFINITIONS:
        return [f"unexpected kind {kind!r}"]
    validator = _validator(kind)
    return [
        f"{'.'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]

"""The request's JSON Schema, generated from the model and kept in the package for editors."""

from __future__ import annotations

from typing import Any

from vending.request.model import Request
from vending.version import INTERFACE_VERSION

SCHEMA_ID = "https://vending.dev/schemas/request-{version}.json"


def request_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a request file for this interface version."""
    schema = Request.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID.format(version=INTERFACE_VERSION)
    schema["title"] = "vending subscription request"
    schema["description"] = (
        f"One Azure subscription request for vending interface {INTERFACE_VERSION}. "
        "Rules that JSON Schema cannot express (overlaps, trunk state) are checked by 'vending validate'."
    )
    return schema

"""Input rules the emulated services enforce (display names, tags, alias names)."""

from __future__ import annotations

import re
from typing import Any

from vending.emulator.protocol import ArmError, bad_request

FORBIDDEN_NAME_CHARS = re.compile(r"[<>;|\x00-\x1f\x7f]")
FORBIDDEN_TAG_NAME_CHARS = re.compile(r"[<>%&\\?/\x00-\x1f\x7f]")
RESOURCE_GROUP_NAME = re.compile(r"^[-\w._()]{1,90}$")
RESOURCE_NAME = re.compile(r"^[A-Za-z0-9][-\w.]{0,78}[\w]$|^[A-Za-z0-9]$")
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def display_name(value: Any, parameter: str = "DisplayName") -> str:
    """A valid subscription display name, or a 400 naming the parameter."""
    if value is None or value == "":
        raise bad_request("MissingParameter", f"Required parameter {parameter} not provided.")
    if not isinstance(value, str) or len(value) > 64 or FORBIDDEN_NAME_CHARS.search(value):
        raise bad_request(
            "InvalidParameter",
            f"The parameter {parameter} is invalid: 1 to 64 characters without < > ; | or control characters.",
        )
    return value


def alias_name(value: str) -> str:
    if len(value) > 64 or FORBIDDEN_NAME_CHARS.search(value):
        raise bad_request("InvalidAliasName", f"The alias name '{value}' is invalid.")
    return value


def tags(value: Any) -> dict[str, str]:
    """Valid subscription tags (names <= 512 chars, values <= 256 chars), or a 400 like ARM's."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad_request("InvalidTag", "Tags must be an object of string names to string values.")
    for name, tag_value in value.items():
        if len(name) > 512:
            raise bad_request("InvalidTagNameLength", f"The tag name '{name[:40]}...' exceeds 512 characters.")
        if not name or FORBIDDEN_TAG_NAME_CHARS.search(name):
            raise bad_request("InvalidTagNameCharacters", f"The tag name '{name}' has invalid characters.")
        if not isinstance(tag_value, str):
            raise bad_request("InvalidTag", f"The value of tag '{name}' must be a string.")
        if len(tag_value) > 256:
            raise bad_request("InvalidTagValueLength", f"The value of tag '{name}' exceeds 256 characters.")
    return {str(name): str(tag_value) for name, tag_value in value.items()}


def conflict(code: str, message: str) -> ArmError:
    return ArmError(409, code, message)


def resource_group_name(value: str) -> str:
    """1-90 letters, digits, ``_ - . ( )``, not ending in a period; 400 InvalidResourceGroupName otherwise."""
    if not RESOURCE_GROUP_NAME.match(value) or value.endswith("."):
        raise bad_request(
            "InvalidResourceGroupName",
            f"The resource group name '{value}' is invalid: use 1 to 90 letters, digits, underscores, "
            "hyphens, periods and parentheses, not ending in a period.",
        )
    return value


def resource_name(value: str, kind: str) -> str:
    """A network resource name: 1-80 characters, starting alphanumeric, ending alphanumeric or underscore."""
    if not RESOURCE_NAME.match(value):
        raise bad_request("InvalidResourceName", f"Resource name {value} is invalid for a {kind}.")
    return value


def guid(value: object, code: str, what: str) -> str:
    if not isinstance(value, str) or not GUID.match(value):
        raise bad_request(code, f"The {what} '{value}' is not valid: it must be a GUID.")
    return value

"""What a new user most likely meant: hints added to a finding, and warnings for names vending cannot prove
wrong offline (a role or region newer than its lists)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from vending.request.azurenames import REGIONS, closest, is_known_role, region_hint, role_problem
from vending.request.fields import GUID_RE, LOCATION_RE, ROLE_ID_RE

Path_ = tuple[str | int, ...]


def type_hint(loc: Path_, value: object) -> str:
    """For a number or boolean where text is expected: how to quote it (YAML read ``0.1`` as a number)."""
    if not isinstance(value, int | float) or not loc:
        return ""
    if loc == ("interfaceVersion",) and not isinstance(value, bool):
        return f'; YAML reads it as a number: quote it, as in interfaceVersion: "{_as_version(value)}"'
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f'; YAML reads it as a {type(value).__name__}: quote it, as in {loc[-1]}: "{text}"'


def _as_version(value: float) -> str:
    parts = str(value).split(".")
    return ".".join([*parts, "0", "0"][:3])


def literal_hint(value: object, expected: str) -> str:
    """``; did you mean 'Group'?`` for ``group`` when the choices are 'User', 'Group' or 'ServicePrincipal'."""
    if not isinstance(value, str):
        return ""
    meant = closest(value, tuple(re.findall(r"'([^']*)'", expected)))
    return f"; did you mean {meant!r}?" if meant is not None else ""


def name_warnings(data: Mapping[str, Any]) -> list[tuple[Path_, str]]:
    """Role and region names that are well formed but not among the ones vending knows."""
    warnings: list[tuple[Path_, str]] = []
    location = data.get("location")
    if isinstance(location, str) and LOCATION_RE.fullmatch(location) and location not in REGIONS:
        hint = region_hint(location)
        if hint:
            warnings.append((("location",), f"{location!r} is not an Azure region vending knows{hint}"))
    assignments = data.get("roleAssignments")
    for index, item in enumerate(assignments if isinstance(assignments, list) else []):
        role = item.get("role") if isinstance(item, Mapping) else None
        if isinstance(role, str) and _is_unknown_role_name(role):
            warnings.append(
                (
                    ("roleAssignments", index, "role"),
                    f"{role!r} is not a built-in role vending knows; Azure looks it up by name at plan time, "
                    "so check the spelling or give the role definition id",
                )
            )
    return warnings


def _is_unknown_role_name(role: str) -> bool:
    known = GUID_RE.fullmatch(role) or ROLE_ID_RE.fullmatch(role) or is_known_role(role)
    return not known and role_problem(role) is None

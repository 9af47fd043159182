"""A route: method + path template → handler, with the api-versions it accepts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from vending.emulator.protocol import ApiRequest, ApiResponse, Context

Handler = Callable[[Context, ApiRequest], ApiResponse]

NAME = r"[^/]+"
SEGMENTS = {
    "sub": rf"(?P<subscription>{NAME})",
    "alias": rf"(?P<alias>{NAME})",
    "group": rf"(?P<group>{NAME})",
    "ns": r"(?P<namespace>[A-Za-z][A-Za-z0-9.]*)",
    "op": rf"(?P<operation>{NAME})",
    "account": rf"(?P<account>{NAME})",
    "rg": rf"(?P<rg>{NAME})",
    "vnet": rf"(?P<vnet>{NAME})",
    "peering": rf"(?P<peering>{NAME})",
    "name": rf"(?P<name>{NAME})",
    "location": rf"(?P<location>{NAME})",
    "scope": r"(?P<scope>(?:/[^?]*?)?)",
}


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    versions: frozenset[str]


def route(method: str, template: str, handler: Handler, versions: frozenset[str]) -> Route:
    """A route for ``template``, whose ``{name}`` segments become the request's ``params``."""
    regex = re.escape(template)
    for name, group in SEGMENTS.items():
        regex = regex.replace(re.escape("{" + name + "}"), group)
    return Route(method, re.compile(f"^{regex}/?$", re.IGNORECASE), handler, versions)

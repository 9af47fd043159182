"""The one Jinja environment: sandboxed, strict, and every filter registered here. Jinja is imported when the
environment is first built, not when this module is."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from vending.render.hcl import hcl_attributes, hcl_key, hcl_value

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment


def _attributes(mapping: Mapping[str, Any], indent: int) -> str:
    return hcl_attributes([(hcl_key(k), hcl_value(v, indent)) for k, v in mapping.items()], indent)


@cache
def environment() -> ImmutableSandboxedEnvironment:
    from jinja2 import PackageLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=PackageLoader("vending", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["hcl"] = hcl_value
    env.filters["hcl_attributes"] = _attributes
    return env


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)

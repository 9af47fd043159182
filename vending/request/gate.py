"""The interface-version gate: whether this release accepts a request written for a given interface version.

A request names the interface it was written for (``interfaceVersion``); it is accepted when that version is
caret-compatible with the interface this release implements (see docs/pipelines.md).
"""

from __future__ import annotations

import semver


def parse_version(text: str) -> semver.Version | None:
    try:
        return semver.Version.parse(text)
    except (ValueError, TypeError):
        return None


def interface_problem(requested: str, current: str) -> str | None:
    """Why a request written for ``requested`` is not accepted by interface ``current``, or None."""
    wanted = parse_version(requested)
    have = semver.Version.parse(current)
    if wanted is None:
        return f"{requested!r} is not a semantic version such as {current}"
    if have.major >= 1:
        compatible = wanted.major == have.major and wanted.minor <= have.minor
    else:
        compatible = wanted.major == 0 and wanted.minor == have.minor
    if compatible:
        return None
    if wanted > have:
        return (
            f"request is written for interface {wanted} but this vending implements {have}; "
            f"pin a pipeline template of vending {wanted.major}.{wanted.minor} or newer"
        )
    return (
        f"request is written for interface {wanted}, which vending {have} no longer accepts; "
        f"migrate the request to interface {have.major}.{have.minor} (see CHANGELOG.md)"
    )

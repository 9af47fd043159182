"""Version bumps: which one the differences need, which one ``VERSION`` shows, and the CHANGELOG rule."""

from __future__ import annotations

import re

import semver

from vending.errors import InputError
from vending.semver_guard.difference import Level


def parse_release(text: str | None, where: str) -> semver.Version:
    if text is None:
        raise InputError(f"{where}: no VERSION file")
    try:
        return semver.Version.parse(text)
    except (ValueError, TypeError) as exc:
        raise InputError(f"{where}: VERSION {text!r} is not a semantic version such as 1.2.3") from exc


def required_bump(change: Level, released: semver.Version) -> Level:
    """The bump a change of ``change`` size needs after ``released``.

    Before 1.0.0 the minor is the compatibility boundary (requests are accepted within one minor), so
    breaking and additive changes both need a minor bump there; fixes need a patch.
    """
    if released.major == 0 and change >= Level.MINOR:
        return Level.MINOR
    return change


def actual_bump(released: semver.Version, current: semver.Version) -> Level | None:
    """The bump from ``released`` to ``current``; None when ``current`` is older."""
    if current < released:
        return None
    if current.major != released.major:
        return Level.MAJOR
    if current.minor != released.minor:
        return Level.MINOR
    if current.patch != released.patch or current != released:
        return Level.PATCH
    return Level.NONE


def changelog_has_section(text: str | None, version: str) -> bool:
    """Whether CHANGELOG.md has a heading for ``version`` (``## 1.2.0``, ``## [1.2.0]``, ``## v1.2.0 — …``)."""
    if text is None:
        return False
    heading = re.compile(rf"^#{{1,6}}\s+\[?v?{re.escape(version)}\]?(?=\s|$)", re.MULTILINE)
    return heading.search(text) is not None

"""Secrets out of URLs before anything is printed, logged or put in JSON.

A trunk URL may carry credentials (``https://user:token@host/repo.git``, ``?access_token=...``), and
git, the SDK or vending itself may quote it in a message. :func:`redact` replaces the userinfo of every
URL in a text, and the value of every query or fragment parameter whose name says it is a secret, with
``***``; the printer applies it to every string it writes, text and JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TypeVar

from vending.errors import Finding
from vending.reporting.rows import ResultRow

MASK = "***"
# scheme://userinfo@ : everything between "//" and the last "@" before the path (percent-escapes included).
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<userinfo>[^/?#\s'\"<>]*@)")
_HIDDEN_NAMES = (
    r"[A-Za-z0-9_.\-]*(?:token|secret|passw(?:or)?d|pwd|sig|signature|key|credential|auth|code|session)"
    r"[A-Za-z0-9_.\-]*"
)
_SECRET_PARAMETER = re.compile(rf"(?P<name>[?&#;](?:{_HIDDEN_NAMES})=)(?P<value>[^&#\s'\"<>]+)", re.IGNORECASE)

T = TypeVar("T")


def redact(text: str) -> str:
    """``text`` with the userinfo of every URL and the values of secret-named parameters masked."""
    if "@" not in text and "=" not in text:
        return text
    text = _USERINFO.sub(_mask_userinfo, text)
    return _SECRET_PARAMETER.sub(lambda match: match.group("name") + MASK, text)


def _mask_userinfo(match: re.Match[str]) -> str:
    return f"{match.group('scheme')}{MASK}@"


def redact_value(value: T) -> T:
    """A JSON-like value (dicts, lists, strings) with :func:`redact` applied to every string in it, keys too."""
    if isinstance(value, str):
        return redact(value)  # type: ignore[return-value]
    if isinstance(value, Mapping):
        return {redact_value(key): redact_value(item) for key, item in value.items()}  # type: ignore[return-value]
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(item) for item in value)
    return value


def redact_finding(finding: Finding) -> Finding:
    return replace(finding, file=redact(finding.file), field=redact(finding.field), message=redact(finding.message))


def redact_row(row: ResultRow) -> ResultRow:
    return replace(
        row,
        file=redact(row.file),
        commit=None if row.commit is None else redact(row.commit),
        errors=tuple(redact_finding(error) for error in row.errors),
    )

"""Recorded controller status: one small JSON file per subscription under ``status/<env>/<hh>/<name>.json``.

``vending status --record`` writes these files; ``list``, ``show``, ``report`` and decommission's tombstone
read them. A record says what the controller last reported for the subscription, which render it was
judging (``renderHash``), and since when it has been in that state (``since``, RFC 3339 UTC).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from vending.errors import Finding, InputError
from vending.trunk.layout import STATUS_DIR
from vending.trunk.state import json_text, shard_of

RECORD_SCHEMA = 1
STATES = ("pending", "awaiting-approval", "ready", "failed", "drifted", "destroying", "gone")
"""Every state a subscription can be in, as ``vending status`` classifies it."""


def record_path(environment: str, name: str) -> str:
    """Where the status of ``name`` in ``environment`` is recorded (environment by its config name)."""
    return f"{STATUS_DIR}/{environment}/{shard_of(name)}/{name}.json"


@dataclass(frozen=True)
class StatusRecord:
    """The last recorded status of one subscription."""

    name: str
    environment: str
    state: str
    since: str
    subscriptionId: str | None = None
    appliedRevision: str | None = None
    renderHash: str | None = None
    planId: str | None = None
    message: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"schema": RECORD_SCHEMA, **asdict(self)}

    def text(self) -> str:
        """The file's text: sorted keys, one trailing newline, so an unchanged record is byte-identical."""
        return json_text(self.as_json())

    @classmethod
    def from_json(cls, data: Mapping[str, Any], path: str) -> StatusRecord:
        def text(key: str, *, optional: bool = True) -> str | None:
            value = data.get(key)
            if value is None and optional:
                return None
            if not isinstance(value, str):
                raise _damaged(path, f"'{key}' is not a string")
            return value

        state = text("state", optional=False)
        if state not in STATES:
            raise _damaged(path, f"'state' is {state!r}, not one of {', '.join(STATES)}")
        return cls(
            name=text("name", optional=False) or "",
            environment=text("environment", optional=False) or "",
            state=state,
            since=text("since", optional=False) or "",
            subscriptionId=text("subscriptionId"),
            appliedRevision=text("appliedRevision"),
            renderHash=text("renderHash"),
            planId=text("planId"),
            message=text("message") or "",
        )


def parse_record(text: str, path: str) -> StatusRecord:
    """A record from its file's text; damage is an :class:`InputError` naming the file."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _damaged(path, f"not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise _damaged(path, "not a JSON object")
    return StatusRecord.from_json(data, path)


def _damaged(path: str, reason: str) -> InputError:
    finding = Finding(path, "", f"cannot read the recorded status ({reason}); re-run 'vending status --record'")
    return InputError(f"{path} is damaged", [finding])

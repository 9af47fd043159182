"""Approvals of a subscription's pending plan: ``<env path>/<name>/approval.json``, bound to the exact render
it approves.

The controller names a plan after its source revision only (``plan-<ref>-<10 hex>``), so a change of the
object's ``vars`` re-plans under the same id. An approval therefore records a digest of what it approved (the
normalized request, the ``Terraform`` object's spec without ``approvePlan``, the module ref); the object
carries ``approvePlan`` only while that digest matches the current render, and any change clears it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vending.errors import Finding, InputError
from vending.trunk.layout import APPROVAL_FILE
from vending.trunk.state import json_text

PLAN_ID_RE = re.compile(r"^plan-(?P<ref>[A-Za-z0-9][A-Za-z0-9._/-]*)-(?P<hash>[0-9a-f]{10})$")
"""A full plan id as tofu-controller names it for a revision ``<ref>@sha1:<hash>``."""
COMMIT_PLAN_ID_RE = re.compile(r"^plan-sha1:[0-9a-f]{5}$")
"""The plan id of a source pinned by ``ref.commit`` alone: its revision ``sha1:<hash>`` names no ref, and the
controller takes the revision's first 10 characters."""


def commit_plan_id(commit: str) -> str:
    """The plan id the controller gives every plan of a module source pinned to ``commit``."""
    return "plan-" + f"sha1:{commit}"[:10]


PLAN_OPTION = "--plan"


@dataclass(frozen=True)
class Approval:
    """One approval: the plan id, the digest of the render it approves, who approved it and who asked."""

    plan_id: str
    request_digest: str
    approved_by: str
    requested_by: str

    def text(self) -> str:
        return json_text(
            {
                "planId": self.plan_id,
                "requestDigest": self.request_digest,
                "approvedBy": self.approved_by,
                "requestedBy": self.requested_by,
            }
        )

    def approves(self, digest: str) -> bool:
        return self.request_digest == digest


def approval_path(directory: str) -> str:
    """Where the approval of the subscription in ``directory`` (``<env path>/<name>``) is kept."""
    return f"{directory}/{APPROVAL_FILE}"


def parse_approval(text: str, path: str) -> Approval:
    """The approval in ``text``; ``InputError`` naming ``path`` and the field when it is damaged."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _damaged(path, "", f"not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise _damaged(path, "", "not a JSON object")
    values = {key: data.get(key) for key in ("planId", "requestDigest", "approvedBy", "requestedBy")}
    for key, value in values.items():
        if not isinstance(value, str) or not value:
            raise _damaged(path, key, "missing or not a string")
    if not (PLAN_ID_RE.fullmatch(str(values["planId"])) or COMMIT_PLAN_ID_RE.fullmatch(str(values["planId"]))):
        raise _damaged(path, "planId", "not a full plan id plan-<ref>-<10 hex>")
    return Approval(*(str(value) for value in values.values()))


def _damaged(path: str, field: str, problem: str) -> InputError:
    message = f"{problem}; remove the file ('vending check --fix') and approve again"
    return InputError("damaged approval", [Finding(path, field, message)])


def render_digest(normalized_request: Mapping[str, Any], spec: Mapping[str, Any], module_ref: str) -> str:
    """What an approval is bound to: the request as the trunk holds it, the object's spec without
    ``approvePlan`` and the module ref (sha256 of their canonical JSON)."""
    bare = {key: value for key, value in spec.items() if key != "approvePlan"}
    material = {"request": normalized_request, "spec": bare, "moduleRef": module_ref}
    canonical = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_plan_id(plan_id: str, expected_ref: str | None = None, *, pinned_commit: str | None = None) -> None:
    """A full plan id (never a prefix), for ``expected_ref`` when given; ``InputError`` naming ``--plan``.
    With the module source pinned to ``pinned_commit`` the id is known in full and must be exactly it."""
    if pinned_commit is not None:
        expected = commit_plan_id(pinned_commit)
        if plan_id != expected:
            message = (
                f"{plan_id!r} is not the plan id of the pinned module commit: the source is pinned by "
                f"module.commit, so the controller names every plan {expected!r}"
            )
            raise InputError("plan id of another revision", [Finding(PLAN_OPTION, "", message)])
        return
    if expected_ref is None and COMMIT_PLAN_ID_RE.fullmatch(plan_id):
        return
    shape = f"plan-{expected_ref or '<ref>'}-<10 hex digits>"
    match = PLAN_ID_RE.fullmatch(plan_id)
    if match is None:
        prefix = plan_id.count("-") == 1 or re.fullmatch(r"plan-.+-[0-9a-f]{0,9}", plan_id) is not None
        why = "a prefix of a plan id is refused, " if prefix else ""
        message = f"{plan_id!r} is not a full plan id: {why}expected {shape}, as the controller's status shows it"
        raise InputError("invalid plan id", [Finding(PLAN_OPTION, "", message)])
    if expected_ref is not None and match["ref"] != expected_ref:
        message = (
            f"{plan_id!r} is a plan of {match['ref']!r}, but the trunk pins the module at {expected_ref!r}: "
            f"expected {shape}; read the pending plan id again"
        )
        raise InputError("plan id of another revision", [Finding(PLAN_OPTION, "", message)])

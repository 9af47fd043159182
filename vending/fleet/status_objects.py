"""The controller's side of ``vending status``: the ``Terraform`` objects (and their outputs Secrets) in the
output of ``kubectl get terraforms.infra.contrib.fluxcd.io -A -o json`` (or ``kubectl get terraforms,secrets
-A -o json``), read into small frozen records. Only the fields tofu-controller v0.16.5 writes and the
classification needs are kept; of a Secret, only the ``subscription_id`` key of a ``<name>-outputs`` Secret
is ever decoded, and no other value is kept or printed."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vending.errors import Finding, InputError
from vending.trunk.layout import RENDER_HASH_ANNOTATION

MAX_STATUS_FILE = 256 * 1024 * 1024
"""The largest status file read (bytes): far above 10,000 objects, far below what would exhaust memory."""
MAX_FINDINGS = 20
"""Problems reported from one file before the rest are summarised in one line."""
TERRAFORM_GROUP = "infra.contrib.fluxcd.io/"
OUTPUTS_SUFFIX = "-outputs"
SUBSCRIPTION_OUTPUT = "subscription_id"


@dataclass(frozen=True)
class Condition:
    """One entry of ``status.conditions`` (a Kubernetes ``metav1.Condition``)."""

    type: str
    status: str
    reason: str = ""
    message: str = ""
    since: str | None = None


@dataclass(frozen=True)
class ObservedObject:
    """What the classification needs of one ``Terraform`` object."""

    namespace: str
    name: str
    generation: int | None = None
    observed_generation: int | None = None
    deleting: bool = False
    render_hash: str | None = None
    approve_plan: str = ""
    conditions: tuple[Condition, ...] = ()
    pending_plan: str = ""
    is_destroy_plan: bool = False
    applied_revision: str | None = None
    drift_detected_at: str | None = None

    def condition(self, kind: str) -> Condition | None:
        return next((item for item in self.conditions if item.type == kind), None)


@dataclass(frozen=True)
class Observed:
    """The objects of one status file by ``(namespace, name)``, and the subscription ids their outputs
    Secrets hold (by the same key)."""

    source: str
    objects: Mapping[tuple[str, str], ObservedObject] = field(default_factory=dict)
    subscription_ids: Mapping[tuple[str, str], str] = field(default_factory=dict)


def read_observed(path: Path, shown: str) -> Observed:
    """The objects in the status file at ``path`` (named ``shown`` in messages); a file that is not what
    kubectl writes is an :class:`InputError` (exit 2) naming the file and every problem found."""
    data = _load(path, shown)
    items = data.get("items")
    if not isinstance(items, list):
        raise _refused(
            shown, [Finding(shown, "items", "missing or not a list: not the output of 'kubectl get -o json'")]
        )
    objects: dict[tuple[str, str], ObservedObject] = {}
    ids: dict[tuple[str, str], str] = {}
    findings: list[Finding] = []
    for index, item in enumerate(items):
        where = f"items[{index}]"
        try:
            _take(item, where, objects, ids)
        except _ItemError as exc:
            findings.append(Finding(shown, exc.field, exc.message))
    if findings:
        raise _refused(shown, findings)
    return Observed(shown, objects, ids)


def _load(path: Path, shown: str) -> dict[str, Any]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refused(shown, [Finding(shown, "", f"cannot read it: {exc.strerror}")]) from exc
    if size > MAX_STATUS_FILE:
        limit = MAX_STATUS_FILE // (1024 * 1024)
        raise _refused(
            shown, [Finding(shown, "", f"is {size} bytes, more than the {limit} MiB a status file may hold")]
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_hook=_slim)
    except (OSError, ValueError) as exc:
        raise _refused(
            shown, [Finding(shown, "", f"not JSON ({exc}): give the output of 'kubectl get -o json'")]
        ) from exc
    if not isinstance(data, dict):
        raise _refused(shown, [Finding(shown, "", "not a JSON object: give the output of 'kubectl get -o json'")])
    kind = data.get("kind")
    if not isinstance(kind, str) or not kind.endswith("List"):
        problem = f"kind is {kind!r}, not a List: give the output of 'kubectl get ... -A -o json'"
        raise _refused(shown, [Finding(shown, "kind", problem)])
    return data


HEAVY_KEYS = ("vars", "managedFields", "inventory", "availableOutputs", "varsFrom", "runnerPodTemplate")
"""Keys of a Kubernetes object that the classification never reads and that make most of its size."""


def _slim(value: dict[str, Any]) -> dict[str, Any]:
    """Called on each JSON object as it is parsed, innermost first: drops what is never read, so that the
    parsed file stays a fraction of its text (a Secret keeps only ``subscription_id`` of its data)."""
    for key in HEAVY_KEYS:
        value.pop(key, None)
    if value.get("kind") == "Secret" and isinstance(value.get("data"), dict):
        value["data"] = {key: item for key, item in value["data"].items() if key == SUBSCRIPTION_OUTPUT}
    return value


class _ItemError(Exception):
    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(message)
        self.field = field_path
        self.message = message


def _take(
    item: object, where: str, objects: dict[tuple[str, str], ObservedObject], ids: dict[tuple[str, str], str]
) -> None:
    if not isinstance(item, dict):
        raise _ItemError(where, "not a JSON object")
    kind = item.get("kind")
    if not isinstance(kind, str) or not kind:
        raise _ItemError(f"{where}.kind", "missing: every item needs its kind")
    namespace, name = _identity(item.get("metadata"), f"{where}.metadata")
    if kind == "Terraform" and str(item.get("apiVersion", "")).startswith(TERRAFORM_GROUP):
        objects[(namespace, name)] = _terraform(item, namespace, name, where)
    elif kind == "Secret" and name.endswith(OUTPUTS_SUFFIX):
        value = _subscription_id(item)
        if value is not None:
            ids[(namespace, name.removesuffix(OUTPUTS_SUFFIX))] = value


def _identity(metadata: object, where: str) -> tuple[str, str]:
    if not isinstance(metadata, dict):
        raise _ItemError(where, "missing or not an object: every item needs its metadata")
    name, namespace = metadata.get("name"), metadata.get("namespace")
    if not isinstance(name, str) or not name:
        raise _ItemError(f"{where}.name", "missing or not a string")
    if not isinstance(namespace, str) or not namespace:
        raise _ItemError(f"{where}.namespace", "missing or not a string (list the objects with -A)")
    return namespace, name


def _terraform(item: dict[str, Any], namespace: str, name: str, where: str) -> ObservedObject:
    metadata = item["metadata"]
    spec = _mapping(item.get("spec"), f"{where}.spec")
    status = _mapping(item.get("status"), f"{where}.status")
    plan = _mapping(status.get("plan"), f"{where}.status.plan")
    annotations = _mapping(metadata.get("annotations"), f"{where}.metadata.annotations")
    digest = annotations.get(RENDER_HASH_ANNOTATION)
    return ObservedObject(
        namespace=namespace,
        name=name,
        generation=_integer(metadata.get("generation"), f"{where}.metadata.generation"),
        observed_generation=_integer(status.get("observedGeneration"), f"{where}.status.observedGeneration"),
        deleting=bool(metadata.get("deletionTimestamp")),
        render_hash=digest if isinstance(digest, str) and digest else None,
        approve_plan=_text(spec.get("approvePlan")),
        conditions=tuple(_conditions(status.get("conditions"), f"{where}.status.conditions")),
        pending_plan=_text(plan.get("pending")),
        is_destroy_plan=plan.get("isDestroyPlan") is True,
        applied_revision=_text(status.get("lastAppliedRevision")) or None,
        drift_detected_at=_text(status.get("lastDriftDetectedAt")) or None,
    )


def _conditions(value: object, where: str) -> Iterator[Condition]:
    if value is None:
        return
    if not isinstance(value, list):
        raise _ItemError(where, "not a list")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
            raise _ItemError(f"{where}[{index}]", "not a condition (an object with a type)")
        yield Condition(
            type=entry["type"],
            status=_text(entry.get("status")) or "Unknown",
            reason=_text(entry.get("reason")),
            message=_text(entry.get("message")),
            since=_text(entry.get("lastTransitionTime")) or None,
        )


def _subscription_id(secret: dict[str, Any]) -> str | None:
    """The ``subscription_id`` of an outputs Secret (base64 in ``data``), or None; nothing else is read."""
    data = secret.get("data")
    encoded = data.get(SUBSCRIPTION_OUTPUT) if isinstance(data, dict) else None
    if not isinstance(encoded, str):
        return None
    try:
        value = base64.b64decode(encoded, validate=True).decode("utf-8").strip()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return value or None


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _ItemError(where, "not an object")
    return value


def _integer(value: object, where: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise _ItemError(where, "not an integer")
    return value


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _refused(shown: str, findings: list[Finding]) -> InputError:
    kept = findings[:MAX_FINDINGS]
    if len(findings) > MAX_FINDINGS:
        kept.append(Finding(shown, "", f"... and {len(findings) - MAX_FINDINGS} more problems"))
    return InputError(f"{shown} is not a usable status file", kept)

"""``Terraform`` objects and outputs Secrets as ``kubectl get ... -A -o json`` prints them, with the status
tofu-controller v0.16.5 writes (flux-iac/tofu-controller at tag v0.16.5, commit 4cb9876):

- condition types and reasons: ``api/v1alpha2/terraform_types.go`` (``ConditionTypePlan``, ``...Apply``,
  ``...Output``, ``PlannedWithChangesReason`` = ``TerraformPlannedWithChanges``, ``TFExecApplySucceedReason``
  = ``TerraformAppliedSucceed``, ``DriftDetectedReason``, ``TFExecPlanFailedReason``, ...), and Flux's
  ``meta.ReadyCondition`` / ``meta.StalledCondition`` / ``meta.ProgressingReason``;
- each shape below follows the helper that writes it there: ``TerraformProgressing``,
  ``TerraformPlannedWithChanges`` (Ready Unknown, ``status.plan.pending`` = ``planid.GetPlanID(revision)``,
  message from ``planid.GetApproveMessage``), ``TerraformApplied`` then ``TerraformOutputsWritten`` (Ready
  True, ``Outputs written: <revision>``), ``TerraformNotReady`` (Ready False with the failure reason),
  ``TerraformAppliedFailResetPlanAndNotReady`` (Apply False ``TerraformAppliedFail``), ``TerraformDriftDetected``
  (Ready False ``DriftDetected``, ``lastDriftDetectedAt``), ``TerraformReachedLimit`` (Stalled True
  ``RetryLimitReached``); deletion is Kubernetes' ``metadata.deletionTimestamp`` with the controller's
  finalizer ``finalizers.tf.contrib.fluxcd.io`` still present;
- the outputs Secret: ``controllers/tf_controller_outputs.go`` (``writeOutputsToSecret.name``, type Opaque,
  string outputs as raw text, base64 in ``data`` as the API server returns it).
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

NAMESPACE = "flux-system"
REVISION = "v1.4.0@sha1:4cb9876f84af6e2bffc611f946371e5bc5c94ff9"
PLAN_ID = "plan-v1.4.0-4cb9876f84"
"""``planid.GetPlanID(REVISION)``: the ref, then the first 10 characters of the hash."""
T0 = "2026-11-30T10:00:00Z"
T1 = "2026-11-30T10:05:00Z"


def condition(kind: str, status: str, reason: str, message: str, at: str = T1) -> dict[str, Any]:
    return {
        "type": kind,
        "status": status,
        "reason": reason,
        "message": message,
        "lastTransitionTime": at,
        "observedGeneration": 1,
    }


def terraform(
    name: str,
    status: dict[str, Any] | None = None,
    *,
    render_hash: str | None = None,
    approve: str | None = None,
    generation: int = 1,
    deleting: bool = False,
) -> dict[str, Any]:
    """A ``Terraform`` object as the API server returns it: vending's metadata, the controller's status."""
    annotations = {"vending.dev/deletion-policy": "cancel"}
    if render_hash:
        annotations["vending.dev/render-hash"] = render_hash
    metadata: dict[str, Any] = {
        "name": name,
        "namespace": NAMESPACE,
        "generation": generation,
        "uid": f"uid-{name}",
        "annotations": annotations,
        "finalizers": ["finalizers.tf.contrib.fluxcd.io"],
    }
    if deleting:
        metadata["deletionTimestamp"] = T1
    spec: dict[str, Any] = {"interval": "10m", "path": "./modules/subscription"}
    if approve:
        spec["approvePlan"] = approve
    document = {"apiVersion": "infra.contrib.fluxcd.io/v1alpha2", "kind": "Terraform", "metadata": metadata}
    document["spec"] = spec
    if status is not None:
        document["status"] = {"observedGeneration": generation, **copy.deepcopy(status)}
    return document


def progressing() -> dict[str, Any]:
    """``TerraformProgressing``: the controller picked the object up."""
    return {"conditions": [condition("Ready", "Unknown", "Progressing", "Reconciliation in progress")]}


def awaiting_approval() -> dict[str, Any]:
    """``TerraformPlannedWithChanges`` in manual mode (no ``approvePlan``)."""
    approve = f'Plan generated: set approvePlan: "{PLAN_ID}" to approve this plan.'
    return {
        "conditions": [
            condition("Plan", "True", "TerraformPlannedWithChanges", "Plan generated"),
            condition("Ready", "Unknown", "TerraformPlannedWithChanges", approve),
        ],
        "plan": {"pending": PLAN_ID},
        "lastAttemptedRevision": REVISION,
        "lastPlannedRevision": REVISION,
    }


def ready() -> dict[str, Any]:
    """``TerraformApplied`` then ``TerraformOutputsWritten``: applied, outputs in the Secret."""
    return {
        "conditions": [
            condition("Plan", "True", "TerraformPlannedWithChanges", "Plan generated", T0),
            condition("Apply", "True", "TerraformAppliedSucceed", "Applied successfully"),
            condition("Output", "True", "TerraformOutputsWritten", "Outputs written"),
            condition("Ready", "True", "TerraformOutputsWritten", f"Outputs written: {REVISION}"),
        ],
        "plan": {"lastApplied": PLAN_ID},
        "lastAppliedRevision": REVISION,
        "lastAttemptedRevision": REVISION,
        "lastPlannedRevision": REVISION,
        "availableOutputs": ["management_group_id", "subscription_id", "subscription_resource_id"],
    }


def plan_failed(message: str = "error: Invalid value for variable") -> dict[str, Any]:
    """``TerraformNotReady`` with ``TFExecPlanFailed``."""
    return {
        "conditions": [condition("Ready", "False", "TFExecPlanFailed", message)],
        "lastAttemptedRevision": REVISION,
    }


def apply_failed(message: str = "error creating subscription alias: 403 AuthorizationFailed") -> dict[str, Any]:
    """``TerraformAppliedFailResetPlanAndNotReady`` with ``TFExecApplyFailed``: the pending plan is reset."""
    return {
        "conditions": [
            condition("Plan", "True", "TerraformPlannedWithChanges", "Plan generated", T0),
            condition("Apply", "False", "TerraformAppliedFail", message),
            condition("Ready", "False", "TFExecApplyFailed", message),
        ],
        "plan": {"pending": ""},
        "lastAttemptedRevision": REVISION,
        "lastPlannedRevision": REVISION,
    }


def drifted() -> dict[str, Any]:
    """``TerraformDriftDetected`` in manual mode: the drift plan's text as the message."""
    status = ready()
    status["conditions"][-1] = condition("Ready", "False", "DriftDetected", "Terraform will perform ... ~ update")
    status["lastDriftDetectedAt"] = T1
    return status


def stalled() -> dict[str, Any]:
    """``TerraformReachedLimit`` after a failure."""
    status = plan_failed()
    status["conditions"].append(
        condition("Stalled", "True", "RetryLimitReached", "Resource reached maximum number of retries.")
    )
    return status


def outputs_secret(name: str, subscription_id: str, **others: str) -> dict[str, Any]:
    """The ``<name>-outputs`` Secret ``writeOutputsToSecret`` makes (values base64 as the API returns them)."""
    values = {"subscription_id": subscription_id, **others}
    data = {key: base64.b64encode(value.encode()).decode() for key, value in values.items()}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {"name": f"{name}-outputs", "namespace": NAMESPACE},
        "data": data,
    }


def kubectl_list(*items: dict[str, Any]) -> dict[str, Any]:
    """What ``kubectl get ... -A -o json`` prints."""
    return {"apiVersion": "v1", "kind": "List", "items": list(items), "metadata": {"resourceVersion": ""}}


def write_list(path: Path, *items: dict[str, Any]) -> Path:
    path.write_text(json.dumps(kubectl_list(*items), indent=2), encoding="utf-8")
    return path

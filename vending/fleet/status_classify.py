"""One subscription's state from its ``Terraform`` object, as tofu-controller v0.16.5 writes it (pure).

The conditions and reasons are the controller's own (``api/v1alpha2``): ``Ready`` is ``True`` after
``TerraformOutputsWritten``, ``TerraformPlannedNoChanges`` or ``NoDrift``; ``Unknown`` while progressing, after
``TerraformPlannedWithChanges`` (with ``status.plan.pending`` = the plan id) and right after
``TerraformAppliedSucceed``; ``False`` with ``DriftDetected``, ``DependencyNotReady`` or a failure reason
(``TFExecPlanFailed``, ``TFExecApplyFailed``, ``ArtifactFailed``, ``TFExecInitFailed``, ``LockHeld``, ...);
``Stalled`` is ``True`` with ``RetryLimitReached``. A deletion timestamp means the object is being deleted.
See docs/status.md for the table this module implements.
"""

from __future__ import annotations

from dataclasses import dataclass

from vending.fleet.status_objects import Condition, ObservedObject

PENDING, AWAITING, READY, FAILED, DRIFTED, DESTROYING, GONE = (
    "pending",
    "awaiting-approval",
    "ready",
    "failed",
    "drifted",
    "destroying",
    "gone",
)
APPROVE_AUTO = "auto"
PLANNED_WITH_CHANGES = "TerraformPlannedWithChanges"
APPLIED = "TerraformAppliedSucceed"
DRIFT_DETECTED = "DriftDetected"
WAITING_REASONS = ("DependencyNotReady", "Progressing")
"""``Ready`` reasons that say the controller has not got to the object yet, not that it failed."""
MAX_MESSAGE = 500
"""Characters kept of a controller message (a drift report can hold a whole plan)."""


@dataclass(frozen=True)
class TrunkSubscription:
    """A subscription as the trunk holds it: live (with its current render hash) or decommissioned."""

    name: str
    environment: str
    render_hash: str | None = None
    subscription_id: str | None = None
    decommissioned: bool = False
    deletion: str = "retain"


@dataclass(frozen=True)
class Verdict:
    """A state and what it rests on."""

    state: str
    message: str
    since: str | None = None
    plan_id: str | None = None


def classify(subscription: TrunkSubscription, observed: ObservedObject | None) -> Verdict:
    """The state of one subscription of the trunk (or decommissioned from it) given its object, if any."""
    if subscription.decommissioned:
        return _decommissioned(subscription, observed)
    if observed is None:
        return Verdict(PENDING, "no Terraform object in the cluster yet")
    if observed.deleting:
        return Verdict(DESTROYING, "the Terraform object is being deleted", _since(observed.condition("Ready")))
    behind = _behind(subscription, observed)
    if behind is not None:
        return Verdict(PENDING, behind)
    return judge(observed)


def judge(observed: ObservedObject) -> Verdict:
    """The state an object's own status conditions give."""
    stalled = observed.condition("Stalled")
    if stalled is not None and stalled.status == "True":
        return Verdict(FAILED, _words(stalled), stalled.since)
    ready = observed.condition("Ready")
    if ready is None:
        return Verdict(PENDING, "the controller has not reported on the object yet")
    if ready.status == "True":
        return Verdict(READY, _words(ready), ready.since)
    if ready.status == "False":
        return _not_ready(ready)
    return _unknown(observed, ready)


def _unknown(observed: ObservedObject, ready: Condition) -> Verdict:
    if ready.reason == PLANNED_WITH_CHANGES and observed.pending_plan:
        approved = observed.approve_plan in (APPROVE_AUTO, observed.pending_plan)
        if approved:
            return Verdict(PENDING, f"plan {observed.pending_plan} is approved and being applied", ready.since)
        return Verdict(AWAITING, _words(ready), ready.since, observed.pending_plan)
    if ready.reason == APPLIED:
        return Verdict(READY, _words(ready), ready.since)
    return Verdict(PENDING, _words(ready) or "the controller is reconciling the object", ready.since)


def _not_ready(ready: Condition) -> Verdict:
    if ready.reason == DRIFT_DETECTED:
        return Verdict(DRIFTED, _words(ready), ready.since)
    if ready.reason in WAITING_REASONS:
        return Verdict(PENDING, _words(ready), ready.since)
    return Verdict(FAILED, _words(ready), ready.since)


def _behind(subscription: TrunkSubscription, observed: ObservedObject) -> str | None:
    """Why the object does not yet show the trunk's current render, or None when it does (as far as can be
    told: an object without the render-hash annotation is judged by its status alone)."""
    if observed.render_hash and subscription.render_hash and observed.render_hash != subscription.render_hash:
        return f"the cluster has render {observed.render_hash}, the trunk {subscription.render_hash}"
    generation, seen = observed.generation, observed.observed_generation
    if generation is not None and seen is not None and seen < generation:
        return f"the controller has not reconciled generation {generation} yet (last {seen})"
    return None


def _decommissioned(subscription: TrunkSubscription, observed: ObservedObject | None) -> Verdict:
    if observed is None:
        return Verdict(GONE, "decommissioned; its Terraform object is gone")
    if observed.deleting:
        return Verdict(DESTROYING, "decommissioned; the Terraform object is being deleted")
    if subscription.deletion == "retain":
        return Verdict(GONE, "decommissioned with policy retain: its object stays in the cluster until deleted by hand")
    return Verdict(DESTROYING, "decommissioned; waiting for Flux to prune the Terraform object")


def _words(condition: Condition) -> str:
    """The controller's message, else its reason: one line."""
    text = " ".join((condition.message or condition.reason).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _since(condition: Condition | None) -> str | None:
    return condition.since if condition is not None else None

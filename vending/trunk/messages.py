"""The words of the trunk's commits: subjects, bodies and the trailers the contract lists, built from plain
values for every use case (vend, update, decommission, approve)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from vending.errors import Finding, InputError
from vending.request.hygiene import control_character, invisible_character, lone_surrogate

_TRAILER_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")

POLICY_TEXT = {
    "cancel": "the Terraform object is pruned and destroys what it manages, cancelling the subscription "
    "(Azure deletes a cancelled subscription after about 90 days)",
    "retain": "the Terraform object stays in the cluster (prune disabled) and the subscription is kept; "
    "delete the object by hand when it should no longer be managed",
}


class Action(StrEnum):
    """What a commit does to one subscription."""

    CREATE = "create"
    UPDATE = "update"
    DECOMMISSION = "decommission"
    APPROVE = "approve"


@dataclass(frozen=True)
class Change:
    """The words of one commit: subject, body and trailers."""

    subject: str
    trailers: Mapping[str, str]
    body: str = ""

    def message(self) -> str:
        """Subject, body and trailers; refused (exit 2) when a value would change how git parses them."""
        _check_line("subject", self.subject)
        for key, value in self.trailers.items():
            if not _TRAILER_KEY.fullmatch(key) or not value.strip() or value != value.strip():
                problem = f"trailer {key!r}: {value!r} must be a value without surrounding white space"
                raise InputError("invalid commit trailer", [Finding("", key, problem)])
            _check_line(key, value)
        trailer_text = "".join(f"{key}: {value}\n" for key, value in self.trailers.items())
        body = f"{self.body.strip()}\n\n" if self.body.strip() else ""
        return f"{self.subject}\n\n{body}{trailer_text}"


def _check_line(field: str, value: str) -> None:
    """One line of visible text, or an ``InputError`` naming the part of the message it was meant for."""
    problem = control_character(value) or invisible_character(value) or lone_surrogate(value)
    if problem is not None:
        message = f"{value[:60]!r} cannot enter a commit message: it {problem}"
        raise InputError("invalid commit message value", [Finding("", field, message)])


@dataclass(frozen=True)
class Subject:
    """Who and what a commit is about: the plain values every trailer set is made of."""

    name: str
    environment: str
    requested_by: str
    identity: str
    interface_version: str = ""


def _trailers(subject: Subject, azure_checks: str, ticket: str | None) -> dict[str, str]:
    trailers = {
        "Vending-Request": subject.name,
        "Vending-Interface": subject.interface_version,
        "Requested-By": subject.requested_by,
        "Vending-Identity": subject.identity,
        "Azure-Checks": azure_checks,
    }
    if ticket:
        trailers["Ticket"] = ticket
    return trailers


def subscription_change(
    subject: Subject,
    action: Action,
    display_name: str,
    azure_checks: str,
    ticket: str | None = None,
    render_hash: str | None = None,
) -> Change:
    """A commit that vends (``create``) or updates one subscription; ``render_hash`` (the
    ``vending.dev/render-hash`` of its render) becomes the ``Vending-Render-Hash`` trailer, which ``vending
    report`` ties to the recorded status of that render."""
    verb = {Action.CREATE: "Vend", Action.UPDATE: "Update"}[action]
    _check_line("displayName", display_name)
    body = f"{verb} subscription {subject.name!r} ({display_name}) in environment {subject.environment}."
    trailers = _trailers(subject, azure_checks, ticket)
    if render_hash:
        trailers["Vending-Render-Hash"] = render_hash
    return Change(f"{verb} {subject.name} in {subject.environment}", trailers, body)


def decommission_change(subject: Subject, policy: str, reason: str = "", ticket: str | None = None) -> Change:
    """A commit that removes one subscription, by its recorded deletion policy."""
    _check_line("reason", reason)
    why = f"Reason: {reason}\n\n" if reason else ""
    body = f"{why}Deletion policy {policy}: {POLICY_TEXT[policy]}."
    trailers = _trailers(subject, "skipped", ticket)
    return Change(f"Decommission {subject.name} from {subject.environment}", trailers, body)


def approval_change(subject: Subject, plan_id: str) -> Change:
    """A commit that approves one subscription's pending plan."""
    trailers = {
        "Vending-Request": subject.name,
        "Vending-Identity": subject.identity,
        "Requested-By": subject.requested_by,
        "Vending-Approval": plan_id,
    }
    return Change(f"Approve {plan_id} for {subject.name} in {subject.environment}", trailers)


def status_change(identity: str, changed: int, requested_by: str | None = None) -> Change:
    """A commit that records the controller's status of ``changed`` subscriptions under ``status/``."""
    trailers = {"Vending-Identity": identity}
    if requested_by:
        trailers["Requested-By"] = requested_by
    noun = "subscription" if changed == 1 else "subscriptions"
    return Change(f"Record the status of {changed} {noun}", trailers)


def initial_change(org: str, interface_version: str) -> Change:
    """The first commit of a trunk made by ``vending init``."""
    return Change(f"Initialize subscription trunk for {org}", {"Vending-Interface": interface_version})

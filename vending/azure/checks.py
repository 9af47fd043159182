"""The pre-flight checks: what Azure must say before a request is committed (pure over a snapshot)."""

from __future__ import annotations

import difflib
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from vending.azure.adapter import AzureReader
from vending.azure.gather import Snapshot, billing_account, gather
from vending.azure.models import AliasInfo, AzureReadError, TenantInfo
from vending.azure.report import CheckReport, RequestResult
from vending.azure.settings import AzureSettings
from vending.errors import AzureCheckError, Finding
from vending.request.model import Request

BILLING_ROLES = {
    "EA": "the Enrollment account subscription creator role on the enrollment account (or be its Account Owner)",
    "MCA": "the Azure subscription creator role (or Owner/Contributor) on the invoice section",
    "MPA": "the Admin agent role in the partner's tenant for this customer",
}


@dataclass
class _Verdict:
    """Findings and notes gathered for one request while the checks run."""

    source: str
    request: Request
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    bound_subscription: str | None = None
    already_vended: bool = False

    def refuse(self, field_path: str, message: str) -> None:
        self.findings.append(Finding(self.source, field_path, message))

    def result(self) -> RequestResult:
        return RequestResult(
            self.source, self.request.name, tuple(self.findings), tuple(self.notes), self.already_vended
        )


def check_requests(
    requests: Sequence[tuple[str, Request]],
    reader: AzureReader,
    settings: AzureSettings,
    in_trunk: Collection[str] = (),
) -> CheckReport:
    """Check every ``(source file, request)`` pair against Azure and collect every finding.

    ``in_trunk`` names requests already recorded in the trunk: their alias is theirs even when
    the display name changed since. Raises ``AzureCheckError`` when Azure cannot be reached or
    authenticated, or the expected tenant is not visible.
    """
    started = time.monotonic()
    require_tenant(reader.list_tenants(), settings.tenant_id)
    snapshot = gather([request for _, request in requests], reader, settings.max_concurrency)
    caller = _caller_if_needed(snapshot, reader)
    results = [_check_one(source, request, snapshot, caller, frozenset(in_trunk)) for source, request in requests]
    return CheckReport(tuple(results), reader.usage(), time.monotonic() - started, _run_notes(snapshot))


def require_tenant(tenants: Sequence[TenantInfo], tenant_id: str | None) -> None:
    """The credential must see a tenant, and the expected one when it is named."""
    visible = sorted(t.tenant_id.lower() for t in tenants)
    if not visible:
        raise AzureCheckError(
            "the Azure identity sees no tenant at all; sign in to the right directory "
            "(az login --tenant <tenant>) or check the service connection"
        )
    if tenant_id and tenant_id.lower() not in visible:
        raise AzureCheckError(
            f"tenant {tenant_id} is not visible to the Azure identity (it sees "
            f"{', '.join(visible)}); sign in to that tenant or fix the tenant setting"
        )


def _caller_if_needed(snapshot: Snapshot, reader: AzureReader) -> str | None:
    policy = snapshot.tenant_policy
    if policy is None or isinstance(policy, AzureReadError) or not policy.block_subscriptions_into_tenant:
        return None
    return reader.caller_object_id()


def _check_one(
    source: str, request: Request, snapshot: Snapshot, caller: str | None, in_trunk: frozenset[str]
) -> RequestResult:
    verdict = _Verdict(source, request)
    check_alias(verdict, snapshot, in_trunk=request.name in in_trunk)
    check_display_name(verdict, snapshot)
    check_management_group(verdict, snapshot)
    check_location(verdict, snapshot)
    check_adoption(verdict, snapshot)
    check_tenant_policy(verdict, snapshot, caller)
    check_billing_account(verdict, snapshot)
    return verdict.result()


def check_alias(verdict: _Verdict, snapshot: Snapshot, *, in_trunk: bool) -> None:
    request = verdict.request
    alias = snapshot.aliases.get(request.name)
    if isinstance(alias, AzureReadError):
        _alias_read_failed(verdict, alias)
        return
    if alias is None:
        verdict.bound_subscription = request.subscription_id
        return
    if _is_ours(request, alias, in_trunk=in_trunk):
        verdict.bound_subscription = alias.subscription_id
        verdict.already_vended = True
        verdict.notes.append(
            f"already vended: alias {alias.name!r} exists for subscription {alias.subscription_id}"
            f" ({alias.provisioning_state or 'state unknown'})"
        )
        return
    verdict.refuse(
        "name",
        f"the subscription alias {request.name!r} is already taken (subscription "
        f"{alias.subscription_id}, display name {alias.display_name!r}, billing scope "
        f"{alias.billing_scope}); choose another name",
    )


def _is_ours(request: Request, alias: AliasInfo, *, in_trunk: bool) -> bool:
    if request.subscription_id is not None:
        return (alias.subscription_id or "").lower() == request.subscription_id.lower()
    same_scope = (alias.billing_scope or "").lower() == (request.billing_scope or "").lower()
    return same_scope and (in_trunk or alias.display_name == request.display_name)


def _alias_read_failed(verdict: _Verdict, error: AzureReadError) -> None:
    kind = verdict.request.billing_kind
    if error.unauthorized_on_billing and kind is not None:
        verdict.refuse(
            "billingScope",
            f"Azure refused ({error.status} {error.code}: {error.azure_message}); "
            f"the identity likely lacks {BILLING_ROLES[kind]}",
        )
        return
    verdict.refuse("name", f"could not check the alias: {error.message}; re-run when Azure answers")


def check_display_name(verdict: _Verdict, snapshot: Snapshot) -> None:
    wanted = verdict.request.display_name.casefold()
    bound = {(verdict.bound_subscription or "").lower(), (verdict.request.subscription_id or "").lower()}
    for sub in snapshot.subscriptions.values():
        if sub.display_name.casefold() == wanted and sub.subscription_id.lower() not in bound:
            verdict.refuse(
                "displayName",
                f"{verdict.request.display_name!r} is already the name of subscription "
                f"{sub.subscription_id} ({sub.state}); choose another display name",
            )
            return


def check_management_group(verdict: _Verdict, snapshot: Snapshot) -> None:
    group = verdict.request.management_group
    exists = snapshot.groups.get(group, True)
    if isinstance(exists, AzureReadError):
        verdict.refuse("managementGroup", f"could not check management group {group!r}: {exists.message}")
    elif not exists:
        verdict.refuse(
            "managementGroup",
            f"management group {group!r} is missing or the identity has no access "
            "to it (Azure answers 403 'scope is invalid' for both); check the id, or grant the "
            "identity Management Group Reader on it",
        )


def check_location(verdict: _Verdict, snapshot: Snapshot) -> None:
    if snapshot.locations is None:
        verdict.notes.append("location not checked: no subscription is visible to list regions from")
        return
    location = verdict.request.location
    if location.lower() in snapshot.locations:
        return
    close = difflib.get_close_matches(location.lower(), sorted(snapshot.locations), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    verdict.refuse("location", f"{location!r} is not an Azure region available here{hint}")


def check_adoption(verdict: _Verdict, snapshot: Snapshot) -> None:
    wanted = verdict.request.subscription_id
    if wanted is None:
        return
    found = snapshot.subscriptions.get(wanted.lower()) or snapshot.adopted.get(wanted.lower())
    if isinstance(found, AzureReadError):
        verdict.refuse("subscriptionId", f"could not read subscription {wanted}: {found.message}")
    elif found is None:
        verdict.refuse(
            "subscriptionId",
            f"subscription {wanted} does not exist or the identity cannot see it; "
            "check the id, or grant the identity Reader on it",
        )
    elif found.state != "Enabled":
        verdict.refuse(
            "subscriptionId",
            f"subscription {wanted} ({found.display_name!r}) is {found.state}, "
            "not Enabled; only an Enabled subscription can be adopted (re-enable it first)",
        )
    elif found.workload and verdict.request.workload and found.workload != verdict.request.workload:
        verdict.refuse(
            "workload",
            f"subscription {wanted} is a {found.workload} subscription (quota id {found.quota_id!r}); an adopted "
            f"subscription keeps its offer: set 'workload: {found.workload}' (or leave it to an environment "
            f"whose workload is {found.workload})",
        )


def check_tenant_policy(verdict: _Verdict, snapshot: Snapshot, caller: str | None) -> None:
    policy = snapshot.tenant_policy
    if verdict.request.subscription_id is not None or policy is None or isinstance(policy, AzureReadError):
        return
    if policy.block_subscriptions_into_tenant and (caller is None or caller not in policy.exempted_principals):
        who = f"identity {caller}" if caller else "the identity running vending"
        verdict.refuse(
            "billingScope",
            f"the tenant's subscription policy blocks subscriptions into the tenant "
            f"(blockSubscriptionsIntoTenant) and {who} is not among its exempted principals; ask a "
            "tenant admin to exempt it",
        )


def check_billing_account(verdict: _Verdict, snapshot: Snapshot) -> None:
    scope = verdict.request.billing_scope
    if scope is None:
        return
    policy = snapshot.billing.get(billing_account(scope))
    if isinstance(policy, AzureReadError):
        verdict.notes.append(
            f"billing account policy not checked ({policy.status} {policy.code or ''}: {policy.azure_message})"
        )


def _run_notes(snapshot: Snapshot) -> tuple[str, ...]:
    policy = snapshot.tenant_policy
    if isinstance(policy, AzureReadError):
        return (f"tenant subscription policy not checked: {policy.message}",)
    return ()

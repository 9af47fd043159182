"""What the checks read from Azure, as plain values (no SDK types beyond the adapter)."""

from __future__ import annotations

from dataclasses import dataclass

from vending.errors import AzureCheckError


@dataclass(frozen=True)
class TenantInfo:
    tenant_id: str
    display_name: str | None = None


@dataclass(frozen=True)
class SubscriptionInfo:
    subscription_id: str
    display_name: str
    state: str
    quota_id: str | None = None
    """The offer's quota id (``subscriptionPolicies.quotaId``), which says whether it is a DevTest offer."""

    @property
    def workload(self) -> str | None:
        """``DevTest`` or ``Production`` as the offer makes it, or None when Azure did not say."""
        if not self.quota_id:
            return None
        return "DevTest" if "devtest" in self.quota_id.casefold() else "Production"


@dataclass(frozen=True)
class AliasInfo:
    name: str
    subscription_id: str | None
    display_name: str | None
    billing_scope: str | None
    provisioning_state: str | None = None


@dataclass(frozen=True)
class TenantPolicyInfo:
    block_subscriptions_into_tenant: bool = False
    block_subscriptions_leaving_tenant: bool = False
    exempted_principals: tuple[str, ...] = ()


@dataclass(frozen=True)
class BillingPolicyInfo:
    allow_transfers: bool | None = None
    service_tenants: tuple[str, ...] = ()


class AzureReadError(AzureCheckError):
    """Azure answered a read with an HTTP error (after retries); the checks decide what it means."""

    def __init__(self, what: str, status: int | None, code: str | None, azure_message: str) -> None:
        shown = " ".join(str(part) for part in (status, code) if part)
        super().__init__(f"Azure answered {shown or 'an error'} to {what}: {azure_message}")
        self.what = what
        self.status = status
        self.code = code
        self.azure_message = azure_message

    @property
    def unauthorized_on_billing(self) -> bool:
        return self.status in (401, 403) and (self.code or "").lower() == "usernotauthorized"

    @property
    def scope_missing_or_forbidden(self) -> bool:
        """ARM's answer for a scope that does not exist or that the caller cannot see."""
        if self.status == 404:
            return True
        return self.status == 403 and (
            "scope is invalid" in self.azure_message.lower() or (self.code or "") == "AuthorizationFailed"
        )

"""The reads the pre-flight checks need: a Protocol, and its implementation over the Azure SDK."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from azure.core.credentials import TokenCredential
from azure.core.pipeline.policies import HTTPPolicy
from azure.core.pipeline.transport import RequestsTransport
from azure.mgmt.managementgroups import ManagementGroupsMgmtClient
from azure.mgmt.subscription import SubscriptionClient

from vending.azure.credentials import SharedTokenCache, token_object_id
from vending.azure.endpoint import path_segment
from vending.azure.models import (
    AliasInfo,
    AzureReadError,
    BillingPolicyInfo,
    SubscriptionInfo,
    TenantInfo,
    TenantPolicyInfo,
)
from vending.azure.pacing import (
    Deadline,
    DeadlineRetryPolicy,
    LoopbackOnlyPolicy,
    PacingPolicy,
    TokenBucket,
    TrafficStats,
)
from vending.azure.report import ReadUsage
from vending.azure.settings import AzureSettings
from vending.azure.translate import translated
from vending.errors import AzureCheckError

T = TypeVar("T")
CONNECT_TIMEOUT = 15.0


class AzureReader(Protocol):
    """Read-only view of Azure used by the checks. Errors: ``AzureReadError`` / ``AzureCheckError``."""

    def list_tenants(self) -> list[TenantInfo]: ...
    def list_subscriptions(self) -> list[SubscriptionInfo]: ...
    def get_subscription(self, subscription_id: str) -> SubscriptionInfo | None: ...
    def list_locations(self, subscription_id: str) -> list[str]: ...
    def management_group_exists(self, group_id: str) -> bool: ...
    def get_alias(self, name: str) -> AliasInfo | None: ...
    def get_tenant_policy(self) -> TenantPolicyInfo: ...
    def get_billing_account_policy(self, billing_account: str) -> BillingPolicyInfo: ...
    def caller_object_id(self) -> str | None: ...
    def usage(self) -> ReadUsage: ...


class _PooledTransport(RequestsTransport):  # type: ignore[misc]
    """The requests transport with a connection pool as large as the run's concurrency."""

    def __init__(self, pool_size: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pool_size = pool_size

    def _init_session(self, session: Any) -> None:
        super()._init_session(session)
        for adapter in session.adapters.values():
            adapter.init_poolmanager(self._pool_size, self._pool_size)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


class SdkAzureReader:
    """``AzureReader`` over azure-mgmt-subscription and azure-mgmt-managementgroups.

    ``operations`` counts logical reads by name; ``traffic`` counts HTTP attempts (retries and
    pages included) and 429s. Close it with ``close()``.
    """

    def __init__(self, settings: AzureSettings, credential: TokenCredential) -> None:
        self.settings = settings
        self.credential = SharedTokenCache(credential)
        self.operations: Counter[str] = Counter()
        self.traffic = TrafficStats()
        self.bucket = TokenBucket(settings.read_burst, settings.read_refill_per_second)
        self.deadline = Deadline(settings.timeout, settings.arm_endpoint)
        self._lock = threading.Lock()
        self.subscriptions = SubscriptionClient(self.credential, **self._client_options())
        self.groups = ManagementGroupsMgmtClient(self.credential, **self._client_options())

    def _client_options(self) -> dict[str, Any]:
        settings = self.settings
        timeouts = (CONNECT_TIMEOUT, settings.read_timeout)
        per_retry: list[HTTPPolicy[Any, Any]] = [PacingPolicy(self.bucket, self.traffic, self.deadline, timeouts)]
        if settings.credential == "static-test":
            per_retry.insert(0, LoopbackOnlyPolicy())
        verify: str | bool = str(settings.ca_bundle) if settings.ca_bundle else True
        transport = _PooledTransport(
            settings.max_concurrency + 2,
            connection_verify=verify,
            read_timeout=settings.read_timeout,
            connection_timeout=CONNECT_TIMEOUT,
        )
        retry = DeadlineRetryPolicy(
            self.deadline,
            retry_total=settings.retry_total,
            retry_connect=5,
            retry_read=5,
            retry_status=8,
            retry_backoff_factor=0.5,
            retry_backoff_max=30,
        )
        return {
            "base_url": settings.arm_endpoint,
            "credential_scopes": [settings.token_scope],
            "transport": transport,
            "retry_policy": retry,
            "per_retry_policies": per_retry,
            "connection_verify": verify,
        }

    def _call(self, what: str, call: Callable[[], T]) -> T:
        with self._lock:
            self.operations[what] += 1
        with translated(what, self.settings.arm_endpoint):
            return call()

    def _pages(self, what: str, pager: Any) -> list[Any]:
        """Every item of a paged list; ``AzureCheckError`` when a ``nextLink`` repeats or the chain runs
        past ``settings.max_pages`` pages."""
        items: list[Any] = []
        seen: set[str] = set()
        pages = pager.by_page()
        for number, page in enumerate(pages, start=1):
            items.extend(page)
            link = pages.continuation_token
            if link is None:
                continue
            if link in seen or number >= self.settings.max_pages:
                problem = "repeated a nextLink" if link in seen else f"ran past {self.settings.max_pages} pages"
                raise AzureCheckError(
                    f"Azure Resource Manager at {self.settings.arm_endpoint} {problem} in {what}; stopped "
                    "following it (a proxy or a broken endpoint?)"
                )
            seen.add(link)
        return items

    def list_tenants(self) -> list[TenantInfo]:
        tenants = self._call("tenants.list", lambda: self._pages("tenants.list", self.subscriptions.tenants.list()))
        return [TenantInfo(str(t.tenant_id), _text(getattr(t, "display_name", None))) for t in tenants]

    def list_subscriptions(self) -> list[SubscriptionInfo]:
        items = self._call(
            "subscriptions.list", lambda: self._pages("subscriptions.list", self.subscriptions.subscriptions.list())
        )
        return [_subscription(item) for item in items]

    def get_subscription(self, subscription_id: str) -> SubscriptionInfo | None:
        try:
            item = self._call(
                "subscriptions.get",
                lambda: self.subscriptions.subscriptions.get(path_segment(subscription_id, "subscription id")),
            )
        except AzureReadError as error:
            if error.status == 404:
                return None
            raise
        return _subscription(item)

    def list_locations(self, subscription_id: str) -> list[str]:
        items = self._call(
            "subscriptions.list_locations",
            lambda: self._pages(
                "subscriptions.list_locations",
                self.subscriptions.subscriptions.list_locations(path_segment(subscription_id, "subscription id")),
            ),
        )
        return [str(item.name) for item in items if item.name]

    def management_group_exists(self, group_id: str) -> bool:
        try:
            self._call(
                "management_groups.get",
                lambda: self.groups.management_groups.get(path_segment(group_id, "management group")),
            )
        except AzureReadError as error:
            if error.scope_missing_or_forbidden:
                return False
            raise
        return True

    def get_alias(self, name: str) -> AliasInfo | None:
        try:
            alias = self._call("alias.get", lambda: self.subscriptions.alias.get(path_segment(name, "alias")))
        except AzureReadError as error:
            if error.status == 404:
                return None
            raise
        props = alias.properties
        if props is None:
            return AliasInfo(name, None, None, None)
        return AliasInfo(
            name,
            _text(props.subscription_id),
            _text(props.display_name),
            _text(props.billing_scope),
            _text(props.provisioning_state),
        )

    def get_tenant_policy(self) -> TenantPolicyInfo:
        policy = self._call(
            "subscription_policy.get_policy_for_tenant",
            lambda: self.subscriptions.subscription_policy.get_policy_for_tenant(),
        )
        props = policy.properties
        if props is None:
            return TenantPolicyInfo()
        return TenantPolicyInfo(
            bool(props.block_subscriptions_into_tenant),
            bool(props.block_subscriptions_leaving_tenant),
            tuple(p.lower() for p in props.exempted_principals or ()),
        )

    def get_billing_account_policy(self, billing_account: str) -> BillingPolicyInfo:
        policy = self._call(
            "billing_account.get_policy",
            lambda: self.subscriptions.billing_account.get_policy(path_segment(billing_account, "billing account")),
        )
        props = policy.properties
        if props is None:
            return BillingPolicyInfo()
        tenants = tuple(str(t.tenant_id).lower() for t in props.service_tenants or () if t.tenant_id)
        return BillingPolicyInfo(props.allow_transfers, tenants)

    def caller_object_id(self) -> str | None:
        with translated("getting a token", self.settings.arm_endpoint):
            token = self.credential.get_token(self.settings.token_scope)
        return token_object_id(token.token)

    def usage(self) -> ReadUsage:
        traffic = self.traffic.snapshot()
        with self._lock:
            operations = dict(self.operations)
        return ReadUsage(
            operations,
            traffic.requests,
            traffic.retries,
            traffic.throttled,
            traffic.transport_errors,
            traffic.paced_seconds,
        )

    def close(self) -> None:
        self.subscriptions.close()
        self.groups.close()


def _subscription(item: Any) -> SubscriptionInfo:
    policies = getattr(item, "subscription_policies", None)
    quota_id = _text(getattr(policies, "quota_id", None))
    return SubscriptionInfo(str(item.subscription_id), str(item.display_name or ""), _text(item.state) or "", quota_id)

"""Every read a batch of requests needs, made once each and concurrently, into a ``Snapshot``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import TypeAlias, TypeVar

from vending.azure.adapter import AzureReader
from vending.azure.models import (
    AliasInfo,
    AzureReadError,
    BillingPolicyInfo,
    SubscriptionInfo,
    TenantPolicyInfo,
)
from vending.request.model import Request

T = TypeVar("T")
Outcome: TypeAlias = T | AzureReadError


@dataclass(frozen=True)
class Snapshot:
    """What Azure said, keyed for the checks; per-item read failures are kept, not raised."""

    subscriptions: dict[str, SubscriptionInfo]
    locations: frozenset[str] | None
    groups: dict[str, Outcome[bool]]
    aliases: dict[str, Outcome[AliasInfo | None]]
    adopted: dict[str, Outcome[SubscriptionInfo | None]]
    tenant_policy: Outcome[TenantPolicyInfo] | None
    billing: dict[str, Outcome[BillingPolicyInfo]] = field(default_factory=dict)


def billing_account(scope: str) -> str:
    """The ``{ba}`` of ``/providers/Microsoft.Billing/billingAccounts/{ba}/...``."""
    return scope.split("/")[4]


def _attempt(call: Callable[[], T]) -> Outcome[T]:
    try:
        return call()
    except AzureReadError as error:
        return error


class _Reads:
    """Submits reads to a bounded pool; ``collect`` waits for them and re-raises fatal errors."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self.pool = pool

    def each(self, keys: Sequence[str], call: Callable[[str], T]) -> dict[str, Future[Outcome[T]]]:
        return {key: self.pool.submit(_attempt, partial(call, key)) for key in keys}

    @staticmethod
    def collect(futures: dict[str, Future[Outcome[T]]]) -> dict[str, Outcome[T]]:
        return {key: future.result() for key, future in futures.items()}


def gather(requests: Sequence[Request], reader: AzureReader, max_concurrency: int) -> Snapshot:
    """Read once: the subscription list, one locations list, each distinct group, alias, account."""
    pool = ThreadPoolExecutor(max_workers=max_concurrency, thread_name_prefix="vending-azure")
    try:
        snapshot = _gather(requests, reader, _Reads(pool))
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return snapshot


def _gather(requests: Sequence[Request], reader: AzureReader, reads: _Reads) -> Snapshot:
    creating = [r for r in requests if r.subscription_id is None]
    listed = reads.pool.submit(reader.list_subscriptions)
    policy = reads.pool.submit(_attempt, reader.get_tenant_policy) if creating else None
    groups = reads.each(_distinct(r.management_group for r in requests), reader.management_group_exists)
    accounts = _distinct(billing_account(r.billing_scope) for r in creating if r.billing_scope)
    billing = reads.each(accounts, reader.get_billing_account_policy)
    aliases = reads.each(_distinct(r.name for r in requests), reader.get_alias)
    subscriptions = {s.subscription_id.lower(): s for s in listed.result()}
    locations = reads.pool.submit(_locations, reader, list(subscriptions.values()))
    unseen = _distinct(
        r.subscription_id for r in requests if r.subscription_id and r.subscription_id.lower() not in subscriptions
    )
    adopted = reads.each(unseen, reader.get_subscription)
    return Snapshot(
        subscriptions=subscriptions,
        locations=locations.result(),
        groups=reads.collect(groups),
        aliases=reads.collect(aliases),
        adopted={key.lower(): value for key, value in reads.collect(adopted).items()},
        tenant_policy=policy.result() if policy else None,
        billing=reads.collect(billing),
    )


def _locations(reader: AzureReader, subscriptions: list[SubscriptionInfo]) -> frozenset[str] | None:
    """Region names from one subscription (an Enabled one when there is one); None if none is visible."""
    if not subscriptions:
        return None
    chosen = next((s for s in subscriptions if s.state == "Enabled"), subscriptions[0])
    return frozenset(name.lower() for name in reader.list_locations(chosen.subscription_id))


def _distinct(values: Iterable[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)

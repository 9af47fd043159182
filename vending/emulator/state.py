"""The emulator's in-memory model of a tenant: groups, subscriptions, aliases, policies.

All mutation happens under ``EmulatorState.lock``; handlers hold it for a whole request.
Ids are matched case-insensitively, as ARM does, and stored as given.
"""

from __future__ import annotations

import random
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vending.emulator import data


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class ManagementGroup:
    name: str
    display_name: str
    parent: str | None
    updated_time: str = field(default_factory=utc_now)


@dataclass
class Subscription:
    subscription_id: str
    display_name: str
    management_group: str
    state: str = "Enabled"
    tags: dict[str, str] = field(default_factory=dict)
    resource_count: int = 0
    workload: str = "Production"
    providers: dict[str, str] = field(default_factory=dict)
    pending_providers: dict[str, int] = field(default_factory=dict)
    billing_scope: str | None = None


@dataclass
class Alias:
    name: str
    subscription_id: str
    display_name: str
    workload: str
    billing_scope: str | None
    management_group_id: str | None = None
    subscription_owner_id: str | None = None
    subscription_tenant_id: str | None = None
    reseller_id: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    created_time: str = field(default_factory=utc_now)
    provisioning_state: str = "Succeeded"
    polls_left: int = 0
    operation_id: str = ""


@dataclass
class TenantPolicy:
    policy_id: str
    block_subscriptions_leaving_tenant: bool = False
    block_subscriptions_into_tenant: bool = False
    exempted_principals: list[str] = field(default_factory=list)


@dataclass
class BillingAccountPolicy:
    allow_transfers: bool = True
    service_tenants: list[dict[str, str]] = field(default_factory=list)


def billing_account_of(scope: str) -> str | None:
    """The billing account id inside a billing scope, or None when the scope has none."""
    parts = [part for part in scope.split("/") if part]
    lowered = [part.lower() for part in parts]
    if "billingaccounts" not in lowered:
        return None
    index = lowered.index("billingaccounts") + 1
    return parts[index] if index < len(parts) else None


def group_name_of(value: str) -> str:
    """A management group name from either its name or its full resource id."""
    return value.rstrip("/").rsplit("/", 1)[-1]


class EmulatorState:
    """One tenant's worth of resources. Build it with ``default_state()`` or ``load_state()``."""

    def __init__(self, tenant_id: str = data.TENANT_ID, seed: int | None = None) -> None:
        self.lock = threading.RLock()
        self.rng = random.Random(seed)
        self.tenant_id = tenant_id
        self.tenant_display_name = data.TENANT_DISPLAY_NAME
        self.tenant_domain = data.TENANT_DOMAIN
        self.root_group = tenant_id
        self.groups: dict[str, ManagementGroup] = {}
        self.subscriptions: dict[str, Subscription] = {}
        self.aliases: dict[str, Alias] = {}
        self.operations: dict[str, str] = {}
        self.billing_scopes: set[str] = set()
        self.billing_accounts: dict[str, BillingAccountPolicy] = {}
        self.locations: list[str] = list(data.LOCATION_NAMES)
        self.resources: dict[str, dict[str, Any]] = {}
        self.async_operations: dict[str, int] = {}
        self.tenant_policy = TenantPolicy(policy_id=self.new_id())
        self.add_management_group(tenant_id, data.ROOT_GROUP_DISPLAY_NAME, parent=None)

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add_management_group(self, name: str, display_name: str = "", parent: str | None = "") -> None:
        """Add a group; ``parent=""`` means the root group, ``None`` makes it the root."""
        with self.lock:
            parent_name = self.root_group if parent == "" else parent
            self.groups[name.lower()] = ManagementGroup(name, display_name or name, parent_name)
            if parent is None:
                self.root_group = name

    def group(self, name: str) -> ManagementGroup | None:
        return self.groups.get(group_name_of(name).lower())

    def accept_billing_scope(self, scope: str, policy: BillingAccountPolicy | None = None) -> None:
        with self.lock:
            self.billing_scopes.add(scope)
            account = billing_account_of(scope)
            if account is not None and account.lower() not in self.billing_accounts:
                self.billing_accounts[account.lower()] = policy or BillingAccountPolicy()

    def is_accepted_scope(self, scope: str) -> bool:
        return scope.lower() in {known.lower() for known in self.billing_scopes}

    def add_subscription(
        self,
        display_name: str,
        subscription_id: str | None = None,
        *,
        state: str = "Enabled",
        management_group: str | None = None,
        tags: dict[str, str] | None = None,
        resource_count: int = 0,
        workload: str = "Production",
    ) -> Subscription:
        with self.lock:
            group = self.group(management_group or self.root_group)
            if group is None:
                raise ValueError(f"unknown management group {management_group!r}")
            sub = Subscription(
                subscription_id=subscription_id or self.new_id(),
                display_name=display_name,
                management_group=group.name,
                state=state,
                tags=dict(tags or {}),
                resource_count=resource_count,
                workload=workload,
            )
            self.subscriptions[sub.subscription_id.lower()] = sub
            return sub

    def seed_subscriptions(self, count: int, prefix: str = "Seeded Subscription") -> list[Subscription]:
        """Add ``count`` Enabled subscriptions named ``{prefix} {n:05d}`` (for paging and load tests)."""
        return [self.add_subscription(f"{prefix} {index:05d}") for index in range(count)]

    def subscription(self, subscription_id: str) -> Subscription | None:
        return self.subscriptions.get(subscription_id.lower())

    def add_alias(self, alias: Alias) -> Alias:
        with self.lock:
            if not alias.operation_id:
                alias.operation_id = self.new_id()
            sub = self.subscription(alias.subscription_id)
            if alias.billing_scope is None and sub is not None:
                alias.billing_scope = sub.billing_scope
            self.aliases[alias.name.lower()] = alias
            self.operations[alias.operation_id.lower()] = alias.name.lower()
            if alias.provisioning_state == "Succeeded":
                self._materialize(alias)
            return alias

    def alias(self, name: str) -> Alias | None:
        return self.aliases.get(name.lower())

    def remove_alias(self, name: str) -> bool:
        with self.lock:
            alias = self.aliases.pop(name.lower(), None)
            if alias is None:
                return False
            self.operations.pop(alias.operation_id.lower(), None)
            return True

    def observe_alias(self, alias: Alias) -> Alias:
        """Count one poll of a pending alias; the poll after ``polls`` of them sees it Succeeded."""
        with self.lock:
            if alias.provisioning_state == "Accepted":
                if alias.polls_left > 0:
                    alias.polls_left -= 1
                else:
                    self.settle(alias)
            return alias

    def settle(self, alias: Alias) -> None:
        """Finish provisioning: the alias is Succeeded and its subscription exists."""
        with self.lock:
            alias.provisioning_state = "Succeeded"
            alias.polls_left = 0
            self._materialize(alias)

    def settle_all(self) -> None:
        with self.lock:
            for alias in self.aliases.values():
                if alias.provisioning_state == "Accepted":
                    self.settle(alias)

    def _materialize(self, alias: Alias) -> None:
        if self.subscription(alias.subscription_id) is not None:
            return
        group = self.group(alias.management_group_id or self.root_group)
        sub = self.add_subscription(
            alias.display_name,
            alias.subscription_id,
            management_group=group.name if group else self.root_group,
            tags=alias.tags,
            workload=alias.workload,
        )
        sub.billing_scope = alias.billing_scope

"""The subscription request (interface 0.1): the models, built from the field types of ``fields``."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from vending.request.fields import (
    LOCATION_RE,
    MANAGEMENT_GROUP_RE,
    BillingScope,
    Cidr,
    DisplayName,
    Email,
    Guid,
    Location,
    ManagementGroup,
    Name,
    PrincipalType,
    ProviderNamespace,
    Role,
    StrictModel,
    Tags,
    Ticket,
    TimeGrain,
    Workload,
    billing_kind,
    rule_error,
)
from vending.request.rules import Problem, budget_problems, network_problems, request_problems

__all__ = [
    "IMMUTABLE_KEYS",
    "LOCATION_RE",  # re-exported: the rules now live in vending.request.fields
    "MANAGEMENT_GROUP_RE",
    "REQUEST_KEYS",
    "Budget",
    "Network",
    "Owner",
    "Request",
    "RoleAssignment",
    "billing_kind",
]


class Owner(StrictModel):
    principal_id: Guid = Field(alias="principalId")
    principal_type: PrincipalType = Field(alias="principalType")


class RoleAssignment(StrictModel):
    principal_id: Guid = Field(alias="principalId")
    role: Role
    principal_type: PrincipalType | None = Field(default=None, alias="principalType")


class Budget(StrictModel):
    amount: float = Field(gt=0, le=1e12)
    time_grain: TimeGrain = Field(alias="timeGrain")
    thresholds: list[Annotated[float, Field(ge=1, le=1000)]] = Field(min_length=1, max_length=5)
    contact_emails: list[Email] = Field(alias="contactEmails", min_length=1, max_length=50)

    @model_validator(mode="after")
    def _rules(self) -> Budget:
        _raise_first(budget_problems({"thresholds": self.thresholds}))
        return self


class Network(StrictModel):
    address_space: list[Cidr] = Field(alias="addressSpace", min_length=1, max_length=16)
    hub_peering: bool = Field(default=False, alias="hubPeering")

    @model_validator(mode="after")
    def _rules(self) -> Network:
        _raise_first(network_problems({"addressSpace": self.address_space}))
        return self


class Request(StrictModel):
    """One subscription request, exactly as the contract describes (interface 0.1)."""

    interface_version: str = Field(alias="interfaceVersion")
    name: Name
    display_name: DisplayName = Field(alias="displayName")
    environment: str = Field(min_length=1, max_length=63)
    billing_scope: BillingScope | None = Field(default=None, alias="billingScope")
    subscription_id: Guid | None = Field(default=None, alias="subscriptionId")
    management_group: ManagementGroup = Field(alias="managementGroup")
    location: Location
    owners: list[Owner] = Field(min_length=1, max_length=50)
    requested_by: Email = Field(alias="requestedBy")
    workload: Workload | None = None
    tags: Tags = Field(default_factory=dict)
    budget: Budget | None = None
    network: Network | None = None
    role_assignments: list[RoleAssignment] = Field(default_factory=list, alias="roleAssignments", max_length=200)
    resource_providers: list[ProviderNamespace] = Field(default_factory=list, alias="resourceProviders", max_length=100)
    ticket: Ticket | None = None

    @model_validator(mode="after")
    def _cross_field_rules(self) -> Request:
        _raise_first(request_problems(self._rule_inputs()))
        return self

    def _rule_inputs(self) -> dict[str, Any]:
        """What the request's own rules read (budget and network check theirs), without a full dump."""
        return {
            "billingScope": self.billing_scope,
            "subscriptionId": self.subscription_id,
            "workload": self.workload,
            "owners": [{"principalId": owner.principal_id} for owner in self.owners],
            "resourceProviders": list(self.resource_providers),
            "roleAssignments": [{"principalId": r.principal_id, "role": r.role} for r in self.role_assignments],
        }

    @property
    def billing_kind(self) -> str | None:
        return None if self.billing_scope is None else billing_kind(self.billing_scope)

    def resolved(self, workload: str) -> Request:
        """This request with its environment's ``workload`` filled in where it names none."""
        return self if self.workload else self.model_copy(update={"workload": workload})

    def normalized(self, workload: str) -> dict[str, Any]:
        """The request as written to the trunk: defaults resolved, keys in contract order."""
        data = self.model_dump(by_alias=True, exclude_none=True, exclude_defaults=False)
        data["workload"] = self.workload or workload
        if not data.get("tags"):
            data.pop("tags", None)
        for key in ("roleAssignments", "resourceProviders"):
            if not data.get(key):
                data.pop(key, None)
        if "budget" in data:
            budget = data["budget"]
            budget["amount"] = _compact_number(budget["amount"])
            budget["thresholds"] = [_compact_number(t) for t in budget["thresholds"]]
        return {key: data[key] for key in REQUEST_KEYS if key in data}


def _compact_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _raise_first(problems: list[Problem]) -> None:
    """A model holds no data that breaks a rule; loading reports every broken rule (``rules``)."""
    if problems:
        path, message = problems[0]
        raise rule_error(path, message)


REQUEST_KEYS: tuple[str, ...] = tuple((info.alias or name) for name, info in Request.model_fields.items())
IMMUTABLE_KEYS: tuple[str, ...] = ("billingScope", "workload", "subscriptionId", "environment")

"""The subscription request (interface 0.1): the model and its field rules."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

NAME_RE = re.compile(r"^[a-z][a-z0-9-]{1,48}[a-z0-9]$")
GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
MANAGEMENT_GROUP_RE = re.compile(r"^[().a-zA-Z0-9_-]{1,90}$")
LOCATION_RE = re.compile(r"^[a-z][a-z0-9]{1,39}$")
PROVIDER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)+$")
ROLE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ()._/-]{0,127}$")
ROLE_ID_RE = re.compile(
    r"^(?:/subscriptions/[0-9a-fA-F-]{36})?/providers/Microsoft\.Authorization/roleDefinitions/"
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9_:.-]*"
_BILLING_PREFIX = "/providers/Microsoft.Billing/billingAccounts/"
BILLING_SHAPES: dict[str, re.Pattern[str]] = {
    "EA": re.compile(r"^/providers/Microsoft\.Billing/billingAccounts/[0-9]+/enrollmentAccounts/[0-9]+$"),
    "MCA": re.compile(
        rf"^/providers/Microsoft\.Billing/billingAccounts/{_SEGMENT}/billingProfiles/{_SEGMENT}"
        rf"/invoiceSections/{_SEGMENT}$"
    ),
    "MPA": re.compile(rf"^/providers/Microsoft\.Billing/billingAccounts/{_SEGMENT}/customers/{_SEGMENT}$"),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_DISPLAY_FORBIDDEN = set("<>;|")
_TAG_NAME_FORBIDDEN = set("<>%&\\?/")
PRIVATE_NETWORKS = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


def _check_name(value: str) -> str:
    if not NAME_RE.fullmatch(value):
        raise ValueError(
            "must be 3-50 characters of lowercase a-z, digits and '-', start with a letter and end "
            f"with a letter or digit (got {value!r})"
        )
    return value


def _check_guid(value: str) -> str:
    if not GUID_RE.fullmatch(value):
        raise ValueError(f"must be a GUID like 00000000-0000-0000-0000-000000000000 (got {value!r})")
    return value.lower()


def _check_email(value: str) -> str:
    if len(value) > 254 or not EMAIL_RE.fullmatch(value):
        raise ValueError(f"must be an email address like name@example.com (got {value!r})")
    return value


def _check_display_name(value: str) -> str:
    if not 1 <= len(value) <= 64:
        raise ValueError(f"must be 1-64 characters (got {len(value)})")
    bad = sorted(_DISPLAY_FORBIDDEN.intersection(value))
    if bad:
        raise ValueError(f"must not contain {' '.join(bad)} (Azure rejects < > ; |)")
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters such as newlines or tabs")
    return value


def _check_ticket(value: str) -> str:
    if not 1 <= len(value) <= 128:
        raise ValueError(f"must be 1-128 characters (got {len(value)})")
    if _CONTROL.search(value):
        raise ValueError("must be a single line without control characters")
    return value


def _check_management_group(value: str) -> str:
    if not MANAGEMENT_GROUP_RE.fullmatch(value):
        raise ValueError(f"must be 1-90 characters of letters, digits and ( ) . _ - (got {value!r})")
    return value


def _check_location(value: str) -> str:
    if not LOCATION_RE.fullmatch(value):
        raise ValueError(f"must be an Azure region name such as westeurope (got {value!r})")
    return value


def _check_provider(value: str) -> str:
    if not PROVIDER_RE.fullmatch(value):
        raise ValueError(f"must be a resource provider namespace such as Microsoft.ContainerService (got {value!r})")
    return value


def _check_role(value: str) -> str:
    if ROLE_ID_RE.fullmatch(value) or GUID_RE.fullmatch(value):
        return value
    if ROLE_NAME_RE.fullmatch(value):
        return value
    raise ValueError(f"must be a built-in role name such as Reader, or a role definition id (got {value!r})")


def billing_kind(scope: str) -> str | None:
    """EA, MCA or MPA for a well-formed billing scope, else None."""
    for kind, pattern in BILLING_SHAPES.items():
        if pattern.fullmatch(scope):
            return kind
    return None


def _check_billing_scope(value: str) -> str:
    if billing_kind(value) is not None:
        return value
    hint = ""
    if value.endswith("/"):
        hint = "; remove the trailing '/'"
    elif not value.startswith(_BILLING_PREFIX):
        hint = f"; it must start with {_BILLING_PREFIX}"
    raise ValueError(
        "must be an EA scope .../billingAccounts/{ba}/enrollmentAccounts/{ea}, an MCA scope "
        ".../billingAccounts/{ba}/billingProfiles/{bp}/invoiceSections/{is} or an MPA scope "
        f".../billingAccounts/{{ba}}/customers/{{c}}{hint}"
    )


RESERVED_TAG_PREFIX = "vending-"
MAX_TAGS = 47


def _check_tags(value: dict[str, str]) -> dict[str, str]:
    if len(value) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags (Azure allows 50; vending adds 3 of its own)")
    folded: dict[str, str] = {}
    for key in value:
        if key.lower() in folded:
            raise ValueError(
                f"tag names {folded[key.lower()]!r} and {key!r} differ only in case; Azure treats them as one"
            )
        folded[key.lower()] = key
        if key.lower().startswith(RESERVED_TAG_PREFIX):
            raise ValueError(f"tag name {key[:40]!r} uses the reserved prefix {RESERVED_TAG_PREFIX!r}")
    for key, tag_value in value.items():
        if not 1 <= len(key) <= 512:
            raise ValueError(f"tag name {key[:40]!r} must be 1-512 characters")
        bad = sorted(_TAG_NAME_FORBIDDEN.intersection(key))
        if bad or _CONTROL.search(key):
            shown = " ".join(bad) if bad else "control characters"
            raise ValueError(f"tag name {key[:40]!r} must not contain {shown}")
        if len(tag_value) > 256:
            raise ValueError(f"value of tag {key[:40]!r} must be at most 256 characters (got {len(tag_value)})")
    return dict(sorted(value.items()))


def _check_cidr(value: str) -> str:
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"must be an IPv4 CIDR such as 10.1.0.0/24 ({exc})") from exc
    if "/" not in value:
        raise ValueError(f"must include a prefix length, such as {value}/24")
    if not any(network.subnet_of(private) for private in PRIVATE_NETWORKS):
        raise ValueError(f"{value} is not in a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)")
    return str(network)


def _text(description: str, **schema: Any) -> WithJsonSchema:
    """The JSON Schema of a checked string, carrying the same rule for editors."""
    return WithJsonSchema({"type": "string", "description": description, **schema})


Name = Annotated[
    str,
    AfterValidator(_check_name),
    _text("The alias and immutable identity of the subscription.", pattern=NAME_RE.pattern),
]
Guid = Annotated[str, AfterValidator(_check_guid), _text("A GUID.", pattern=GUID_RE.pattern)]
Email = Annotated[
    str, AfterValidator(_check_email), _text("An email address.", pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", maxLength=254)
]
DisplayName = Annotated[
    str,
    AfterValidator(_check_display_name),
    _text(
        "1-64 characters without < > ; | or control characters.",
        minLength=1,
        maxLength=64,
        pattern=r"^[^<>;|\u0000-\u001f\u007f-\u009f]+$",
    ),
]
Ticket = Annotated[
    str,
    AfterValidator(_check_ticket),
    _text("A change reference.", minLength=1, maxLength=128, pattern=r"^[^\u0000-\u001f\u007f-\u009f]+$"),
]
ManagementGroup = Annotated[
    str, AfterValidator(_check_management_group), _text("Management group id.", pattern=MANAGEMENT_GROUP_RE.pattern)
]
Location = Annotated[
    str, AfterValidator(_check_location), _text("Azure region name such as westeurope.", pattern=LOCATION_RE.pattern)
]
ProviderNamespace = Annotated[
    str, AfterValidator(_check_provider), _text("Resource provider namespace.", pattern=PROVIDER_RE.pattern)
]
Role = Annotated[
    str, AfterValidator(_check_role), _text("Built-in role name or role definition id.", minLength=1, maxLength=160)
]
BillingScope = Annotated[
    str,
    AfterValidator(_check_billing_scope),
    _text("EA, MCA or MPA billing scope.", pattern="|".join(p.pattern for p in BILLING_SHAPES.values())),
]
Cidr = Annotated[
    str, AfterValidator(_check_cidr), _text("Private IPv4 CIDR.", pattern=r"^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$")
]
Tags = Annotated[
    dict[str, str],
    AfterValidator(_check_tags),
    WithJsonSchema(
        {
            "type": "object",
            "maxProperties": 47,
            "propertyNames": {"minLength": 1, "maxLength": 512, "pattern": r"^[^<>%&\\?/\u0000-\u001f]+$"},
            "additionalProperties": {"type": "string", "maxLength": 256},
        }
    ),
]
PrincipalType = Literal["User", "Group", "ServicePrincipal"]
Workload = Literal["Production", "DevTest"]
TimeGrain = Literal["Monthly", "Quarterly", "Annually"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


class Owner(_Model):
    principal_id: Guid = Field(alias="principalId")
    principal_type: PrincipalType = Field(alias="principalType")


class RoleAssignment(_Model):
    principal_id: Guid = Field(alias="principalId")
    role: Role
    principal_type: PrincipalType | None = Field(default=None, alias="principalType")


class Budget(_Model):
    amount: float = Field(gt=0, le=1e12)
    time_grain: TimeGrain = Field(alias="timeGrain")
    thresholds: list[Annotated[float, Field(ge=1, le=1000)]] = Field(min_length=1, max_length=5)
    contact_emails: list[Email] = Field(alias="contactEmails", min_length=1, max_length=50)

    @model_validator(mode="after")
    def _unique_thresholds(self) -> Budget:
        if len(set(self.thresholds)) != len(self.thresholds):
            raise ValueError("thresholds: must not repeat")
        return self


class Network(_Model):
    address_space: list[Cidr] = Field(alias="addressSpace", min_length=1, max_length=16)
    hub_peering: bool = Field(default=False, alias="hubPeering")

    @model_validator(mode="after")
    def _no_overlap(self) -> Network:
        networks = [ipaddress.IPv4Network(cidr) for cidr in self.address_space]
        for index, first in enumerate(networks):
            for second in networks[index + 1 :]:
                if first.overlaps(second):
                    raise ValueError(f"addressSpace: ranges {first} and {second} overlap")
        return self


class Request(_Model):
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
        if self.billing_scope is None and self.subscription_id is None:
            raise ValueError("billingScope: give billingScope to create a subscription, or subscriptionId to adopt one")
        if self.billing_scope is not None and self.subscription_id is not None:
            raise ValueError("subscriptionId: give either billingScope (create) or subscriptionId (adopt), not both")
        _require_unique("owners", [o.principal_id for o in self.owners])
        _require_unique("resourceProviders", [p.lower() for p in self.resource_providers])
        _require_unique("roleAssignments", [f"{r.principal_id} {r.role.lower()}" for r in self.role_assignments])
        if self.workload == "DevTest" and self.billing_scope and billing_kind(self.billing_scope) == "MPA":
            raise ValueError("workload: DevTest is not available for MPA (customer) billing scopes")
        return self

    @property
    def billing_kind(self) -> str | None:
        return None if self.billing_scope is None else billing_kind(self.billing_scope)

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


def _require_unique(field: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{field}: lists {value!r} more than once")
        seen.add(value)


REQUEST_KEYS: tuple[str, ...] = tuple((info.alias or name) for name, info in Request.model_fields.items())
IMMUTABLE_KEYS: tuple[str, ...] = ("billingScope", "workload", "subscriptionId", "environment")

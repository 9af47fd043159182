"""Field rules: the patterns, checks and field types of the request (interface 0.1), the Kubernetes name and
Go duration rules ``vending.yaml`` and the render self-checks share, and the one strict, frozen base model of
every input (request and ``vending.yaml``).

A check raises ``ValueError`` for its own field. A rule a model checks across its fields raises ``rule_error``,
which carries the field path, relative to the model, as data: loading turns it into a finding without parsing
the message.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

RULE_ERROR = "vending_rule"


class StrictModel(BaseModel):
    """Strict, frozen, no unknown keys; fields are read by their contract (camelCase) names or Python names."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


def rule_error(path: tuple[str | int, ...], message: str) -> PydanticCustomError:
    """A cross-field rule broken at ``path`` (relative to the model that raises it)."""
    return PydanticCustomError(RULE_ERROR, "{message}", {"path": path, "message": message})


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
DNS_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
"""A Kubernetes name (DNS-1123 label), at most 63 characters."""
DURATION_RE = re.compile(r"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$")
"""A Go duration as Flux reads it, such as 10m or 1h30m."""


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
    if value.endswith("."):
        raise ValueError(f"must not end with a period, as Azure requires (got {value!r})")
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


def _check_dns_label(value: str) -> str:
    if not DNS_LABEL_RE.fullmatch(value):
        raise ValueError(f"must be a DNS-1123 label: lowercase letters, digits, '-', at most 63 (got {value!r})")
    return value


def _check_duration(value: str) -> str:
    if not DURATION_RE.fullmatch(value):
        raise ValueError(f"must be a Go duration such as 10m or 1h30m (got {value!r})")
    return value


DnsLabel = Annotated[str, AfterValidator(_check_dns_label)]
Duration = Annotated[str, AfterValidator(_check_duration)]

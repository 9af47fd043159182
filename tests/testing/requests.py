"""Request builders: one valid request as plain data, varied by parameters, and request files."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Final

import yaml

from vending.version import INTERFACE_VERSION

EA_SCOPE: Final = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
OTHER_EA_SCOPE: Final = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/1111111"
MCA_SCOPE: Final = "/providers/Microsoft.Billing/billingAccounts/contoso-mca/billingProfiles/bp1/invoiceSections/is1"
MPA_SCOPE: Final = "/providers/Microsoft.Billing/billingAccounts/contoso-mpa/customers/c-42"
GUID_A: Final = "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b"
GUID_B: Final = "0f8fad5b-d9cb-469f-a165-70867728950e"
DROP: Final = object()
"""A value for ``request_data`` that removes the key (``None`` stays: it is YAML ``null``)."""
_DEFAULT: Final = object()

BUDGET: Final[dict[str, Any]] = {
    "amount": 100,
    "timeGrain": "Monthly",
    "thresholds": [80, 100],
    "contactEmails": ["finops@contoso.com"],
}
BASE_REQUEST: Final[dict[str, Any]] = {
    "interfaceVersion": INTERFACE_VERSION,
    "name": "app-dev",
    "displayName": "App team (dev)",
    "environment": "dev",
    "billingScope": EA_SCOPE,
    "managementGroup": "mg-corp-dev",
    "location": "westeurope",
    "owners": [{"principalId": GUID_A, "principalType": "Group"}],
    "requestedBy": "alice@contoso.com",
}


def request_data(name: Any = _DEFAULT, environment: Any = _DEFAULT, **changes: Any) -> dict[str, Any]:
    """A valid request (dev, EA billing) as plain data.

    ``name`` and ``environment`` replace the defaults when given; ``changes`` replace top-level keys,
    and a key given ``DROP`` is removed.
    """
    data = copy.deepcopy(BASE_REQUEST)
    fixed = {key: value for key, value in (("name", name), ("environment", environment)) if value is not _DEFAULT}
    for key, value in {**fixed, **changes}.items():
        if value is DROP:
            data.pop(key, None)
        else:
            data[key] = copy.deepcopy(value)
    return data


def prod_request(name: str = "app-prod", **changes: Any) -> dict[str, Any]:
    """A valid prod request (prod requires a budget in a trunk made by ``vending init``)."""
    base = {
        "displayName": "App team (prod)",
        "environment": "prod",
        "managementGroup": "mg-corp-prod",
        "budget": BUDGET,
    }
    return request_data(name, **{**base, **changes})


def without_nulls(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the top-level keys whose value is ``None``."""
    return {key: value for key, value in data.items() if value is not None}


def write_request(directory: Path, data: dict[str, Any], filename: str | None = None) -> Path:
    """Write ``data`` as YAML to ``<name>.yaml`` (or ``filename``) in ``directory``."""
    return write_yaml(directory / (filename or f"{data.get('name', 'request')}.yaml"), data)


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as block YAML, keys in their given order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path

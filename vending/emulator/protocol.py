"""Requests, responses and ARM error envelopes as the route handlers see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from vending.emulator.config import EmulatorConfig
from vending.emulator.state import EmulatorState

JsonObject = dict[str, Any]

RESOURCES_VERSIONS = frozenset(
    {
        "2016-06-01",
        "2018-06-01",
        "2019-06-01",
        "2019-11-01",
        "2020-01-01",
        "2021-01-01",
        "2022-01-01",
        "2022-12-01",
    }
)
PROVIDERS_VERSIONS = frozenset(
    {
        "2019-05-01",
        "2019-10-01",
        "2020-06-01",
        "2021-04-01",
        "2022-09-01",
        "2023-07-01",
        "2024-03-01",
        "2024-07-01",
        "2024-11-01",
        "2025-03-01",
    }
)
SUBSCRIPTION_VERSIONS = frozenset({"2020-09-01", "2021-10-01", "2024-08-01-preview"})
MANAGEMENT_VERSIONS = frozenset({"2020-05-01", "2021-04-01", "2023-04-01"})
MSI_VERSIONS = frozenset({"2018-11-30", "2023-01-31", "2024-11-30"})
AUTHORIZATION_VERSIONS = frozenset(
    {"2018-01-01-preview", "2020-04-01-preview", "2020-10-01-preview", "2022-04-01", "2022-05-01-preview"}
)
CONSUMPTION_VERSIONS = frozenset({"2019-10-01", "2021-10-01", "2023-05-01", "2023-11-01", "2024-08-01"})
NETWORK_VERSIONS = frozenset(
    {"2022-07-01", "2022-09-01", "2023-02-01", "2023-04-01", "2023-05-01", "2023-06-01", "2023-09-01", "2023-11-01"}
    | {"2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01"}
)


class ArmError(Exception):
    """An error answer: HTTP status plus the ARM ``{"error": {"code", "message"}}`` envelope."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        details: list[JsonObject] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.details = list(details or [])

    def envelope(self) -> JsonObject:
        error: JsonObject = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"error": error}


@dataclass(frozen=True)
class ApiRequest:
    """One parsed request: ``params`` are the route's path captures."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    base_url: str
    principal: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def api_version(self) -> str:
        return self.query.get("api-version", "")

    def link(self, path: str, **query: str) -> str:
        """An absolute link on the emulator's own host, carrying the request's api-version."""
        pairs = {"api-version": self.api_version, **query}
        encoded = "&".join(f"{key}={value}" for key, value in pairs.items() if value)
        return f"{self.base_url}{path}?{encoded}"


@dataclass
class ApiResponse:
    """An answer; ``raw``, when set, is sent as the body instead of ``body`` as JSON (injected faults)."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None


def ok(body: Any, status: int = 200, **headers: str) -> ApiResponse:
    return ApiResponse(status, body, dict(headers))


def not_found(code: str, message: str) -> ArmError:
    return ArmError(404, code, message)


def bad_request(code: str, message: str) -> ArmError:
    return ArmError(400, code, message)


def subscription_not_found(subscription_id: str) -> ArmError:
    return not_found("SubscriptionNotFound", f"The subscription '{subscription_id}' could not be found.")


def body_object(request: ApiRequest) -> JsonObject:
    """The request body as an object; anything else is a 400 like ARM's."""
    if request.body is None:
        return {}
    if not isinstance(request.body, dict):
        raise bad_request("InvalidRequestContent", "The request content was invalid: expected a JSON object.")
    return request.body


def page(request: ApiRequest, items: list[Any], page_size: int, path: str) -> JsonObject:
    """One page of ``items`` starting at ``$skiptoken``, with an absolute ``nextLink`` when more remain.

    The link keeps the request's other query parameters (``$filter``, ``$expand``), URL-encoded.
    """
    token = request.query.get("$skiptoken", "0")
    start = int(token) if token.isdigit() else 0
    end = start + page_size
    result: JsonObject = {"value": items[start:end]}
    if end < len(items):
        carried = {
            quote(name, safe=""): quote(value, safe="")
            for name, value in request.query.items()
            if name not in ("api-version", "$skiptoken")
        }
        result["nextLink"] = request.link(path, **carried, **{"%24skiptoken": str(end)})
    return result


@dataclass(frozen=True)
class Context:
    """What a handler may use: the state (lock it) and the run's settings."""

    state: EmulatorState
    config: EmulatorConfig

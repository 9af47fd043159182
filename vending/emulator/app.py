"""One request in, one answer out: auth, faults, throttling, routing and ARM headers.

Socket-free, so the HTTP layer stays thin. ``Application.respond`` returns ``None`` when the
connection should be reset without an answer (an injected fault).
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
import uuid
from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

from vending.emulator.config import BODY_FAULTS, PAGE_FAULTS, EmulatorConfig
from vending.emulator.faults import body_fault, page_fault
from vending.emulator.protocol import ApiRequest, ApiResponse, ArmError, Context, bad_request
from vending.emulator.routes import dispatch
from vending.emulator.state import EmulatorState
from vending.emulator.stats import Stats
from vending.emulator.throttle import FaultInjector, Throttle, Verdict

LOG = logging.getLogger("vending.emulator")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
CHALLENGE = 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"'


class Application:
    """The emulated Azure Resource Manager, independent of sockets."""

    def __init__(self, state: EmulatorState, config: EmulatorConfig, stats: Stats) -> None:
        self.ctx = Context(state, config)
        self.config = config
        self.stats = stats
        self.throttle = Throttle(config)
        self.faults = FaultInjector(config)
        self.endpoint = ""
        self.stopping = threading.Event()
        self._serials = itertools.count(1)

    def respond(self, method: str, target: str, headers: Mapping[str, str], raw_body: bytes) -> ApiResponse | None:
        if self.config.latency_ms:
            time.sleep(self.config.latency_ms / 1000)
        split = urlsplit(target)
        path = unquote(split.path)
        verdict: Verdict | None = None
        try:
            principal = self._authenticate(headers)
            fault = self.faults.draw()
            if fault == "stall":
                self.stats.record_fault(fault)
                self.stopping.wait(self.config.stall_seconds)
            elif fault is not None and fault not in PAGE_FAULTS:
                return self._fault(fault, headers)
            verdict = self.throttle.admit(principal, method)
            if not verdict.allowed:
                raise self._throttled(verdict, principal)
            query = {key: values[-1] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
            request = ApiRequest(method, path, query, _json_body(raw_body), self._base_url(headers), principal)
            response = dispatch(self.ctx, request)
            if fault in PAGE_FAULTS:
                response = page_fault(fault, response, request.base_url, target, next(self._serials))
        except ArmError as error:
            response = ApiResponse(error.status, error.envelope(), error.headers)
        except Exception:
            LOG.exception("emulator handler failed for %s %s", method, path)
            response = ApiResponse(500, {"error": {"code": "InternalServerError", "message": "Emulator bug."}})
        self.stats.record(method, path, response.status)
        return self._finish(response, headers, verdict or self.throttle.report(method))

    def _authenticate(self, headers: Mapping[str, str]) -> str:
        value = headers.get("Authorization")
        if value is None:
            raise ArmError(
                401,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.",
                {"WWW-Authenticate": CHALLENGE},
            )
        scheme, _, token = value.partition(" ")
        token = token.strip()
        valid = scheme.lower() == "bearer" and token and (self.config.token in (None, token))
        if not valid:
            raise ArmError(
                401,
                "InvalidAuthenticationToken",
                "The access token is invalid.",
                {"WWW-Authenticate": CHALLENGE},
            )
        if self.faults.expired():
            raise ArmError(
                401,
                "ExpiredAuthenticationToken",
                "The access token expiry UTC time is earlier than current UTC time.",
                {"WWW-Authenticate": CHALLENGE},
            )
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"vending-emulator:{token}"))

    def _fault(self, kind: str, headers: Mapping[str, str]) -> ApiResponse | None:
        self.stats.record_fault(kind)
        retry_after = {"Retry-After": str(self.config.retry_after)}
        if kind == "reset":
            return None
        if kind in BODY_FAULTS:
            return self._finish(body_fault(kind), headers, None)
        if kind == "429":
            error = ArmError(429, "TooManyRequests", "Injected throttling.", retry_after)
        elif kind == "503":
            error = ArmError(503, "ServiceUnavailable", "Injected unavailability.", retry_after)
        else:
            error = ArmError(500, "InternalServerError", "Injected internal server error.")
        self.stats.record("FAULT", "", error.status)
        return self._finish(ApiResponse(error.status, error.envelope(), error.headers), headers, None)

    def _throttled(self, verdict: Verdict, principal: str) -> ArmError:
        self.stats.record_throttled()
        noun = verdict.kind.rstrip("s")
        message = (
            f"Number of '{noun}' requests for tenant '{self.ctx.state.tenant_id}' "
            f"actor '{principal}' exceeded. "
            f"Please try again after '{verdict.retry_after}' seconds after additional tokens are available."
        )
        return ArmError(429, "TenantRequestsThrottled", message, {"Retry-After": str(verdict.retry_after)})

    def _base_url(self, headers: Mapping[str, str]) -> str:
        host = headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return f"https://{host}" if name in LOOPBACK_HOSTS else self.endpoint

    def _finish(self, response: ApiResponse, headers: Mapping[str, str], verdict: Verdict | None) -> ApiResponse:
        client_id = headers.get("x-ms-client-request-id")
        correlation = headers.get("x-ms-correlation-request-id") or client_id or str(uuid.uuid4())
        extra = {"x-ms-request-id": str(uuid.uuid4()), "x-ms-correlation-request-id": correlation}
        if client_id:
            extra["x-ms-client-request-id"] = client_id
        if verdict is not None:
            extra[f"x-ms-ratelimit-remaining-tenant-{verdict.kind}"] = str(verdict.remaining)
        response.headers = {**extra, **response.headers}
        return response


def _json_body(raw: bytes) -> object:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as error:
        raise bad_request("InvalidRequestContent", f"The request content was invalid: {error}.") from error

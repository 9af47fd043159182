"""Client-side pacing and counting of ARM traffic, as azure-core pipeline policies.

ARM throttles reads with a token bucket per principal (250 tokens, 25 per second). The client
keeps a mirror of that bucket and waits for a token before each read, so a large batch runs at
the bucket's rate instead of bouncing off 429s. Every attempt (retries included) goes through
these policies, so the counts are what actually went over the wire.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from azure.core.exceptions import AzureError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import HTTPPolicy, RetryPolicy

from vending.azure.credentials import StaticTokenRefusedError
from vending.azure.endpoint import connect_host as endpoint_host
from vending.azure.endpoint import is_loopback_host
from vending.errors import AzureCheckError

READ_METHODS = frozenset({"GET", "HEAD"})
REMAINING_READS_HEADER = "x-ms-ratelimit-remaining-tenant-reads"
ATTEMPT_KEY = "vending.attempt"


class TokenBucket:
    """A thread-safe token bucket; ``acquire`` reserves a token and sleeps until it is due."""

    def __init__(
        self,
        capacity: float,
        refill_per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.capacity = capacity
        self.rate = refill_per_second
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(capacity)
        self._stamp = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def acquire(self) -> float:
        """Take one token, waiting for it when the bucket is empty; returns the seconds waited."""
        with self._lock:
            self._refill()
            self._tokens -= 1
            wait = max(0.0, -self._tokens / self.rate)
        if wait > 0:
            self._sleep(wait)
        return wait

    def limit_to(self, tokens: float) -> None:
        """Lower the bucket to what the server reports (another client may share it)."""
        with self._lock:
            self._refill()
            self._tokens = min(self._tokens, tokens)

    @property
    def tokens(self) -> float:
        with self._lock:
            self._refill()
            return self._tokens


class Deadline:
    """The end of the Azure check phase: ``seconds`` from its creation, on a monotonic clock."""

    def __init__(self, seconds: float, endpoint: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.endpoint = endpoint
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        return self._end - self._clock()

    def check(self) -> float:
        """The seconds left; ``AzureCheckError`` (exit 3) once there are none."""
        left = self.remaining()
        if left <= 0:
            self.expire()
        return left

    def expire(self) -> None:
        """Give up now: ``AzureCheckError`` (exit 3) naming the option."""
        raise AzureCheckError(
            f"the Azure checks against {self.endpoint} did not finish within {self.seconds:g} seconds "
            "(--azure-timeout / VENDING_AZURE_TIMEOUT); Azure Resource Manager is slow or stalled, try again "
            "later or allow more time"
        )


@dataclass(frozen=True)
class TrafficSnapshot:
    requests: int
    retries: int
    throttled: int
    transport_errors: int
    paced_seconds: float
    by_status: dict[int, int]


class TrafficStats:
    """Counts of every HTTP attempt made to ARM during a run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests = 0
        self._retries = 0
        self._throttled = 0
        self._transport_errors = 0
        self._paced = 0.0
        self._by_status: Counter[int] = Counter()

    def sent(self, paced: float, *, retry: bool) -> None:
        with self._lock:
            self._requests += 1
            self._retries += int(retry)
            self._paced += paced

    def answered(self, status: int) -> None:
        with self._lock:
            self._by_status[status] += 1
            if status == 429:
                self._throttled += 1

    def failed(self) -> None:
        with self._lock:
            self._transport_errors += 1

    def snapshot(self) -> TrafficSnapshot:
        with self._lock:
            return TrafficSnapshot(
                self._requests,
                self._retries,
                self._throttled,
                self._transport_errors,
                self._paced,
                dict(self._by_status),
            )


class PacingPolicy(HTTPPolicy[Any, Any]):
    """Waits for a read token before each read attempt and keeps the counts; with a ``deadline``, refuses
    to start an attempt after it and bounds each attempt's connect and read timeouts by the time left."""

    def __init__(
        self,
        bucket: TokenBucket,
        stats: TrafficStats,
        deadline: Deadline | None = None,
        timeouts: tuple[float, float] = (15.0, 60.0),
    ) -> None:
        super().__init__()
        self.bucket = bucket
        self.stats = stats
        self.deadline = deadline
        self.timeouts = timeouts

    def send(self, request: PipelineRequest[Any]) -> PipelineResponse[Any, Any]:
        is_read = request.http_request.method.upper() in READ_METHODS
        paced = self.bucket.acquire() if is_read else 0.0
        if self.deadline is not None:
            left = self.deadline.check()
            connect, read = self.timeouts
            request.context.options["connection_timeout"] = min(connect, left)
            request.context.options["read_timeout"] = min(read, left)
        attempt = int(request.context.get(ATTEMPT_KEY, 0)) + 1
        request.context[ATTEMPT_KEY] = attempt
        self.stats.sent(paced, retry=attempt > 1)
        try:
            response = self.next.send(request)
        except AzureError:
            self.stats.failed()
            raise
        http = response.http_response
        self.stats.answered(http.status_code)
        if is_read:
            self._follow_server(http.status_code, http.headers.get(REMAINING_READS_HEADER))
        return response

    def _follow_server(self, status: int, remaining: str | None) -> None:
        if status == 429:
            self.bucket.limit_to(0)
        elif remaining is not None and remaining.isdigit() and int(remaining) + 1 < self.bucket.tokens:
            self.bucket.limit_to(int(remaining))


class DeadlineRetryPolicy(RetryPolicy[Any, Any]):
    """azure-core's retry policy that gives up at once when the wait before the next attempt (a server's
    ``Retry-After`` or the backoff) would not end before the deadline."""

    def __init__(self, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deadline = deadline

    def sleep(self, settings: dict[str, Any], transport: Any, response: Any = None) -> None:
        retry_after = self.get_retry_after(response) if response is not None else None
        wait = retry_after if retry_after else self.get_backoff_time(settings)
        if wait >= self.deadline.remaining():
            self.deadline.expire()
        super().sleep(settings, transport, response)


class LoopbackOnlyPolicy(HTTPPolicy[Any, Any]):
    """Refuses to send a request anywhere but a loopback host (used with the static test token)."""

    def send(self, request: PipelineRequest[Any]) -> PipelineResponse[Any, Any]:
        host = endpoint_host(request.http_request.url)
        if not is_loopback_host(host):
            raise StaticTokenRefusedError(
                message=f"refusing to send the static test token to {host!r}: it is for loopback endpoints only"
            )
        return self.next.send(request)

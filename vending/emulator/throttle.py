"""ARM-style throttling (token buckets per principal) and seeded fault injection."""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from vending.emulator.config import BucketLimit, EmulatorConfig

Clock = Callable[[], float]


def request_kind(method: str) -> str:
    """The bucket a request draws from: ``reads``, ``writes`` or ``deletes``."""
    if method in ("GET", "HEAD"):
        return "reads"
    return "deletes" if method == "DELETE" else "writes"


class TokenBucket:
    """``capacity`` tokens refilled continuously; not thread-safe (the Throttle locks)."""

    def __init__(self, limit: BucketLimit, clock: Clock) -> None:
        self.limit = limit
        self.clock = clock
        self.tokens = float(limit.capacity)
        self.stamp = clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.limit.capacity, self.tokens + (now - self.stamp) * self.limit.refill_per_second)
        self.stamp = now

    def take(self) -> bool:
        self._refill()
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def retry_after(self) -> int:
        """Whole seconds until one token is back (at least 1)."""
        missing = 1 - self.tokens
        return max(1, math.ceil(missing / self.limit.refill_per_second))

    def remaining(self) -> int:
        return max(0, int(self.tokens))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    kind: str
    remaining: int
    retry_after: int = 0


class Throttle:
    """One bucket per (principal, kind); when disabled it always allows and reports full buckets."""

    def __init__(self, config: EmulatorConfig, clock: Clock = time.monotonic) -> None:
        self.enabled = config.throttle
        self.limits = config.limits
        self.clock = clock
        self.lock = threading.Lock()
        self.buckets: dict[tuple[str, str], TokenBucket] = {}

    def admit(self, principal: str, method: str) -> Verdict:
        kind = request_kind(method)
        limit = self.limits.for_kind(kind)
        if not self.enabled:
            return Verdict(True, kind, int(limit.capacity))
        with self.lock:
            bucket = self.buckets.setdefault((principal, kind), TokenBucket(limit, self.clock))
            if bucket.take():
                return Verdict(True, kind, bucket.remaining())
            return Verdict(False, kind, 0, bucket.retry_after())

    def report(self, method: str) -> Verdict:
        """A verdict for a request that never reached the buckets (it reports a full bucket)."""
        kind = request_kind(method)
        return Verdict(True, kind, int(self.limits.for_kind(kind).capacity))


class FaultInjector:
    """Draws, with a seeded generator, whether a request gets a fault and which one."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.rate = config.fail_rate
        self.kinds = config.fault_kinds
        self.faults = config.faults
        self.unauthorized_after = config.unauthorized_after
        self.authenticated = 0
        self.rng = random.Random(config.seed)
        self.lock = threading.Lock()

    def expired(self) -> bool:
        """Counts an authenticated request; True once ``unauthorized_after`` of them were answered."""
        if self.unauthorized_after is None:
            return False
        with self.lock:
            self.authenticated += 1
            return self.authenticated > self.unauthorized_after

    def draw(self) -> str | None:
        if self.faults:
            with self.lock:
                return next((kind for kind, rate in self.faults if self.rng.random() < rate), None)
        if self.rate <= 0:
            return None
        with self.lock:
            if self.rng.random() >= self.rate:
                return None
            return self.rng.choice(self.kinds)

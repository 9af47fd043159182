"""Counters of what the emulator answered, for tests and benchmarks."""

from __future__ import annotations

import threading
from collections import Counter


class Stats:
    """Thread-safe request counters; read them with ``snapshot()`` or the properties."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_status: Counter[int] = Counter()
        self.by_route: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self.throttled = 0
        self.requests = 0

    def record(self, method: str, path: str, status: int) -> None:
        with self.lock:
            self.requests += 1
            self.by_status[status] += 1
            self.by_route[f"{method} {path}"] += 1

    def record_throttled(self) -> None:
        with self.lock:
            self.throttled += 1

    def record_fault(self, kind: str) -> None:
        with self.lock:
            self.faults[kind] += 1

    def count(self, method: str, path: str) -> int:
        with self.lock:
            return self.by_route[f"{method} {path}"]

    def snapshot(self) -> dict[str, object]:
        with self.lock:
            return {
                "requests": self.requests,
                "throttled": self.throttled,
                "by_status": dict(self.by_status),
                "faults": dict(self.faults),
            }

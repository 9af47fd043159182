"""The client-side token bucket that mirrors ARM's read bucket."""

from __future__ import annotations

import threading

from vending.azure.pacing import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self.lock = threading.Lock()

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.slept.append(seconds)


def test_burst_then_refill_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(5, 10.0, clock.time, clock.sleep)
    waits = [bucket.acquire() for _ in range(8)]
    assert waits[:5] == [0, 0, 0, 0, 0]
    assert [round(w, 3) for w in waits[5:]] == [0.1, 0.2, 0.3]
    assert clock.slept == waits[5:]


def test_refill_is_capped_at_capacity() -> None:
    clock = FakeClock()
    bucket = TokenBucket(3, 1.0, clock.time, clock.sleep)
    bucket.acquire()
    clock.now = 100.0
    assert bucket.tokens == 3


def test_limit_to_follows_the_server() -> None:
    clock = FakeClock()
    bucket = TokenBucket(250, 25.0, clock.time, clock.sleep)
    bucket.limit_to(0)
    assert round(bucket.acquire(), 3) == 0.04


def test_concurrent_acquires_are_spaced_by_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(1, 20.0, clock.time, clock.sleep)
    threads = [threading.Thread(target=bucket.acquire) for _ in range(11)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(round(s, 3) for s in clock.slept) == [round(0.05 * i, 3) for i in range(1, 11)]

"""Settings of one emulator run, resolved once and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PollingStyle = Literal["body", "location"]
FAULT_KINDS: tuple[str, ...] = ("500", "503", "429", "reset")
# Kinds only ``faults`` (``vending emulator --fault KIND[:RATE]``) selects: a stalled answer, a body that is
# not ARM's JSON, and list pages whose nextLink never ends (fresh links) or loops (the same link again).
BODY_FAULTS: tuple[str, ...] = ("stall", "html", "garbled", "deep-json")
PAGE_FAULTS: tuple[str, ...] = ("endless-pages", "loop-pages")
SELECTABLE_FAULTS: tuple[str, ...] = FAULT_KINDS + BODY_FAULTS + PAGE_FAULTS


@dataclass(frozen=True)
class BucketLimit:
    """A token bucket: ``capacity`` tokens, refilled at ``refill_per_second``."""

    capacity: float
    refill_per_second: float


@dataclass(frozen=True)
class ThrottleLimits:
    """ARM's per-principal buckets (reads 250 @ 25/s, writes and deletes 200 @ 10/s)."""

    reads: BucketLimit = BucketLimit(250, 25)
    writes: BucketLimit = BucketLimit(200, 10)
    deletes: BucketLimit = BucketLimit(200, 10)

    def for_kind(self, kind: str) -> BucketLimit:
        limits = {"reads": self.reads, "writes": self.writes, "deletes": self.deletes}
        return limits[kind]


@dataclass(frozen=True)
class EmulatorConfig:
    """How the emulator behaves; every field has a test-friendly default.

    ``polls``: reads of a new alias that still report ``Accepted`` before it is ``Succeeded``.
    ``fail_rate``: share of authenticated requests answered by an injected fault, drawn from
    ``fault_kinds`` with a generator seeded by ``seed``.
    ``token``: when set, the only bearer token accepted; otherwise any non-empty one is.
    ``faults``: ``(kind, rate)`` pairs, each kind drawn on its own with its rate (any of
    ``SELECTABLE_FAULTS``); when given, ``fail_rate`` and ``fault_kinds`` are not used.
    ``unauthorized_after``: authenticated requests answered normally before every later one gets 401.
    ``stall_seconds``: how long a ``stall`` fault holds its answer back.
    """

    host: str = "127.0.0.1"
    port: int = 0
    throttle: bool = False
    limits: ThrottleLimits = field(default_factory=ThrottleLimits)
    latency_ms: int = 0
    polling: PollingStyle = "body"
    polls: int = 2
    retry_after: int = 1
    page_size: int = 50
    fail_rate: float = 0.0
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    seed: int | None = None
    token: str | None = None
    faults: tuple[tuple[str, float], ...] = ()
    unauthorized_after: int | None = None
    stall_seconds: float = 600.0

    def __post_init__(self) -> None:
        if self.polling not in ("body", "location"):
            raise ValueError(f"polling must be 'body' or 'location', not {self.polling!r}")
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        if self.page_size < 1 or self.polls < 0 or self.retry_after < 0 or self.latency_ms < 0:
            raise ValueError("page_size must be >= 1; polls, retry_after and latency_ms >= 0")
        unknown = set(self.fault_kinds) - set(FAULT_KINDS)
        if unknown or not self.fault_kinds:
            raise ValueError(f"fault_kinds must be a non-empty subset of {FAULT_KINDS}")
        for kind, rate in self.faults:
            if kind not in SELECTABLE_FAULTS or not 0.0 <= rate <= 1.0:
                raise ValueError(f"a fault is one of {', '.join(SELECTABLE_FAULTS)} with a rate in 0..1")
        if (self.unauthorized_after is not None and self.unauthorized_after < 0) or self.stall_seconds < 0:
            raise ValueError("unauthorized_after and stall_seconds must be >= 0")

"""The outcome of a pre-flight run: per-request findings and notes, plus what it cost in ARM reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from vending.errors import Finding

Status = Literal["ok", "already-vended", "refused"]


@dataclass(frozen=True)
class ReadUsage:
    """ARM traffic of one run: logical reads by operation; HTTP attempts (pages and retries included)."""

    operations: Mapping[str, int] = field(default_factory=dict)
    http_requests: int = 0
    retries: int = 0
    throttled: int = 0
    transport_errors: int = 0
    paced_seconds: float = 0.0

    @property
    def reads(self) -> int:
        return sum(self.operations.values())


@dataclass(frozen=True)
class RequestResult:
    source: str
    name: str
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    already_vended: bool = False

    @property
    def status(self) -> Status:
        if self.findings:
            return "refused"
        return "already-vended" if self.already_vended else "ok"


@dataclass(frozen=True)
class CheckReport:
    """``passed`` when no request has a finding; ``notes`` are run-wide and never fail a run."""

    results: tuple[RequestResult, ...]
    usage: ReadUsage
    elapsed_seconds: float
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not any(result.findings for result in self.results)

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.results for finding in result.findings]

    def findings_by_source(self) -> dict[str, list[Finding]]:
        """Every checked source file mapped to its findings (empty when it passed)."""
        grouped: dict[str, list[Finding]] = {}
        for result in self.results:
            grouped.setdefault(result.source, []).extend(result.findings)
        return grouped

    def as_dict(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "results": [
                {
                    "source": r.source,
                    "name": r.name,
                    "status": r.status,
                    "notes": list(r.notes),
                    "findings": [f.as_dict() for f in r.findings],
                }
                for r in self.results
            ],
            "notes": list(self.notes),
            "stats": {
                "reads": dict(self.usage.operations),
                "httpRequests": self.usage.http_requests,
                "throttled": self.usage.throttled,
                "retries": self.usage.retries,
                "transportErrors": self.usage.transport_errors,
                "pacedSeconds": round(self.usage.paced_seconds, 3),
                "elapsedSeconds": round(self.elapsed_seconds, 3),
            },
        }

"""What a use case did to each subscription it was asked about: one frozen outcome each, with a status."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from vending.errors import ExitCode, Finding, TrunkError


class Status(StrEnum):
    PENDING = "pending"
    PLANNED = "planned"
    COMMITTED = "committed"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Outcome:
    """What happened to one request; ``key`` is its place in the batch, the key every stage joins by."""

    key: int
    source: str
    name: str | None
    environment: str | None
    status: Status = Status.PENDING
    commit: str | None = None
    findings: tuple[Finding, ...] = ()
    exit_code: ExitCode = ExitCode.OK

    @property
    def open(self) -> bool:
        return self.status is not Status.REJECTED

    def rejected(self, findings: Iterable[Finding], code: ExitCode) -> Outcome:
        return replace(self, status=Status.REJECTED, commit=None, findings=tuple(findings), exit_code=code)

    def decided(self, status: Status, commit: str | None = None) -> Outcome:
        return replace(self, status=status, commit=commit, findings=(), exit_code=ExitCode.OK)


def exit_code_of(outcomes: Iterable[Outcome]) -> ExitCode:
    """The exit code of a batch: the highest of its rejections."""
    return max((o.exit_code for o in outcomes if o.status is Status.REJECTED), default=ExitCode.OK)


def merged(outcomes: Sequence[Outcome], changed: Iterable[Outcome]) -> tuple[Outcome, ...]:
    """``outcomes`` with each outcome in ``changed`` put in its place (by key)."""
    by_key = {outcome.key: outcome for outcome in changed}
    return tuple(by_key.get(outcome.key, outcome) for outcome in outcomes)


def trunk_failed(outcomes: Sequence[Outcome], error: TrunkError, trunk: str) -> tuple[Outcome, ...]:
    """Every outcome not yet settled, rejected because the trunk failed (exit 5)."""
    findings = list(error.findings) or [Finding(trunk, "", error.message)]
    unsettled = (Status.PENDING, Status.COMMITTED, Status.PLANNED)
    return tuple(
        o.rejected([replace(f, file=o.source) for f in findings], ExitCode.TRUNK) if o.status in unsettled else o
        for o in outcomes
    )

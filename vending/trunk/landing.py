"""Landing commits on the trunk for every use case: focus the clone, commit on the newest tip, push, and on
rejection refresh and redo. The loop owns only git; what to commit is the caller's, decided again on every
round from the previous round's result."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from vending.errors import Finding, TrunkError
from vending.trunk.config import load_config
from vending.trunk.repository import PushResult, TrunkClone
from vending.trunk.state import focus_paths

T = TypeVar("T")


@dataclass(frozen=True)
class Round(Generic[T]):
    """What one round decided (``value``) and whether it committed anything."""

    value: T
    committed: bool


@dataclass(frozen=True)
class Landing(Generic[T]):
    """How a landing went: the last round's value, the rounds it took, the diff of a dry run, and the trunk
    failure that ended it, if one did."""

    value: T
    attempts: int
    diff: str = ""
    failure: TrunkError | None = None


def focus_on(clone: TrunkClone, names: Sequence[str], networks: Sequence[str] = ()) -> None:
    """Check out what validating and writing these subscriptions reads: the config, each environment's own
    files, and the folders :func:`vending.trunk.state.focus_paths` names (the subscriptions', their shards',
    their tombstones' and their networks' blocks, in every environment)."""
    config = load_config(clone.root)
    clone.focus(focus_paths(config, names, networks), [env.path for env in config.environments.values()])


BACKOFF_UNIT = (0.05, 1.0)
"""Bounds, in seconds, of the backoff's unit: the duration of the round that lost."""
BACKOFF_DOUBLINGS = 5
"""The window stops growing at 2**5 units: at most 32 seconds, about 32 rounds' worth of contenders."""


def jittered_backoff(attempt: int, round_seconds: float) -> float:
    """Full-jitter exponential backoff in seconds, adapted to the trunk: its unit is how long the round that
    lost took (clone state, plan, commit, push), so that writers spread over more time as rounds get slower
    under load, or over a slow network. The window doubles with each attempt, then stays at 32 units."""
    low, high = BACKOFF_UNIT
    unit = min(high, max(low, round_seconds))
    return random.uniform(0, unit * 2 ** min(attempt, BACKOFF_DOUBLINGS))


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def land(
    clone: TrunkClone,
    initial: T,
    commit_round: Callable[[T, int], Round[T]],
    *,
    max_attempts: int,
    dry_run: bool,
) -> Landing[T]:
    """Commit on the newest tip and push; on rejection wait (:func:`jittered_backoff`), refresh, redo the
    commits and retry. A dry run pushes nothing and returns the diff. A trunk failure ends the landing with the last
    value decided; a race never won is one too."""
    value = initial
    for attempt in range(max_attempts):
        started = time.monotonic()
        try:
            base = clone.tip()
            decided = commit_round(value, attempt)
            value = decided.value
            if dry_run:
                return Landing(value, attempt + 1, clone.diff(base) if decided.committed else "")
            if not decided.committed or clone.push() is PushResult.PUSHED:
                return Landing(value, attempt + 1)
            if attempt + 1 < max_attempts:
                sleep(jittered_backoff(attempt, time.monotonic() - started))
                clone.refresh()
        except TrunkError as exc:
            return Landing(value, attempt + 1, failure=exc)
    return Landing(value, max_attempts, failure=_race_lost(clone, max_attempts))


def _race_lost(clone: TrunkClone, max_attempts: int) -> TrunkError:
    message = (
        f"branch {clone.branch!r} kept moving or refusing pushes for {max_attempts} attempts; nothing was "
        "pushed, run again later"
    )
    return TrunkError(
        f"push to {clone.location} still rejected after {max_attempts} attempts", [Finding(clone.location, "", message)]
    )

"""One classified difference between two interfaces, and the levels of the semver table."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    """How big a change is, and how big a version bump is: the same scale."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


MAJOR, MINOR, PATCH = Level.MAJOR, Level.MINOR, Level.PATCH


@dataclass(frozen=True, order=True)
class Difference:
    """``where`` changed in ``area``; ``change`` says how, ``level`` what it needs."""

    area: str
    where: str
    change: str
    level: Level

    def as_dict(self) -> dict[str, str]:
        return {"level": self.level.label, "area": self.area, "where": self.where, "change": self.change}


def highest(differences: list[Difference]) -> Level:
    return max((difference.level for difference in differences), default=Level.NONE)


def pair_renames(removed: dict[str, object], added: dict[str, object]) -> list[tuple[str, str]]:
    """Removed and added names whose specifications are equal and match one-to-one: renames."""
    pairs: list[tuple[str, str]] = []
    for old_name, old_spec in sorted(removed.items()):
        twins = [name for name, spec in added.items() if spec == old_spec]
        partners = [name for name, spec in removed.items() if spec == old_spec]
        if len(twins) == 1 and len(partners) == 1:
            pairs.append((old_name, twins[0]))
    return pairs

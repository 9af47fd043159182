"""The trunk's state as a batch changes it, one request after another, and what each change writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from vending.render.trunkfiles import environment_files
from vending.trunk.config import TrunkConfig
from vending.trunk.state import Entry, EnvironmentIndex, TrunkState


@dataclass(frozen=True)
class Ledger:
    """The indexes of every environment; each change returns a new ledger."""

    config: TrunkConfig
    indexes: Mapping[str, EnvironmentIndex]

    @classmethod
    def of(cls, config: TrunkConfig, state: TrunkState) -> Ledger:
        return cls(config, dict(state.indexes))

    def state(self) -> TrunkState:
        return TrunkState(dict(self.indexes))

    def put(self, entry: Entry) -> Ledger:
        index = self.indexes[entry.environment]
        changed = replace(index, entries={**index.entries, entry.name: entry})
        return replace(self, indexes={**self.indexes, entry.environment: changed})

    def remove(self, environment: str, name: str, tombstone: Mapping[str, object]) -> Ledger:
        index = self.indexes[environment]
        entries = {key: value for key, value in index.entries.items() if key != name}
        changed = replace(index, entries=entries, decommissioned={**index.decommissioned, name: dict(tombstone)})
        return replace(self, indexes={**self.indexes, environment: changed})

    def environment_files(self, environment: str, interface_version: str) -> dict[str, str]:
        return environment_files(self.config, self.indexes[environment], interface_version)


@dataclass(frozen=True)
class TreeView:
    """The trunk's files as they will be: the checked-out tree under ``root``, with the files of the
    changes planned before laid over it (``None``: deleted)."""

    root: Path
    planned: Mapping[str, str | None] = field(default_factory=dict)

    def read(self, path: str) -> str | None:
        if path in self.planned:
            return self.planned[path]
        target = self.root / path
        return target.read_text(encoding="utf-8") if target.is_file() else None

    def with_planned(self, files: Mapping[str, str | None]) -> TreeView:
        """This view with ``files`` laid over it."""
        return replace(self, planned={**self.planned, **files})

    def changed_paths(self, files: Mapping[str, str | None]) -> list[str]:
        """The paths whose content differs from what is to be written."""
        return [path for path, text in sorted(files.items()) if self.read(path) != text]


def changed_paths(root: Path, files: Mapping[str, str | None]) -> list[str]:
    """The paths whose content on disk under ``root`` differs from what is to be written."""
    return TreeView(root).changed_paths(files)

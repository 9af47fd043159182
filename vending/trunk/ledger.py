"""Planning trunk changes: what each request or decommission writes, and whether its author may write it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from vending.codeowners import CodeOwnersFile, find_codeowners, parse_codeowners, unauthorized_paths
from vending.errors import Finding
from vending.render.trunkfiles import environment_files
from vending.trunk.config import TrunkConfig
from vending.trunk.layout import ADMIN_FILES
from vending.trunk.state import Entry, EnvironmentIndex, TrunkState


@dataclass(frozen=True)
class Change:
    """The words of one commit: subject, body and trailers."""

    subject: str
    trailers: Mapping[str, str]
    body: str = ""

    def message(self) -> str:
        trailer_text = "".join(f"{key}: {value}\n" for key, value in self.trailers.items())
        body = f"{self.body.strip()}\n\n" if self.body.strip() else ""
        return f"{self.subject}\n\n{body}{trailer_text}"


@dataclass
class Ledger:
    """The trunk's state as the batch changes it, one request after another."""

    config: TrunkConfig
    indexes: dict[str, EnvironmentIndex]

    @classmethod
    def of(cls, config: TrunkConfig, state: TrunkState) -> Ledger:
        return cls(config, dict(state.indexes))

    def state(self) -> TrunkState:
        return TrunkState(dict(self.indexes))

    def put(self, entry: Entry) -> None:
        index = self.indexes[entry.environment]
        self.indexes[entry.environment] = replace(index, entries={**index.entries, entry.name: entry})

    def remove(self, environment: str, name: str, tombstone: Mapping[str, object]) -> None:
        index = self.indexes[environment]
        entries = {key: value for key, value in index.entries.items() if key != name}
        self.indexes[environment] = replace(
            index, entries=entries, decommissioned={**index.decommissioned, name: dict(tombstone)}
        )

    def environment_files(self, environment: str, interface_version: str) -> dict[str, str]:
        return environment_files(self.config, self.indexes[environment], interface_version)


def changed_paths(root: Path, files: Mapping[str, str | None]) -> list[str]:
    """The paths whose content on disk differs from what is to be written."""
    changed = []
    for path, text in sorted(files.items()):
        target = root / path
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            changed.append(path)
    return changed


def load_codeowners(root: Path) -> CodeOwnersFile | None:
    path = find_codeowners(root)
    if path is None:
        return None
    return parse_codeowners(path.read_text(encoding="utf-8"), str(path.relative_to(root)))


@dataclass
class ScopeVerdict:
    findings: list[Finding] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.findings


def scope_verdict(source: str, owners: CodeOwnersFile | None, identity: str, paths: list[str]) -> ScopeVerdict:
    """May ``identity`` change every path? Admin-owned files are never changed by a submit."""
    verdict = ScopeVerdict()
    for path in paths:
        if path in ADMIN_FILES:
            verdict.findings.append(
                Finding(source, "", f"{path} is the trunk's own config; only admins change it, never a submit")
            )
    if owners is None:
        verdict.findings.append(
            Finding(source, "", "the trunk has no CODEOWNERS: refusing to write without path scoping")
        )
        return verdict
    for path, path_owners in unauthorized_paths(owners, identity, paths):
        who = " ".join(path_owners) if path_owners else "nobody (unowned)"
        verdict.findings.append(Finding(source, "", f"{identity} does not own {path} (owners: {who})"))
    return verdict

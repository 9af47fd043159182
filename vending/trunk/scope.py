"""Path scope: may an identity change these trunk paths? CODEOWNERS decides, and admin files are never
changed by a submit or a decommission."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vending.codeowners import CodeOwnersFile, parse_codeowners, unauthorized_paths
from vending.errors import Finding
from vending.trunk import safe_read
from vending.trunk.layout import ADMIN_FILES, CODEOWNERS_LOCATIONS


@dataclass(frozen=True)
class ScopeVerdict:
    findings: tuple[Finding, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.findings


def load_codeowners(root: Path) -> CodeOwnersFile | None:
    """The CODEOWNERS file GitHub would use in the checked-out trunk at ``root``, parsed."""
    for location in CODEOWNERS_LOCATIONS:
        text = safe_read.read_text(root, location) if safe_read.is_file(root, location) else None
        if text is not None:
            return parse_codeowners(text, location)
    return None


def scope_verdict(source: str, owners: CodeOwnersFile | None, identity: str, paths: Sequence[str]) -> ScopeVerdict:
    """May ``identity`` change every path? Admin-owned files are never changed by a submit."""
    findings = [
        Finding(source, "", f"{path} is the trunk's own config; only admins change it, never a submit")
        for path in paths
        if path in ADMIN_FILES
    ]
    if owners is None:
        findings.append(Finding(source, "", "the trunk has no CODEOWNERS: refusing to write without path scoping"))
        return ScopeVerdict(tuple(findings))
    for path, path_owners in unauthorized_paths(owners, identity, list(paths)):
        who = " ".join(path_owners) if path_owners else "nobody (unowned)"
        findings.append(Finding(source, "", f"{identity} does not own {path} (owners: {who})"))
    return ScopeVerdict(tuple(findings))

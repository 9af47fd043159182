"""``vending show NAME``: one subscription as the trunk records it — its normalized request (or, once
decommissioned, its tombstone), its history with each commit's trailers, and its last recorded status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from vending.errors import Finding, InputError
from vending.fleet.listing import (
    Gone,
    Listed,
    did_you_mean,
    list_trunk,
    read_mapping,
    read_status,
)
from vending.fleet.listing_files import TrunkFiles, trunk_files
from vending.trunk.history import PathCommit, read_history
from vending.trunk.layout import REQUEST_FILE
from vending.trunk.records import StatusRecord, record_path
from vending.trunk.state import paths_of


@dataclass(frozen=True)
class Shown:
    """What ``show`` prints about one name."""

    name: str
    environment: str
    live: bool
    display_name: str | None
    subscription_id: str | None
    deletion: str | None
    request: Mapping[str, Any] | None = None
    tombstone: Mapping[str, Any] | None = None
    status: StatusRecord | None = None
    history: tuple[PathCommit, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "environment": self.environment,
            "state": "live" if self.live else "decommissioned",
            "displayName": self.display_name,
            "subscriptionId": self.subscription_id,
            "deletion": self.deletion,
            "request": None if self.request is None else dict(self.request),
            "tombstone": None if self.tombstone is None else dict(self.tombstone),
            "status": None if self.status is None else self.status.as_json(),
            "history": [commit_json(commit) for commit in self.history],
        }


def commit_json(commit: PathCommit) -> dict[str, Any]:
    return {
        "commit": commit.sha,
        "date": commit.committed,
        "authored": commit.authored,
        "author": {"name": commit.author, "email": commit.email},
        "subject": commit.subject,
        "trailers": [{"key": key, "value": value} for key, value in commit.trailers],
    }


def show_subscription(location: str, branch: str, name: str) -> Shown:
    """The subscription (or decommissioned name) ``name`` of the trunk at ``location``; an unknown name is
    refused with the closest known names."""
    with trunk_files(location, branch) as root:
        listing = list_trunk(root)
        found = _find(listing.subscriptions, name) or _find(listing.decommissioned, name)
        if found is None:
            message = f"no subscription named {name!r} in the trunk{did_you_mean(name, listing.names())}"
            raise InputError(f"unknown subscription {name!r}", [Finding(name, "name", message)])
        shown, logged_paths = _read(root, found)
    with read_history(location, branch, blobless=True) as history:
        commits = history.path_log(logged_paths)
    return replace(shown, history=tuple(commits))


def _find(items: tuple[Listed, ...] | tuple[Gone, ...], name: str) -> Listed | Gone | None:
    return next((item for item in items if item.name == name), None)


def _read(root: TrunkFiles, found: Listed | Gone) -> tuple[Shown, list[str]]:
    """What the trunk says of ``found``, and the trunk paths whose history is its history."""
    paths = paths_of(root.config(), found.environment)
    status = read_status(root, found.environment, found.name)
    logged = [paths.subscription(found.name), paths.tombstone(found.name), record_path(found.environment, found.name)]
    if isinstance(found, Listed):
        request = read_mapping(root, f"{paths.subscription(found.name)}/{REQUEST_FILE}", yaml_text=True)
        live = Shown(found.name, found.environment, True, found.display_name, found.subscription_id, found.deletion)
        return replace(live, request=request, status=status), logged
    tombstone = read_mapping(root, paths.tombstone(found.name))
    known_id = (status.subscriptionId if status else None) or found.subscription_id
    gone = Shown(found.name, found.environment, False, None, known_id, found.deletion)
    return replace(gone, tombstone=tombstone, status=status), logged

"""The trunk as a batch changes it, one request after another, and the layout files each change writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from vending.errors import InputError
from vending.render.subscription import RenderedSubscription
from vending.render.trunkfiles import shard_names, shard_path, shard_text, subscription_layout_files
from vending.trunk import safe_read
from vending.trunk.approvals import Approval, approval_path, parse_approval
from vending.trunk.config import TrunkConfig
from vending.trunk.state import Entry, TrunkState, blocks_of, parse_ranges, paths_of, ranges_text, shard_of


def layout_changes(
    view: TreeView, config: TrunkConfig, before: Entry | None, after: Entry | None, interface_version: str
) -> dict[str, str | None]:
    """The layout files one change writes besides the subscription's render, read from and laid over
    ``view``: the subscription's kustomization and facts, its shard, the network blocks its ranges were or
    are in. Each of them holds one subscription, one shard or one /16 block: none grows with the fleet."""
    files: dict[str, str | None] = {}
    subject = after or before
    assert subject is not None
    env = subject.environment
    if after is not None:
        files.update(subscription_layout_files(config, after, interface_version))
    shard = shard_path(config, env, shard_of(subject.name))
    names = set(shard_names(view.read(shard))) - {subject.name}
    files[shard] = shard_text(config, names | ({after.name} if after else set()), interface_version)
    files.update(_network_changes(view, config, before, after))
    return files


def _network_changes(
    view: TreeView, config: TrunkConfig, before: Entry | None, after: Entry | None
) -> dict[str, str | None]:
    old = {(cidr, block) for cidr in (before.address_space if before else ()) for block in blocks_of(cidr)}
    new = {(cidr, block) for cidr in (after.address_space if after else ()) for block in blocks_of(cidr)}
    subject = after or before
    assert subject is not None
    paths = paths_of(config, subject.environment)
    files: dict[str, str | None] = {}
    for block in sorted({block for _, block in old ^ new}):
        path = paths.network(block)
        kept = [pair for pair in parse_ranges(view.read(path)) if pair[1] != subject.name]
        files[path] = ranges_text(kept + [(cidr, subject.name) for cidr, b in new if b == block])
    return files


@dataclass(frozen=True)
class TreeView:
    """The trunk's files as they will be: the checked-out tree under ``root``, with the files of the
    changes planned before laid over it (``None``: deleted)."""

    root: Path
    planned: Mapping[str, str | None] = field(default_factory=dict)

    def read(self, path: str) -> str | None:
        if path in self.planned:
            return self.planned[path]
        return safe_read.read_text(self.root, path)

    def with_planned(self, files: Mapping[str, str | None]) -> TreeView:
        """This view with ``files`` laid over it."""
        return replace(self, planned={**self.planned, **files})

    def state(self, config: TrunkConfig) -> TrunkState:
        """The trunk's facts as this view holds them."""
        return TrunkState(config, self.read)

    def changed_paths(self, files: Mapping[str, str | None]) -> list[str]:
        """The paths whose content differs from what is to be written."""
        return [path for path, text in sorted(files.items()) if self.read(path) != text]


def changed_paths(root: Path, files: Mapping[str, str | None]) -> list[str]:
    """The paths whose content on disk under ``root`` differs from what is to be written."""
    return TreeView(root).changed_paths(files)


def read_approval(view: TreeView, config: TrunkConfig, environment: str, name: str) -> Approval | None:
    """The subscription's recorded approval, if any (a damaged one counts as none: the change clears it)."""
    path = approval_path(f"{config.environments[environment].path}/{name}")
    text = view.read(path)
    try:
        return None if text is None else parse_approval(text, path)
    except InputError:
        return None


def approval_changes(view: TreeView, rendered: RenderedSubscription) -> dict[str, str | None]:
    """The approval file removed when the render no longer carries it: a change of the request (or of what
    the object plans with) needs a new approval."""
    path = approval_path(rendered.directory)
    return {path: None} if rendered.approved_plan is None and view.read(path) is not None else {}

"""The review binding: one hash of what a batch of requests would write and of what the trunk holds there now.

``vending diff`` prints it; ``vending submit --expect-diff`` recomputes it on the tip it is about to commit
on and refuses when it differs. It covers, for every request that loads, the files of its own folder as they
would be rendered and as the trunk holds them now; it does not cover the rest of the trunk, so a commit
that touches other subscriptions leaves it unchanged (the shared shard and network files are left out for
that reason: their content depends on other subscriptions).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from vending.render.subscription import initial_deletion, render_subscription
from vending.render.trunkfiles import subscription_layout_files
from vending.request.load import LoadedRequest
from vending.request.model import Request
from vending.trunk.config import TrunkConfig
from vending.trunk.state import Entry, Reader, TrunkState, paths_of

PREFIX = "diff-sha256:"
VERSION = "vending-diff-binding/1"


def own_files(request: Request, config: TrunkConfig, interface_version: str, existing: Entry | None) -> dict[str, str]:
    """The files of the request's own folder as submitting it would leave them."""
    workload = config.environments[request.environment].workload
    deletion = existing.deletion if existing else initial_deletion(request, config)
    rendered = render_subscription(request, config, interface_version, deletion)
    entry = Entry.from_request(request, default_workload=workload, deletion=deletion)
    return {**rendered.files, **subscription_layout_files(config, entry, interface_version)}


def binding_hash(
    loaded: Sequence[LoadedRequest],
    read: Reader,
    config: TrunkConfig,
    interface_version: str,
    rendered: Mapping[int, Mapping[str, str | None]] | None = None,
) -> str:
    """``diff-sha256:<hex>`` of the batch against the trunk that ``read`` reads (order of the batch ignored).
    ``rendered``: the own files of requests already rendered, by their place in the batch (not rendered again)."""
    known = rendered or {}
    lines = sorted(_lines(item, read, config, interface_version, known.get(i)) for i, item in enumerate(loaded))
    digest = hashlib.sha256("\n".join([VERSION, interface_version, *lines]).encode("utf-8"))
    return PREFIX + digest.hexdigest()


def review_problem(
    expected: str | None, loaded: Sequence[LoadedRequest], read: Reader, config: TrunkConfig, interface_version: str
) -> str | None:
    """What to tell a submit given the reviewed binding ``expected`` when the batch no longer has it."""
    if expected is None:
        return None
    actual = binding_hash(loaded, read, config, interface_version)
    if actual == expected:
        return None
    return (
        f"the trunk or the requests changed since review (reviewed {expected}, now {actual}); "
        "run 'vending diff' again and review what it shows"
    )


def _lines(
    item: LoadedRequest,
    read: Reader,
    config: TrunkConfig,
    interface_version: str,
    known: Mapping[str, str | None] | None,
) -> str:
    request = item.request
    if request is None or request.environment not in config.environments:
        return f"unrendered {_digest(item.source)}"
    existing = TrunkState(config, read).find(request.name)
    files = known if known is not None else own_files(request, config, interface_version, existing)
    parts = [f"request {request.name} {request.environment}"]
    parts += [f"{path} {_digest(files[path])} {_digest(read(path))}" for path in sorted(files)]
    return "\n".join(parts)


def own_part(files: Mapping[str, str | None], config: TrunkConfig, request: Request) -> dict[str, str | None]:
    """Of the files a change writes, those of the request's own folder (what the binding covers)."""
    folder = paths_of(config, request.environment).subscription(request.name) + "/"
    return {path: text for path, text in files.items() if path.startswith(folder)}


def _digest(text: str | None) -> str:
    return "-" if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()

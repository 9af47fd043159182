"""The trunk files ``list`` and ``show`` read, behind one small interface: a working tree on disk (read through
:mod:`vending.trunk.safe_read`), or the tip of a branch read from git objects (:mod:`vending.trunk.snapshot`):
in place for a local repository, from a blob-less clone for a URL, fetching only the files listed here."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from vending.errors import Finding, InputError
from vending.trunk import safe_read
from vending.trunk.config import TrunkConfig, load_config, load_config_text
from vending.trunk.layout import CONFIG_FILE, DECOMMISSIONED_DIR, FACTS_FILE, REQUEST_FILE, STATUS_DIR
from vending.trunk.snapshot import read_tip
from vending.trunk.workdir import is_working_tree, temporary_directory

LISTED_FILES = (REQUEST_FILE, FACTS_FILE)


class TrunkFiles(Protocol):
    def config(self) -> TrunkConfig: ...
    def read_text(self, path: str) -> str | None: ...
    def subscription_folders(self, env_path: str) -> list[str]: ...
    def tombstone_files(self, env_path: str) -> list[str]: ...


@dataclass(frozen=True)
class DiskFiles:
    """A working tree, read as it is on disk."""

    root: Path
    _verified: set[str] = field(default_factory=set, compare=False)
    """Folders already checked to be real folders (no symlink on the way), so each is checked once."""

    def config(self) -> TrunkConfig:
        return load_config(self.root)

    def read_text(self, path: str) -> str | None:
        return safe_read.read_text(self.root, path, self._verified)

    def subscription_folders(self, env_path: str) -> list[str]:
        return safe_read.subscription_folders(self.root, env_path)

    def tombstone_files(self, env_path: str) -> list[str]:
        base = f"{env_path}/{DECOMMISSIONED_DIR}"
        return [
            f"{base}/{shard}/{name}"
            for shard in safe_read.folders(self.root, base, skip_files=False)
            for name in safe_read.files(self.root, f"{base}/{shard}")
            if name.endswith(".json")
        ]


@dataclass(frozen=True)
class TipFiles:
    """The listed files of a branch's tip, held in memory; a symlink where one of them lies is damage."""

    contents: Mapping[str, bytes]
    symlinks: frozenset[str] = frozenset()
    _children: dict[str, set[str]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        children = self._children
        for path in self.contents:
            parent, _, name = path.rpartition("/")
            while parent:
                known = parent in children
                children.setdefault(parent, set()).add(name)
                if known:
                    break
                parent, _, name = parent.rpartition("/")

    def config(self) -> TrunkConfig:
        text = self.read_text(CONFIG_FILE)
        if text is None:
            message = "not found: is this a trunk made by 'vending init'?"
            raise InputError(f"{CONFIG_FILE} not found", [Finding(CONFIG_FILE, "", message)])
        return load_config_text(text)

    def read_text(self, path: str) -> str | None:
        self._refuse_links(path)
        raw = self.contents.get(path)
        if raw is None:
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise safe_read.damaged(path, f"not UTF-8 text (invalid byte at offset {exc.start})") from exc

    def subscription_folders(self, env_path: str) -> list[str]:
        self._refuse_links_under(env_path)
        return sorted(name for name in self._children.get(env_path, ()) if name[:1].isalnum())

    def tombstone_files(self, env_path: str) -> list[str]:
        base = f"{env_path}/{DECOMMISSIONED_DIR}"
        return sorted(
            f"{base}/{shard}/{name}"
            for shard in self._children.get(base, ())
            for name in self._children.get(f"{base}/{shard}", ())
            if name.endswith(".json")
        )

    def _refuse_links(self, path: str) -> None:
        if not self.symlinks:
            return
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            if "/".join(parts[:depth]) in self.symlinks:
                shown = "/".join(parts[:depth])
                raise safe_read.damaged(shown, "a symlink; vending never follows links inside a trunk")

    def _refuse_links_under(self, folder: str) -> None:
        self._refuse_links(folder)
        for link in sorted(self.symlinks):
            if link.startswith(f"{folder}/"):
                raise safe_read.damaged(link, "a symlink; vending never follows links inside a trunk")


def is_listed(path: str) -> bool:
    """The files ``list`` and ``show`` read: vending.yaml, each request and facts, tombstones, status records."""
    name = path.rsplit("/", 1)[-1]
    return (
        path == CONFIG_FILE
        or name in LISTED_FILES
        or f"/{DECOMMISSIONED_DIR}/" in path
        or path.startswith(f"{STATUS_DIR}/")
    )


@contextmanager
def trunk_files(location: str, branch: str) -> Iterator[TrunkFiles]:
    """The trunk at ``location``: a working tree as it is on disk, else the tip of ``branch``."""
    if is_working_tree(location):
        yield DiskFiles(Path(location))
        return
    with temporary_directory("vending-list-") as scratch:
        tip = read_tip(location, branch, is_listed, scratch / "trunk.git")
    yield TipFiles(tip.contents, tip.symlinks)

"""Where the interface files are read from: a working tree, or a commit read without checking it out."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from vending.errors import InputError
from vending.trunk.revisions import CommitFiles, NotARepositoryError, UnknownRevisionError, commit_files


class Tree(Protocol):
    """Read access to the files of one version of the repository."""

    label: str

    def read(self, path: str) -> str | None:
        """The text of ``path`` (relative, ``/``-separated), or None when it does not exist."""


class WorkingTree:
    """The files on disk, including changes not yet committed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = "working tree"

    def read(self, path: str) -> str | None:
        target = self.root / path
        return target.read_text(encoding="utf-8") if target.is_file() else None


def find_repo_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` that holds ``.git``."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    raise InputError(f"{start}: not inside a git repository; pass --repo PATH")


def commit_tree(root: Path, ref: str) -> CommitFiles:
    """The tree of ``ref`` in the repository at ``root``; exit 2 when the ref does not name a commit."""
    try:
        return commit_files(root, ref)
    except NotARepositoryError as exc:
        raise InputError(f"{root}: not a git repository; pass --repo PATH") from exc
    except UnknownRevisionError as exc:
        raise InputError(
            f"--against {ref}: no such commit, tag or branch in {root} (fetch the release tags, e.g. git fetch --tags)"
        ) from exc

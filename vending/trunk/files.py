"""Writing a rendered tree to disk, never outside its root."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from vending.errors import RenderBugError


def safe_relative(path: str) -> PurePosixPath:
    """A repository-relative path with no way out of the repository."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("..", ".", "") for p in pure.parts) or "\\" in path:
        raise RenderBugError(f"refusing to write outside the trunk: {path!r}")
    if pure.parts[0] == ".git":
        raise RenderBugError(f"refusing to write inside .git: {path!r}")
    return pure


def write_tree(root: Path, files: Mapping[str, str | None]) -> None:
    """Write each file (``None`` deletes it); directories are created as needed, empty ones removed."""
    for rel, text in sorted(files.items()):
        target = root.joinpath(*safe_relative(rel).parts)
        if text is None:
            _remove(target, root)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        tmp.write_text(text, encoding="utf-8", newline="\n")
        tmp.replace(target)


def _remove(target: Path, root: Path) -> None:
    if target.is_file():
        target.unlink()
    parent = target.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent

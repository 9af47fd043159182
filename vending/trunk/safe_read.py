"""Reading a trunk's files defensively: every file vending reads from a trunk comes through here.

A trunk is input like any other: a commit can put bytes that are not UTF-8 in any file, a symlink where a
subscription folder or file belongs, or a file where a folder belongs. Each read refuses a symlink anywhere on
the path below the trunk's root (so nothing outside the clone is ever read), a folder where a file belongs,
and bytes that are not UTF-8, with an :class:`~vending.errors.InputError` (exit 2) naming the trunk file and
what to do.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from vending.errors import Finding, InputError

REPAIR = "repair it with a commit; 'vending check' lists what is damaged"


def damaged(path: str, reason: str, *, advice: str = REPAIR) -> InputError:
    """The error of one damaged trunk file: exit 2, naming the file, what is wrong and what to do."""
    return InputError(f"{path} is damaged", [Finding(path, "", f"{reason}; {advice}")])


def _kind(root: Path, rel: str, verified: set[str] | None = None) -> int | None:
    """The ``lstat`` mode of ``rel`` under ``root`` (None when absent); a symlink or a non-folder on the way
    is damage. Folders named in ``verified`` were checked already; the ones checked here are added."""
    parts = rel.split("/") if rel else []
    base = os.fspath(root)
    mode = os.lstat(base).st_mode
    for index in range(len(parts)):
        prefix = "/".join(parts[: index + 1])
        last = index == len(parts) - 1
        if not last and verified is not None and prefix in verified:
            continue
        try:
            mode = os.lstat(f"{base}/{prefix}").st_mode
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            raise damaged("/".join(parts[:index]), "a file where a folder belongs") from None
        if stat.S_ISLNK(mode):
            raise damaged(prefix, "a symlink; vending never follows links inside a trunk")
        if not last and not stat.S_ISDIR(mode):
            raise damaged(prefix, "a file where a folder belongs")
        if not last and verified is not None:
            verified.add(prefix)
    return mode


def read_bytes(root: Path, rel: str, verified: set[str] | None = None) -> bytes | None:
    """The bytes of the trunk file ``rel`` (None when there is no such file); ``verified`` as for ``_kind``."""
    mode = _kind(root, rel, verified)
    if mode is None:
        return None
    if stat.S_ISDIR(mode):
        raise damaged(rel, "a folder where a file belongs")
    if not stat.S_ISREG(mode):
        raise damaged(rel, "not a regular file")
    try:
        fd = os.open(f"{os.fspath(root)}/{rel}", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise damaged(rel, f"cannot be read ({exc.strerror})") from exc
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def read_text(root: Path, rel: str, verified: set[str] | None = None) -> str | None:
    """The UTF-8 text of the trunk file ``rel`` (None when there is no such file)."""
    raw = read_bytes(root, rel, verified)
    if raw is None:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise damaged(rel, f"not UTF-8 text (invalid byte at offset {exc.start})") from exc


def is_file(root: Path, rel: str) -> bool:
    """Whether ``rel`` is a regular file of the trunk (symlinks on the way are damage)."""
    mode = _kind(root, rel)
    return mode is not None and stat.S_ISREG(mode)


def is_folder(root: Path, rel: str) -> bool:
    """Whether ``rel`` is a folder of the trunk; a file or a symlink where it belongs is damage."""
    mode = _kind(root, rel)
    if mode is None:
        return False
    if not stat.S_ISDIR(mode):
        raise damaged(rel, "a file where a folder belongs")
    return True


def folders(root: Path, rel: str, *, skip_files: bool = True) -> list[str]:
    """The names of the folders directly in the trunk folder ``rel``, sorted; a symlink among them is damage
    (and a file too, unless ``skip_files``)."""
    if not is_folder(root, rel):
        return []
    found: list[str] = []
    with os.scandir(root / rel) as entries:
        for entry in entries:
            if entry.is_symlink():
                raise damaged(f"{rel}/{entry.name}", "a symlink; vending never follows links inside a trunk")
            if entry.is_dir(follow_symlinks=False):
                found.append(entry.name)
            elif not skip_files:
                raise damaged(f"{rel}/{entry.name}", "a file where a folder belongs")
    return sorted(found)


def subscription_folders(root: Path, env_path: str) -> list[str]:
    """The subscription folders of an environment (their names start with a letter or digit; the layout's own
    folders with ``_``). A file named like a subscription, where its folder belongs, is damage."""
    for name in files(root, env_path):
        if name[:1].isalnum() and "." not in name:
            raise damaged(f"{env_path}/{name}", "a file where a subscription folder belongs")
    return [name for name in folders(root, env_path) if name[:1].isalnum()]


def files(root: Path, rel: str) -> list[str]:
    """The names of the regular files directly in the trunk folder ``rel``, sorted; a symlink is damage."""
    if not is_folder(root, rel):
        return []
    found: list[str] = []
    with os.scandir(root / rel) as entries:
        for entry in entries:
            if entry.is_symlink():
                raise damaged(f"{rel}/{entry.name}", "a symlink; vending never follows links inside a trunk")
            if entry.is_file(follow_symlinks=False):
                found.append(entry.name)
    return sorted(found)

"""Commits made from planned files alone: one ``git fast-import`` for a whole series, then a check that the
commits hold exactly the planned paths (nothing staged by accident can slip in).

The series arrives as an iterable and each commit is written to a spool file as soon as it is planned, so a
series costs memory for one commit at a time, however long it is; git reads the spool once it is complete."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from vending.errors import Finding, TrunkError

WORK_REF = "refs/vending/work"
_PLAIN_PATH = re.compile(r"^[A-Za-z0-9._/-]+$")


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class PlannedCommit:
    """One commit to make: the files it writes (``None`` deletes) and who made it, why."""

    files: Mapping[str, str | None]
    message: str
    author: Person
    committer: Person


def fast_import(
    root: Path, git_dir: Path, commits: Iterable[PlannedCommit], base: str | None, location: str
) -> list[str]:
    """Make ``commits`` in order on top of ``base`` (``None``: a first commit) without moving any branch;
    returns their ids. ``commits`` is consumed once, one commit at a time. Raises ``TrunkError`` when git
    fails or a commit holds a path nobody planned."""
    with tempfile.TemporaryFile(prefix="vending-fast-import-", dir=git_dir) as spool:
        planned, count = spool_stream(spool, commits, base, int(time.time()))
        if not count:
            return []
        spool.seek(0)
        shas = _run_fast_import(root, git_dir, spool, count, location)
    _require_planned_paths(root, location, planned, base, shas[-1])
    return shas


def _run_fast_import(root: Path, git_dir: Path, spool: IO[bytes], count: int, location: str) -> list[str]:
    marks = git_dir / "vending-marks"
    try:
        _git(root, location, "fast-import", "--quiet", "--done", f"--export-marks={marks}", stream=spool)
        ids = dict(line.split(" ", 1) for line in marks.read_text(encoding="ascii").split("\n") if line)
    finally:
        marks.unlink(missing_ok=True)
        _git(root, location, "update-ref", "-d", WORK_REF)
    return [ids[f":{index}"].strip() for index in range(1, count + 1)]


def spool_stream(
    out: IO[bytes], commits: Iterable[PlannedCommit], base: str | None, stamp: int
) -> tuple[set[str], int]:
    """Write the ``git fast-import`` input for ``commits`` to ``out``, each commit as it comes, each on the
    one before, the first on ``base``. Returns the paths the commits touch and how many there are."""
    planned: set[str] = set()
    count = 0
    for count, commit in enumerate(commits, start=1):
        out.write(_commit_command(commit, count, base if count == 1 else None, stamp))
        planned.update(commit.files)
    out.write(b"done\n")
    return planned, count


def _require_planned_paths(root: Path, location: str, planned: set[str], base: str | None, last: str) -> None:
    changed = (
        _git(root, location, "diff", "--no-renames", "--name-only", "-z", base, last)
        if base is not None
        else _git(root, location, "diff-tree", "-r", "--root", "--no-commit-id", "--name-only", "-z", last)
    )
    outside = sorted({path for path in changed.split("\0") if path} - planned)
    if outside:
        raise TrunkError(
            "refusing to commit unexpected paths", [Finding(path, "", "committed but not planned") for path in outside]
        )


def _git(root: Path, location: str, *args: str, stream: IO[bytes] | None = None) -> str:
    result = subprocess.run(["git", *args], stdin=stream, cwd=root, capture_output=True, check=False)
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()[-300:]
        raise TrunkError(f"git {args[0]} failed", [Finding(location, "", detail)])
    return result.stdout.decode("utf-8", "replace")


def _ident(person: Person, stamp: int) -> bytes:
    name = re.sub(r"[<>\n\r]", "", person.name).strip() or "vending"
    email = re.sub(r"[<>\s]", "", person.email)
    return f"{name} <{email}> {stamp} +0000".encode()


def fast_import_stream(commits: Sequence[PlannedCommit], base: str | None, stamp: int) -> bytes:
    """The ``git fast-import`` input for ``commits``, each on the one before, the first on ``base``."""
    out = io.BytesIO()
    spool_stream(out, commits, base, stamp)
    return out.getvalue()


def _commit_command(commit: PlannedCommit, mark: int, base: str | None, stamp: int) -> bytes:
    message = commit.message.encode()
    out = bytearray(f"commit {WORK_REF}\nmark :{mark}\n".encode())
    out += b"author " + _ident(commit.author, stamp) + b"\ncommitter " + _ident(commit.committer, stamp) + b"\n"
    out += f"data {len(message)}\n".encode() + message + b"\n"
    if base is not None:
        out += f"from {base}\n".encode()
    for path, text in sorted(commit.files.items()):
        out += _file_command(path, text)
    return bytes(out)


def _file_command(path: str, text: str | None) -> bytes:
    if not _PLAIN_PATH.fullmatch(path) or ".." in path.split("/"):
        raise TrunkError("refusing an unusual path", [Finding(path, "", "not a plain repository path")])
    if text is None:
        return f"D {path}\n".encode()
    data = text.encode()
    return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"

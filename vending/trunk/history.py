"""The trunk's history as ``vending report`` reads it: every commit's time, subject and trailers (one
``git log``), and every version of the files under one directory (one ``git log --raw`` for the blob ids,
then the blobs through one persistent ``git cat-file --batch``). A local repository (bare or a working
tree) is read in place; a URL is cloned bare into a temporary folder first."""

from __future__ import annotations

import shlex
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from git import GitCommandError, InvalidGitRepositoryError, NoSuchPathError, Repo

from vending.errors import Finding, TrunkError
from vending.reporting.redact import redact
from vending.trunk.repository import FILTERING_UPLOAD_PACK, git_reason, is_local_path
from vending.trunk.workdir import temporary_directory

RECORD, FIELD = "\x1e", "\x1f"
TRAILER_KEYS = ("Vending-Request", "Vending-Render-Hash", "Vending-Approval", "Vending-Identity")
"""The trailers a report reads of each commit."""


@dataclass(frozen=True)
class LoggedCommit:
    sha: str
    time: int
    subject: str
    trailers: Mapping[str, str]


@dataclass(frozen=True)
class FileVersion:
    """One version of a file: the commit that wrote it, when, and its text (None: the commit deleted it)."""

    sha: str
    time: int
    path: str
    text: str | None


@dataclass(frozen=True)
class PathCommit:
    """One commit of a path's history, with its trailers as (key, value) pairs in order (repeats kept)."""

    sha: str
    authored: str
    committed: str
    author: str
    email: str
    subject: str
    trailers: tuple[tuple[str, str], ...]


class History:
    """One branch of a repository, read with git's own log."""

    def __init__(self, repo: Repo, branch: str) -> None:
        self.repo = repo
        self.ref = f"refs/heads/{branch}"

    def commits(self) -> list[LoggedCommit]:
        """Every commit of the branch, oldest first."""
        keys = ",".join(f"key={key}" for key in TRAILER_KEYS)
        fmt = f"{RECORD}%H{FIELD}%ct{FIELD}%s{FIELD}%(trailers:{keys},unfold,separator=%x1d)"
        text = self._git("log", "--reverse", f"--format={fmt}", self.ref)
        return [_commit(chunk) for chunk in text.split(RECORD) if chunk.strip()]

    def versions(self, directory: str) -> Iterator[FileVersion]:
        """Every version of every file under ``directory``, oldest first."""
        fmt = f"{RECORD}%H{FIELD}%ct"
        text = self._git(
            "log", "--reverse", "--raw", "--no-abbrev", "--no-renames", f"--format={fmt}", self.ref, "--", directory
        )
        changes: list[tuple[str, int, str, str | None]] = []
        for chunk in text.split(RECORD):
            if not chunk.strip():
                continue
            head, _, raw = chunk.partition("\n")
            sha, time = head.split(FIELD)
            for line in raw.splitlines():
                meta, _, path = line.partition("\t")
                if path.startswith(f"{directory}/"):
                    blob = meta.split()[3]
                    changes.append((sha, int(time), path, None if set(blob) == {"0"} else blob))
        texts = self._texts([change[3] for change in changes if change[3] is not None])
        for commit, when, path, written in changes:
            yield FileVersion(commit, when, path, None if written is None else next(texts))

    def path_log(self, paths: Sequence[str]) -> list[PathCommit]:
        """Every commit of the branch that touched one of ``paths``, newest first."""
        fmt = f"{RECORD}%H{FIELD}%aI{FIELD}%cI{FIELD}%an{FIELD}%ae{FIELD}%s{FIELD}%(trailers:only,unfold)"
        text = self._git("log", f"--format={fmt}", self.ref, "--", *paths)
        return [_path_commit(chunk) for chunk in text.split(RECORD) if chunk.strip()]

    def tip_file(self, path: str) -> str | None:
        """The text of ``path`` at the branch's tip, or None."""
        found = self._git("ls-tree", self.ref, "--", path).split()
        return self._blob(found[2]) if len(found) >= 4 and found[1] == "blob" else None

    def tip_files(self, directories: Sequence[str], wanted: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
        """(path, text) of every file under ``directories`` whose path is ``wanted``, at the branch's tip: read
        from the object database, nothing checked out."""
        if not directories:
            return
        listing = self._git("ls-tree", "-r", "-z", self.ref, "--", *directories)
        found: list[tuple[str, str]] = []
        for entry in listing.split("\0"):
            meta, _, path = entry.partition("\t")
            if path and wanted(path) and meta.split()[1:2] == ["blob"]:
                found.append((path, meta.split()[2]))
        yield from zip((path for path, _ in found), self._texts([blob for _, blob in found]), strict=True)

    def _texts(self, blobs: Sequence[str]) -> Iterator[str]:
        """The texts of ``blobs``, in order, through one ``git cat-file --batch`` fed from another thread while
        its answers are read: one process and no round trip per object, one object in memory at a time."""
        if not blobs:
            return
        command = ["git", f"--git-dir={self.repo.git_dir}", "cat-file", "--batch"]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert process.stdin is not None and process.stdout is not None
        feeder = threading.Thread(target=_feed, args=(process.stdin, blobs), daemon=True)
        feeder.start()
        try:
            for blob in blobs:
                header = process.stdout.readline().split()
                if len(header) != 3:
                    raise TrunkError("cannot read the trunk", [Finding(blob, "", "git cat-file did not return it")])
                data = process.stdout.read(int(header[2]))
                process.stdout.read(1)
                yield data.decode("utf-8", errors="replace")
        finally:
            process.stdout.close()
            process.kill()
            process.wait()
            feeder.join()

    def _blob(self, blob: str) -> str:
        data: bytes = self.repo.odb.stream(bytes.fromhex(blob)).read()
        return data.decode("utf-8", errors="replace")

    def _git(self, *args: str) -> str:
        return str(self.repo.git.execute(["git", *args], strip_newline_in_stdout=False))


def _feed(stdin: IO[bytes], blobs: Sequence[str]) -> None:
    try:
        for start in range(0, len(blobs), 512):
            stdin.write("".join(f"{blob}\n" for blob in blobs[start : start + 512]).encode("ascii"))
        stdin.close()
    except (BrokenPipeError, ValueError):  # the reader stopped early and closed the process
        pass


def _path_commit(chunk: str) -> PathCommit:
    sha, authored, committed, author, email, subject, trailers = chunk.strip("\n").split(FIELD, 6)
    lines = [line.split(":", 1) for line in trailers.splitlines() if ":" in line]
    pairs = tuple((key.strip(), value.strip()) for key, value in lines)
    return PathCommit(sha, authored, committed, author, email, subject, pairs)


def _commit(chunk: str) -> LoggedCommit:
    sha, time, subject, trailers = chunk.strip("\n").split(FIELD, 3)
    pairs = [item.split(": ", 1) for item in trailers.strip().split("\x1d") if ": " in item]
    return LoggedCommit(sha, int(time), subject, {key: value.strip() for key, value in pairs})


@contextmanager
def read_history(
    location: str, branch: str = "main", *, tip_only: bool = False, blobless: bool = False
) -> Iterator[History]:
    """The history of ``branch``: a local repository in place, a URL through a temporary bare clone (of the
    tip alone with ``tip_only``; with commits and trees but no file contents with ``blobless``, all that a
    path-filtered log needs)."""
    options: dict[str, Any] = {"depth": 1} if tip_only else {}
    if blobless:
        options["multi_options"] = ["--filter=blob:none"]
        if location.startswith("file://"):
            options["multi_options"].append(shlex.quote(f"--upload-pack={FILTERING_UPLOAD_PACK}"))
            options["allow_unsafe_options"] = True
    try:
        if is_local_path(location) and Path(location).exists():
            with Repo(location) as repo:
                yield History(repo, branch)
            return
        with (
            temporary_directory("vending-history-") as tmp,
            Repo.clone_from(
                location, tmp / "trunk.git", bare=True, branch=branch, single_branch=True, **options
            ) as repo,
        ):
            yield History(repo, branch)
    except (GitCommandError, InvalidGitRepositoryError, NoSuchPathError) as exc:
        reason = git_reason(exc) if isinstance(exc, GitCommandError) else "not a git repository"
        finding = Finding(redact(location), "", f"cannot read the history of branch {branch!r}: {reason}")
        raise TrunkError(f"cannot read trunk {redact(location)}", [finding]) from exc

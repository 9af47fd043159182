"""The trunk's history as ``vending report`` reads it: every commit's time, subject and trailers (one
``git log``), and every version of the files under one directory (one ``git log --raw`` for the blob ids,
then the blobs through one persistent ``git cat-file --batch``). A local repository (bare or a working
tree) is read in place; a URL is cloned bare into a temporary folder first."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from git import GitCommandError, InvalidGitRepositoryError, NoSuchPathError, Repo

from vending.errors import Finding, TrunkError
from vending.reporting.redact import redact
from vending.trunk.repository import git_reason, is_local_path
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
        for chunk in text.split(RECORD):
            if not chunk.strip():
                continue
            head, _, raw = chunk.partition("\n")
            sha, time = head.split(FIELD)
            for line in raw.splitlines():
                meta, _, path = line.partition("\t")
                if not path.startswith(f"{directory}/"):
                    continue
                blob = meta.split()[3]
                yield FileVersion(sha, int(time), path, None if set(blob) == {"0"} else self._blob(blob))

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
        for entry in listing.split("\0"):
            meta, _, path = entry.partition("\t")
            if path and wanted(path) and meta.split()[1:2] == ["blob"]:
                yield path, self._blob(meta.split()[2])

    def _blob(self, blob: str) -> str:
        data: bytes = self.repo.odb.stream(bytes.fromhex(blob)).read()
        return data.decode("utf-8", errors="replace")

    def _git(self, *args: str) -> str:
        return str(self.repo.git.execute(["git", *args], strip_newline_in_stdout=False))


def _commit(chunk: str) -> LoggedCommit:
    sha, time, subject, trailers = chunk.strip("\n").split(FIELD, 3)
    pairs = [item.split(": ", 1) for item in trailers.strip().split("\x1d") if ": " in item]
    return LoggedCommit(sha, int(time), subject, {key: value.strip() for key, value in pairs})


@contextmanager
def read_history(location: str, branch: str = "main", *, tip_only: bool = False) -> Iterator[History]:
    """The history of ``branch``: a local repository in place, a URL through a temporary bare clone (of the
    tip alone with ``tip_only``)."""
    options: dict[str, Any] = {"depth": 1} if tip_only else {}
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

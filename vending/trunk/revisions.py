"""Reading the files of one commit of a local repository without checking it out (GitPython's object
model). The semver guard reads a released interface this way."""

from __future__ import annotations

from pathlib import Path

from git import BadName, GitCommandError, InvalidGitRepositoryError, NoSuchPathError, Repo
from git.objects import Blob, Commit

from vending.trunk.safe_read import damaged


class NotARepositoryError(ValueError):
    """The folder is not a git repository."""


class UnknownRevisionError(ValueError):
    """The ref names no commit, tag or branch of the repository."""


class CommitFiles:
    """The files of one commit, read from the object database."""

    def __init__(self, commit: Commit, label: str) -> None:
        self.commit = commit
        self.label = label

    def read(self, path: str) -> str | None:
        """The text of ``path`` (relative, ``/``-separated), or None when the commit has no such file."""
        try:
            item = self.commit.tree / path
        except KeyError:
            return None
        if not isinstance(item, Blob):
            return None
        data: bytes = item.data_stream.read()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise damaged(path, f"not UTF-8 text (byte {exc.start})") from exc


def commit_files(root: Path, ref: str) -> CommitFiles:
    """The files of ``ref`` in the repository at ``root``."""
    try:
        repo = Repo(root)
    except (InvalidGitRepositoryError, NoSuchPathError) as exc:
        raise NotARepositoryError(str(root)) from exc
    try:
        commit = repo.commit(ref)
    except (BadName, ValueError, GitCommandError) as exc:
        raise UnknownRevisionError(ref) from exc
    return CommitFiles(commit, ref)


def head_commit(root: Path) -> str | None:
    """The commit checked out at ``root``; None when ``root`` is no git repository or has no commit yet."""
    try:
        return str(Repo(root).head.commit.hexsha)
    except (InvalidGitRepositoryError, NoSuchPathError, ValueError):
        return None

"""A path's history on the trunk: the commits that touched a subscription's folder, tombstone or recorded
status, each with its trailers (who asked, which identity, the Azure checks, the ticket, the approval)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from git import GitCommandError, Repo

from vending.trunk.repository import FILTERING_UPLOAD_PACK, is_local_path, unreachable

LOG_FORMAT = "%H%x1f%aI%x1f%cI%x1f%an%x1f%ae%x1f%s%x1f%(trailers:only,unfold)%x1e"


@dataclass(frozen=True)
class LoggedCommit:
    """One commit of a path's history, with its trailers as (key, value) pairs in order."""

    sha: str
    authored: str
    committed: str
    author: str
    email: str
    subject: str
    trailers: tuple[tuple[str, str], ...]


def path_history(location: str, branch: str, paths: Sequence[str], scratch: Path) -> list[LoggedCommit]:
    """Every commit of ``branch`` that touched one of ``paths``, newest first. A local repository (working
    tree or bare) is read in place; anything else is cloned into ``scratch`` with its commits and trees but no
    file contents (``--filter=blob:none``), which is all a path-filtered log needs."""
    try:
        return _history(location, branch, paths, scratch)
    except GitCommandError as exc:
        raise unreachable(location, exc) from exc


def _history(location: str, branch: str, paths: Sequence[str], scratch: Path) -> list[LoggedCommit]:
    if is_local_path(location):
        repo = Repo(location)
    else:
        options = ["--filter=blob:none"]
        if location.startswith("file://"):
            options.append(shlex.quote(f"--upload-pack={FILTERING_UPLOAD_PACK}"))
        repo = Repo.clone_from(
            location,
            scratch,
            multi_options=options,
            allow_unsafe_options=location.startswith("file://"),
            bare=True,
            branch=branch,
            single_branch=True,
            no_tags=True,
        )
        branch = "HEAD"
    with repo:
        text = str(repo.git.execute(["git", "log", f"--format={LOG_FORMAT}", branch, "--", *paths]))
    return [_logged(record) for record in text.split("\x1e") if record.strip()]


def _logged(record: str) -> LoggedCommit:
    sha, authored, committed, author, email, subject, trailers = record.strip("\n").split("\x1f", 6)
    pairs = [line.split(":", 1) for line in trailers.splitlines() if ":" in line]
    return LoggedCommit(
        sha, authored, committed, author, email, subject, tuple((k.strip(), v.strip()) for k, v in pairs)
    )

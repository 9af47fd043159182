"""Reading a trunk by path or URL: a working tree as it is, anything else through a temporary clone."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from git import Actor, GitCommandError, Repo

from vending.errors import Finding, InputError, TrunkError
from vending.trunk.config import CONFIG_FILE


def is_working_tree(location: str) -> bool:
    """A local directory holding the trunk's files (not a bare repository, not a URL)."""
    path = Path(location)
    return path.is_dir() and (path / CONFIG_FILE).is_file()


@contextmanager
def temporary_directory(prefix: str) -> Iterator[Path]:
    """A temporary directory that is removed however the block ends."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def shallow_clone(location: str, branch: str, target: Path) -> Repo:
    """Clone ``branch`` of ``location`` at depth 1 into ``target``."""
    try:
        return Repo.clone_from(location, target, depth=1, branch=branch, single_branch=True, no_tags=True)
    except GitCommandError as exc:
        detail = [line.strip().removeprefix("stderr: ").strip(" '") for line in str(exc.stderr or exc).splitlines()]
        fatal = [line for line in detail if line.startswith(("fatal:", "error:"))]
        reason = (fatal or [line for line in detail if line] or ["git clone failed"])[0]
        raise TrunkError(
            f"cannot read trunk {location}", [Finding(location, "", f"cannot clone branch {branch!r}: {reason}")]
        ) from exc


@contextmanager
def read_trunk(location: str, branch: str = "main") -> Iterator[Path]:
    """Yield a directory with the trunk's files; a clone is made in a temporary folder and removed."""
    if is_working_tree(location):
        yield Path(location)
        return
    local = Path(location)
    is_repository = (local / ".git").exists() or ((local / "HEAD").is_file() and (local / "objects").is_dir())
    if local.is_dir() and not is_repository:
        raise InputError(
            "not a trunk",
            [Finding(location, "", f"has no {CONFIG_FILE}: give a trunk's working tree, a bare repository or a URL")],
        )
    with temporary_directory("vending-trunk-") as tmp:
        shallow_clone(location, branch, tmp / "trunk")
        yield tmp / "trunk"


def commit_identity(name: str, email: str) -> Actor:
    return Actor(name, email)


def init_repository(directory: Path, files: dict[str, str], message: str, author: Actor) -> str:
    """A new repository with one commit on ``main`` holding ``files``; returns the commit id."""
    from vending.trunk.files import write_tree

    write_tree(directory, files)
    repo = Repo.init(directory, initial_branch="main")
    with repo:
        with repo.config_writer() as config:
            # A trunk made here may be used as it is: pushes to main update its (clean) working tree.
            config.set_value("receive", "denyCurrentBranch", "updateInstead")
        repo.index.add(sorted(files))
        commit = repo.index.commit(message, author=author, committer=author)
        return commit.hexsha

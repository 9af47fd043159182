"""Where a trunk is read and written: private locked clones (temporary or reusable), the sweep of the ones
killed runs left behind, and reading a trunk by path or URL."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

from git import GitCommandError, Repo
from git.exc import GitError

from vending.errors import Finding, InputError, TrunkError
from vending.reporting.redact import redact
from vending.trunk.landing import focus_on
from vending.trunk.layout import CONFIG_FILE
from vending.trunk.repository import TrunkClone, clone_branch, git_reason, unreachable

WORKDIR_PREFIX = "vending-submit-"
LOCK_NAME = ".vending-lock"


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


class Reading(Enum):
    """What a read-only command reads of a trunk it clones: only those files are checked out (and, from a
    URL, fetched)."""

    EVERYTHING = "everything"
    ROOT = "the root's files, .github and docs: where CODEOWNERS is"
    INDEXES = (
        "the root's files, each environment's own files and the folders of the named subscriptions and networks "
        "(vending.trunk.state.focus_paths): what validating a request reads"
    )


@contextmanager
def read_trunk(
    location: str,
    branch: str = "main",
    reading: Reading = Reading.EVERYTHING,
    about: tuple[Sequence[str], Sequence[str]] = ((), ()),
) -> Iterator[Path]:
    """Yield a directory with the trunk's files; a clone is made in a temporary folder and removed. A
    working tree is read in place; a clone checks out only what ``reading`` names (for ``INDEXES``, about
    the subscription names and networks in ``about``)."""
    if is_working_tree(location):
        yield Path(location)
        return
    local = Path(location)
    is_repository = (local / ".git").exists() or ((local / "HEAD").is_file() and (local / "objects").is_dir())
    if local.is_dir() and not is_repository:
        raise InputError(
            "not a trunk",
            [
                Finding(
                    redact(location),
                    "",
                    f"has no {CONFIG_FILE}: give a trunk's working tree, a bare repository or a URL",
                )
            ],
        )
    with temporary_directory("vending-trunk-") as tmp:
        try:
            _read_clone(location, branch, tmp / "trunk", reading, about)
        except GitCommandError as exc:
            reason = git_reason(exc, "git clone failed")
            finding = Finding(redact(location), "", f"cannot clone branch {branch!r}: {reason}")
            raise TrunkError(f"cannot read trunk {redact(location)}", [finding]) from exc
        yield tmp / "trunk"


def _read_clone(
    location: str, branch: str, target: Path, reading: Reading, about: tuple[Sequence[str], Sequence[str]]
) -> None:
    with clone_branch(location, branch, target, sparse=reading is not Reading.EVERYTHING) as repo:
        if reading is Reading.EVERYTHING:
            return
        clone = TrunkClone(repo, location, branch)
        clone.quiet_maintenance()  # no automatic maintenance after each fetch of contents
        clone.focus([])
        clone.checkout()
        if reading is Reading.INDEXES and (target / CONFIG_FILE).is_file():
            focus_on(clone, *about)


def _lock(directory: Path) -> int:
    """An exclusive lock on a work directory; the OS releases it when the process dies, even by kill -9."""
    fd = os.open(directory / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _lock_new(directory: Path) -> int:
    """Lock a directory only this process knows of yet. The lock file appears under its name already
    locked, so a concurrent sweep never takes the directory while it is being set up."""
    pending = directory / f"{LOCK_NAME}.pending"
    fd = os.open(pending, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    pending.replace(directory / LOCK_NAME)
    return fd


def sweep_abandoned(parent: Path | None = None) -> int:
    """Remove work directories left by killed runs: those whose lock nobody holds. Returns how many."""
    base = parent or Path(tempfile.gettempdir())
    removed = 0
    for candidate in base.glob(f"{WORKDIR_PREFIX}*"):
        if _take_abandoned(candidate):
            removed += 1
    return removed


def _take_abandoned(candidate: Path) -> bool:
    lock = candidate / LOCK_NAME
    if not lock.is_file():
        return False
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    shutil.rmtree(candidate, ignore_errors=True)
    os.close(fd)
    return True


@contextmanager
def private_clone(location: str, branch: str, workdir: Path | None = None) -> Iterator[TrunkClone]:
    """A locked clone in a fresh temporary directory (removed after), or in a reusable ``workdir``. Only the
    root's files are checked out: ``TrunkClone.focus`` adds the directories a change needs."""
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
        held = _lock(workdir)
        try:
            yield _reuse_workdir(location, branch, workdir)
        finally:
            os.close(held)
        return
    sweep_abandoned()
    directory = Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX))
    fd = _lock_new(directory)
    try:
        yield _clone(location, branch, directory / "trunk")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        os.close(fd)


def _clone(location: str, branch: str, target: Path) -> TrunkClone:
    try:
        repo = clone_branch(location, branch, target, sparse=True)
    except GitCommandError as exc:
        raise unreachable(location, exc) from exc
    clone = TrunkClone(repo, location, branch)
    clone.quiet_maintenance()
    clone.focus([])
    clone.checkout()
    return clone


def _reuse_workdir(location: str, branch: str, workdir: Path) -> TrunkClone:
    """A cached clone (its work directory locked by the caller), validated before reuse: same remote, no
    stale git locks, reset to the remote. A clone that cannot be brought up to date is replaced."""
    target = workdir / "trunk"
    repo = _valid_cached_repo(target, location)
    if repo is not None:
        clone = TrunkClone(repo, location, branch)
        try:
            clone.quiet_maintenance()
            clone.focus([])
            clone.refresh()
            return clone
        except GitError:
            pass
    shutil.rmtree(target, ignore_errors=True)
    return _clone(location, branch, target)


def _valid_cached_repo(target: Path, location: str) -> Repo | None:
    if not (target / ".git").is_dir():
        return None
    _remove_stale_locks(target / ".git")
    try:
        repo = Repo(target)
        if repo.remotes.origin.url != location or repo.bare:
            return None
        return repo
    except (GitError, ValueError, AttributeError, OSError):
        return None


def _remove_stale_locks(git_dir: Path) -> None:
    """Lock files a killed git left behind (index, HEAD, config, shallow, refs, sparse-checkout, ...).
    Nothing else uses this clone: its work directory is locked."""
    for lock in git_dir.rglob("*.lock"):
        lock.unlink(missing_ok=True)

"""The git adapter: the only place vending runs git. One mechanism per job:

- clone, fetch, sparse checkout, push, diff and log: git's own commands through GitPython's command runner
  (``Repo.clone_from``, ``repo.git.execute``), so that every failure arrives as one ``GitCommandError`` and
  is read by one stderr parser, :func:`git_reason`;
- commits (a submit's series, a decommission, the first commit of ``vending init``): one
  ``git fast-import`` per series, from the planned files alone (:mod:`vending.trunk.fastimport`), then a
  check that the commits hold exactly the planned paths;
- reading a repository's configuration and remote: GitPython's object model.

Private clones, their locks and the temporary clone of a read live in :mod:`vending.trunk.workdir`.
"""

from __future__ import annotations

import fcntl
import os
import re
import shlex
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

from git import GitCommandError, InvalidGitRepositoryError, NoSuchPathError, Repo

from vending.errors import Finding, TrunkError
from vending.reporting.redact import redact
from vending.trunk.fastimport import Person, PlannedCommit, fast_import
from vending.trunk.files import write_tree
from vending.trunk.layout import ALWAYS_CHECKED_OUT, FILES_ONLY
from vending.trunk.safe_read import damaged

__all__ = ["Person", "PlannedCommit", "PushResult", "TrunkClone", "clone_branch", "git_reason", "init_repository"]

QUIET_MAINTENANCE = (("gc.auto", "0"), ("maintenance.auto", "false"))
REJECTION_WORDS = (
    "[rejected]",
    "non-fast-forward",
    "fetch first",
    "[remote rejected]",
    "pre-receive hook declined",
    "cannot lock ref",
)
DIRTY_WORKING_TREE = ("Working directory has", "Could not update working tree")
"""What a working tree with ``receive.denyCurrentBranch updateInstead`` answers when its files are not clean:
no retry changes that, a person has to look."""
PUSH_LOCK_NAME = "vending-push-lock"
PUSH_LOCK_WAIT = 120.0
"""Seconds a push waits for another vending run's push into the same working tree before giving up (exit 5)."""


FILTERING_UPLOAD_PACK = "git -c uploadpack.allowFilter=true upload-pack"
"""The upload-pack a ``file://`` clone asks for: git's own, allowed to filter blobs out of a partial clone."""
NOT_A_FOLDER = re.compile(r"fatal: '([^']+)' is not a directory")
"""What ``git sparse-checkout set --cone`` answers when a commit put a file or a symlink where a folder is."""
_SCP_LIKE = re.compile(r"^[^/:]{2,}:")
"""``host:path`` or ``user@host:path`` (two characters at least, so that ``C:`` stays a drive)."""


class PushResult(Enum):
    PUSHED = "pushed"
    REJECTED = "rejected"


def git_reason(exc: GitCommandError, fallback: str = "git failed") -> str:
    """The line of git's stderr that says what went wrong: the first ``fatal:``/``error:``, else the first."""
    lines = [line.strip().removeprefix("stderr: ").strip(" '") for line in str(exc.stderr or exc).splitlines()]
    lines = [line for line in lines if line]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return redact((fatal or lines or [fallback])[0])


def unreachable(location: str, exc: GitCommandError) -> TrunkError:
    shown = redact(location)
    finding = Finding(shown, "", f"trunk is unreachable: git: {git_reason(exc)}")
    return TrunkError(f"trunk {shown} is unreachable", [finding])


class TrunkClone:
    """A private clone of one branch of the trunk, the only writer of its working tree."""

    def __init__(self, repo: Repo, location: str, branch: str) -> None:
        self.repo = repo
        self.location = location
        self.branch = branch

    @property
    def root(self) -> Path:
        return Path(str(self.repo.working_tree_dir))

    def tip(self) -> str:
        return str(self.repo.head.commit.hexsha)

    def focus(self, directories: Sequence[str], own_files_of: Sequence[str] = ()) -> None:
        """Check out only the root's files, ``directories`` whole, and the files (not subdirectories) of their
        parents and of ``own_files_of``: a cone-mode sparse checkout, so that a trunk of thousands of
        subscriptions costs what one does."""
        files_only = [f"{path}/{FILES_ONLY}" for path in own_files_of]
        try:
            self._git("sparse-checkout", "set", "--cone", *ALWAYS_CHECKED_OUT, *sorted({*directories, *files_only}))
        except GitCommandError as exc:
            found = NOT_A_FOLDER.search(str(exc.stderr))
            if found is None:
                raise
            raise damaged(found.group(1), "a file or a symlink where a folder belongs") from exc

    def refresh(self) -> str:
        """Move to the remote's newest commit, dropping local commits that were never pushed and untracked
        files (the work directory's lock is outside the clone)."""
        self._git(
            "fetch", "--quiet", "--depth", "1", "origin", f"+refs/heads/{self.branch}:refs/remotes/origin/{self.branch}"
        )
        self._git("reset", "--quiet", "--hard", f"origin/{self.branch}")
        self._git("clean", "--quiet", "-fdx")
        return self.tip()

    def commit_series(self, commits: Iterable[PlannedCommit]) -> list[str]:
        """Make ``commits`` on top of HEAD in order (one ``git fast-import``) and move the branch to the last.
        Returns the commit ids. ``commits`` may be a generator: each commit is spooled as it comes, and
        dropped. The working tree and index stay at the old tip (planning reads the planned files, not the
        disk; :meth:`refresh` resets both before another round)."""
        base = self.tip()
        shas = fast_import(self.root, Path(str(self.repo.git_dir)), commits, base, self.location)
        if shas:
            self._git("update-ref", "HEAD", shas[-1], base)
        return shas

    def push(self) -> PushResult:
        """Push HEAD to the branch (fast-forward only). Rejections are for the caller to retry. Pushes into a
        working tree are taken one at a time (:func:`push_turn`)."""
        try:
            with push_turn(self.location):
                self._git("push", "--quiet", "--porcelain", "origin", f"HEAD:refs/heads/{self.branch}")
        except GitCommandError as exc:
            text = f"{exc.stdout}\n{exc.stderr}"
            if "checked out" in text or "denyCurrentBranch" in text:
                raise self._refuses_checked_out_branch() from exc
            if any(word in text for word in DIRTY_WORKING_TREE):
                raise self._dirty_working_tree() from exc
            if any(word in text for word in REJECTION_WORDS):
                return PushResult.REJECTED
            raise unreachable(self.location, exc) from exc
        return PushResult.PUSHED

    def _dirty_working_tree(self) -> TrunkError:
        shown = redact(self.location)
        message = (
            f"the trunk's working tree has changes that are not committed, so it refuses every push to "
            f"{self.branch!r}; look at them with 'git -C {shown} status', then commit or discard them"
        )
        return TrunkError(f"trunk {shown} has uncommitted changes", [Finding(shown, "", message)])

    def _refuses_checked_out_branch(self) -> TrunkError:
        message = (
            f"the trunk is a working tree with {self.branch!r} checked out and refuses pushes to it; push to a "
            "bare clone, or allow it with 'git config receive.denyCurrentBranch updateInstead' in the trunk "
            "(vending init sets this)"
        )
        shown = redact(self.location)
        return TrunkError(f"trunk {shown} refuses pushes to its checked-out branch", [Finding(shown, "", message)])

    def changed_files(self, base: str) -> list[str]:
        return [p for p in self._git("diff", "--no-renames", "--name-only", "-z", base, "HEAD").split("\0") if p]

    def diff(self, base: str) -> str:
        """What the commits since ``base`` change: a stat and the patch."""
        return self._git("diff", "--stat", "-p", base, "HEAD")

    def quiet_maintenance(self) -> None:
        """No automatic gc or maintenance in a private clone: nothing left running, or locked, after a run."""
        for key, value in QUIET_MAINTENANCE:
            self.repo.git.config(key, value)

    def checkout(self) -> None:
        self._git("checkout", "--quiet", self.branch)

    def _git(self, *args: str) -> str:
        return str(self.repo.git.execute(["git", *args]))


@contextmanager
def push_turn(location: str) -> Iterator[None]:
    """This process's turn to push into the working tree at ``location``: an exclusive ``flock`` in its git
    directory, waited for at most :data:`PUSH_LOCK_WAIT` seconds. Git updates a checked-out branch's files
    before its ref, so two pushes at once into a working tree can leave one's files staged under the other's
    commit, and every later push refused. Pushes to anything else (a bare repository, a URL) need no turn."""
    git_dir = Path(location) / ".git"
    if not is_local_path(location) or not git_dir.is_dir():
        yield
        return
    try:
        fd = os.open(git_dir / PUSH_LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError as exc:
        raise _no_turn(location, f"cannot open {git_dir / PUSH_LOCK_NAME}: {exc.strerror}") from exc
    try:
        _wait_for_turn(fd, location)
        yield
    finally:
        os.close(fd)


def _wait_for_turn(fd: int, location: str) -> None:
    deadline = time.monotonic() + PUSH_LOCK_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise _no_turn(location, f"another run kept pushing into it for {PUSH_LOCK_WAIT:g} seconds") from None
            time.sleep(0.02)


def _no_turn(location: str, reason: str) -> TrunkError:
    shown = redact(location)
    message = f"cannot take a turn to push into the trunk's working tree: {reason}; nothing was pushed, run again later"
    return TrunkError(f"trunk {shown} is busy", [Finding(shown, "", message)])


def clone_branch(location: str, branch: str, target: Path, *, sparse: bool) -> Repo:
    """Clone ``branch`` of ``location`` at depth 1 into ``target``; with ``sparse``, check nothing out yet
    (the caller focuses the clone). Raises ``GitCommandError``: each caller words its own failure.

    From a URL the clone is partial (``--filter=blob:none``): file contents arrive only for the paths
    checked out. A server that refuses filters sends everything instead, with a warning and no error. A
    local path is cloned by hard-linking its objects, where git ignores filters and costs nothing anyway;
    a ``file://`` URL gets an upload-pack that allows filters, which a local repository's own
    configuration rarely does."""
    options = [] if is_local_path(location) else ["--filter=blob:none"]
    filtering_file_url = location.startswith("file://")
    if filtering_file_url:
        options.append(shlex.quote(f"--upload-pack={FILTERING_UPLOAD_PACK}"))
    repo = Repo.clone_from(
        location,
        target,
        multi_options=options,
        allow_unsafe_options=filtering_file_url,
        depth=1,
        branch=branch,
        single_branch=True,
        no_tags=True,
        no_checkout=sparse,
    )
    if filtering_file_url:
        repo.git.config("remote.origin.uploadpack", FILTERING_UPLOAD_PACK)
    return repo


def is_local_path(location: str) -> bool:
    """A path on this machine, as opposed to a URL (``scheme://``) or scp-like ``[user@]host:path``."""
    return "://" not in location and not _SCP_LIKE.match(location)


def init_repository(directory: Path, files: dict[str, str], message: str, author: Person) -> str:
    """A new repository with one commit on ``main`` holding ``files`` (also in an existing clone of an empty
    repository); returns the commit id. The commit is made like every other."""
    repo = Repo.init(directory, initial_branch="main")
    with repo:
        repo.git.execute(["git", "symbolic-ref", "HEAD", "refs/heads/main"])
        with repo.config_writer() as config:
            # A trunk made here may be used as it is: pushes to main update its (clean) working tree.
            config.set_value("receive", "denyCurrentBranch", "updateInstead")
        write_tree(directory, files)
        commit = PlannedCommit(files, message, author, author)
        (sha,) = fast_import(directory, Path(str(repo.git_dir)), [commit], None, str(directory))
        branch = repo.git.execute(["git", "symbolic-ref", "HEAD"])
        repo.git.execute(["git", "update-ref", str(branch), sha])
        repo.git.execute(["git", "reset", "--quiet"])
        return sha


def empty_clone_remotes(directory: Path) -> tuple[str, ...] | None:
    """The remote names when ``directory`` holds nothing but a fresh clone of an empty repository (a ``.git``,
    no commit, no ref), else None."""
    if not directory.is_dir() or [entry.name for entry in directory.iterdir()] != [".git"]:
        return None
    try:
        repo = Repo(directory)
    except (InvalidGitRepositoryError, NoSuchPathError):
        return None
    with repo:
        if repo.bare or repo.head.is_valid() or list(repo.refs):
            return None
        return tuple(sorted(remote.name for remote in repo.remotes))


def publish_bare(source: Path, target: Path) -> None:
    """A bare copy of the repository at ``source``, as a remote to push to."""
    Repo.clone_from(str(source), target, bare=True).close()


def history_with_trailers(location: str, target: Path) -> str:
    """Clone ``location`` into ``target`` and return its log: short id and subject, then the trailers."""
    with Repo.clone_from(location, target) as repo:
        return str(repo.git.execute(["git", "log", "--format=%h %s%n%(trailers:only,unfold)"]))

"""The git adapter for writing to a trunk: a private clone, commits with trailers, pushes that never force."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from git import GitCommandError, Repo
from git.exc import GitError

from vending.errors import Finding, TrunkError
from vending.trunk.layout import ALWAYS_CHECKED_OUT, FILES_ONLY

WORKDIR_PREFIX = "vending-submit-"
LOCK_NAME = ".vending-lock"
QUIET_MAINTENANCE = (("gc.auto", "0"), ("maintenance.auto", "false"))


class PushResult(Enum):
    PUSHED = "pushed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Person:
    name: str
    email: str


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
        self._git("sparse-checkout", "set", "--cone", *ALWAYS_CHECKED_OUT, *sorted({*directories, *files_only}))

    def refresh(self) -> str:
        """Move to the remote's newest commit, dropping local commits that were never pushed."""
        self._git(
            "fetch", "--quiet", "--depth", "1", "origin", f"+refs/heads/{self.branch}:refs/remotes/origin/{self.branch}"
        )
        self._git("reset", "--quiet", "--hard", f"origin/{self.branch}")
        self._git("clean", "--quiet", "-fdx", "-e", LOCK_NAME)
        return self.tip()

    def commit(self, paths: Sequence[str], message: str, author: Person, committer: Person) -> str | None:
        """Stage ``paths`` (additions, changes, deletions) and commit; None when nothing changed."""
        self._git("add", "--all", "--sparse", "--", *paths)
        staged = self._git("diff", "--cached", "--name-only", "-z").split("\0")
        staged = [path for path in staged if path]
        if not staged:
            return None
        outside = sorted(set(staged) - set(_expand(paths, staged)))
        if outside:
            self._git("reset", "--quiet", "--hard", "HEAD")
            raise TrunkError(
                "refusing to commit unexpected paths", [Finding(p, "", "staged but not rendered") for p in outside]
            )
        env = {
            "GIT_COMMITTER_NAME": committer.name,
            "GIT_COMMITTER_EMAIL": committer.email,
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
        }
        message_file = Path(str(self.repo.git_dir)) / "VENDING_COMMIT_MSG"
        message_file.write_text(message, encoding="utf-8")
        try:
            self.repo.git.execute(
                [
                    "git",
                    "commit",
                    "--quiet",
                    "--no-verify",
                    "--no-gpg-sign",
                    "--cleanup=strip",
                    "-F",
                    str(message_file),
                ],
                env=env,
            )
        finally:
            message_file.unlink(missing_ok=True)
        return self.tip()

    def commit_series(self, commits: Sequence[PlannedCommit]) -> list[str]:
        """Make ``commits`` on top of HEAD, in order, with one ``git fast-import`` for all of them, and move the
        branch to the last. The working tree must already hold their files. Returns the commit ids."""
        if not commits:
            return []
        base = self.tip()
        marks = Path(str(self.repo.git_dir)) / "vending-marks"
        stream = _fast_import_stream(commits, base, int(time.time()))
        result = subprocess.run(
            ["git", "fast-import", "--quiet", "--done", f"--export-marks={marks}"],
            input=stream,
            cwd=self.root,
            capture_output=True,
            check=False,
        )
        try:
            if result.returncode != 0:
                raise TrunkError(
                    "git fast-import failed",
                    [Finding(self.location, "", result.stderr.decode("utf-8", "replace").strip()[-300:])],
                )
            ids = dict(line.split(" ", 1) for line in marks.read_text(encoding="ascii").split("\n") if line)
        finally:
            marks.unlink(missing_ok=True)
            self._git("update-ref", "-d", WORK_REF)
        shas = [ids[f":{index}"].strip() for index in range(1, len(commits) + 1)]
        self._git("update-ref", "HEAD", shas[-1], base)
        return shas

    def push(self) -> PushResult:
        """Push HEAD to the branch (fast-forward only). Rejections are for the caller to retry."""
        try:
            self._git("push", "--quiet", "--porcelain", "origin", f"HEAD:refs/heads/{self.branch}")
        except GitCommandError as exc:
            text = f"{exc.stdout}\n{exc.stderr}"
            if "checked out" in text or "denyCurrentBranch" in text:
                raise TrunkError(
                    f"trunk {self.location} refuses pushes to its checked-out branch",
                    [
                        Finding(
                            self.location,
                            "",
                            f"the trunk is a working tree with {self.branch!r} checked out and refuses "
                            "pushes to it; push to a bare clone, or allow it with "
                            "'git config receive.denyCurrentBranch updateInstead' in the trunk "
                            "(vending init sets this)",
                        )
                    ],
                ) from exc
            if any(
                word in text
                for word in (
                    "[rejected]",
                    "non-fast-forward",
                    "fetch first",
                    "[remote rejected]",
                    "pre-receive hook declined",
                    "cannot lock ref",
                )
            ):
                return PushResult.REJECTED
            raise _unreachable(self.location, exc) from exc
        return PushResult.PUSHED

    def changed_files(self, base: str) -> list[str]:
        return [p for p in self._git("diff", "--name-only", "-z", base, "HEAD").split("\0") if p]

    def _git(self, *args: str) -> str:
        return str(self.repo.git.execute(["git", *args]))


WORK_REF = "refs/vending/work"
_PLAIN_PATH = re.compile(r"^[A-Za-z0-9._/-]+$")


@dataclass(frozen=True)
class PlannedCommit:
    """One commit to make: the files it writes (``None`` deletes) and who made it, why."""

    files: Mapping[str, str | None]
    message: str
    author: Person
    committer: Person


def _ident(person: Person, stamp: int) -> bytes:
    name = re.sub(r"[<>\n\r]", "", person.name).strip() or "vending"
    email = re.sub(r"[<>\s]", "", person.email)
    return f"{name} <{email}> {stamp} +0000".encode()


def _fast_import_stream(commits: Sequence[PlannedCommit], base: str, stamp: int) -> bytes:
    out = bytearray()
    for index, commit in enumerate(commits, start=1):
        message = commit.message.encode()
        out += f"commit {WORK_REF}\nmark :{index}\n".encode()
        out += b"author " + _ident(commit.author, stamp) + b"\ncommitter " + _ident(commit.committer, stamp) + b"\n"
        out += f"data {len(message)}\n".encode() + message + b"\n"
        if index == 1:
            out += f"from {base}\n".encode()
        for path, text in sorted(commit.files.items()):
            if not _PLAIN_PATH.fullmatch(path) or ".." in path.split("/"):
                raise TrunkError("refusing an unusual path", [Finding(path, "", "not a plain repository path")])
            if text is None:
                out += f"D {path}\n".encode()
                continue
            data = text.encode()
            out += f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"
    return bytes(out + b"done\n")


def _expand(paths: Sequence[str], staged: Sequence[str]) -> list[str]:
    """The staged paths that fall under one of ``paths`` (files or directories)."""
    prefixes = tuple(p.rstrip("/") + "/" for p in paths)
    exact = set(paths)
    return [s for s in staged if s in exact or s.startswith(prefixes)]


def _unreachable(location: str, exc: GitCommandError) -> TrunkError:
    lines = [line.strip().removeprefix("stderr: ").strip(" '") for line in str(exc.stderr or exc).splitlines()]
    lines = [line for line in lines if line]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    reason = (fatal or lines or ["git failed"])[0]
    finding = Finding(location, "", f"trunk is unreachable: git: {reason}")
    return TrunkError(f"trunk {location} is unreachable", [finding])


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
        lock = candidate / LOCK_NAME
        if not lock.is_file():
            continue
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        shutil.rmtree(candidate, ignore_errors=True)
        os.close(fd)
        removed += 1
    return removed


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
        yield TrunkClone(_clone(location, branch, directory / "trunk"), location, branch)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        os.close(fd)


def _clone(location: str, branch: str, target: Path) -> Repo:
    try:
        repo = Repo.clone_from(
            location, target, depth=1, branch=branch, single_branch=True, no_tags=True, no_checkout=True
        )
    except GitCommandError as exc:
        raise _unreachable(location, exc) from exc
    _quiet_maintenance(repo)
    TrunkClone(repo, location, branch).focus([])
    repo.git.execute(["git", "checkout", "--quiet", branch])
    return repo


def _quiet_maintenance(repo: Repo) -> None:
    """No automatic gc or maintenance in a private clone: nothing left running, or locked, after a run."""
    for key, value in QUIET_MAINTENANCE:
        repo.git.config(key, value)


def _reuse_workdir(location: str, branch: str, workdir: Path) -> TrunkClone:
    """A cached clone (its work directory locked by the caller), validated before reuse: same remote, no
    stale git locks, reset to the remote. A clone that cannot be brought up to date is replaced."""
    target = workdir / "trunk"
    repo = _valid_cached_repo(target, location)
    if repo is not None:
        clone = TrunkClone(repo, location, branch)
        try:
            _quiet_maintenance(repo)
            clone.focus([])
            clone.refresh()
            return clone
        except GitError:
            pass
    shutil.rmtree(target, ignore_errors=True)
    return TrunkClone(_clone(location, branch, target), location, branch)


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


def jittered_backoff(attempt: int, base: float = 0.05, cap: float = 2.0) -> float:
    """Full-jitter exponential backoff in seconds."""
    import random

    return random.uniform(0, min(cap, base * (2**attempt)))


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def environment_author(env: Mapping[str, str]) -> Person | None:
    """The person behind a pipeline run, from the CI host's variables."""
    if env.get("GITHUB_ACTIONS") == "true" and env.get("GITHUB_ACTOR"):
        actor = env["GITHUB_ACTOR"]
        actor_id = env.get("GITHUB_ACTOR_ID")
        email = f"{actor_id}+{actor}@users.noreply.github.com" if actor_id else f"{actor}@users.noreply.github.com"
        return Person(actor, email)
    if env.get("TF_BUILD", "").lower() == "true" and env.get("BUILD_REQUESTEDFOR"):
        email = env.get("BUILD_REQUESTEDFOREMAIL") or "azure-devops@users.noreply.local"
        return Person(env["BUILD_REQUESTEDFOR"], email)
    return None

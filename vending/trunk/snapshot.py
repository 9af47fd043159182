"""A few files of a trunk's tip, read straight from git objects: no checkout, and from a URL only the blobs
asked for. ``vending list`` and ``vending show`` read every subscription's small files this way: a clone of
a 10,000-subscription trunk would check out 50,000 files to read 20,000.

Symlinks are listed, never read: the caller decides where one is damage.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from git import GitCommandError, InvalidGitRepositoryError, NoSuchPathError, Repo

from vending.errors import Finding, InputError
from vending.reporting.redact import redact
from vending.trunk.layout import CONFIG_FILE
from vending.trunk.repository import FILTERING_UPLOAD_PACK, is_local_path, unreachable

SYMLINK_MODE = "120000"
Wanted = Callable[[str], bool]


@dataclass(frozen=True)
class Tip:
    """The wanted files of a branch's tip, and every symlink committed in it (never read)."""

    contents: Mapping[str, bytes]
    symlinks: frozenset[str]


def read_tip(location: str, branch: str, wanted: Wanted, scratch: Path) -> Tip:
    """The contents of the files at the tip of ``branch`` for which ``wanted(path)`` holds. A local
    repository is read in place; a URL is cloned into ``scratch`` without file contents, and the wanted ones
    are fetched in one batch."""
    try:
        repo = _open(location, branch, scratch)
    except GitCommandError as exc:
        raise unreachable(location, exc) from exc
    with repo:
        tip = branch if is_local_path(location) else "HEAD"
        entries, symlinks = _wanted_blobs(repo, tip, wanted)
        if not is_local_path(location) and entries:
            _prefetch(repo, location, entries.values())
        return Tip(_contents(repo, entries), frozenset(symlinks))


def _open(location: str, branch: str, scratch: Path) -> Repo:
    if is_local_path(location):
        try:
            return Repo(location)
        except InvalidGitRepositoryError as exc:
            message = f"has no {CONFIG_FILE} and is no git repository: give a trunk's working tree, a bare one or a URL"
            raise InputError("not a trunk", [Finding(redact(location), "", message)]) from exc
        except NoSuchPathError as exc:
            raise GitCommandError(["git", "-C", location], 128, f"fatal: no such directory: {location}") from exc
    options = ["--filter=blob:none"]
    file_url = location.startswith("file://")
    if file_url:
        options.append(shlex.quote(f"--upload-pack={FILTERING_UPLOAD_PACK}"))
    repo = Repo.clone_from(
        location,
        scratch,
        multi_options=options,
        allow_unsafe_options=file_url,
        bare=True,
        depth=1,
        branch=branch,
        single_branch=True,
        no_tags=True,
    )
    if file_url:
        repo.git.config("remote.origin.uploadpack", FILTERING_UPLOAD_PACK)
    return repo


def _wanted_blobs(repo: Repo, tip: str, wanted: Wanted) -> tuple[dict[str, str], list[str]]:
    listing = str(repo.git.execute(["git", "ls-tree", "-r", "-z", "--full-tree", tip]))
    blobs: dict[str, str] = {}
    symlinks: list[str] = []
    for record in listing.split("\0"):
        if not record:
            continue
        meta, path = record.split("\t", 1)
        mode, kind, oid = meta.split()
        if mode == SYMLINK_MODE:
            symlinks.append(path)
        elif kind == "blob" and wanted(path):
            blobs[path] = oid
    return blobs, symlinks


def _prefetch(repo: Repo, location: str, oids: Iterable[str]) -> None:
    """Fetch the missing blobs in one round trip, as git's own partial-clone prefetch does."""
    wanted = "".join(f"{oid}\n" for oid in sorted(set(oids))).encode()
    command = ["git", "-c", "fetch.negotiationAlgorithm=noop", "fetch", "--quiet", "--no-tags"]
    command += ["--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin", "origin"]
    done = subprocess.run(command, cwd=repo.git_dir, input=wanted, capture_output=True, check=False)
    if done.returncode != 0:
        raise unreachable(location, GitCommandError(command, done.returncode, done.stderr.decode(errors="replace")))


def _contents(repo: Repo, entries: dict[str, str]) -> dict[str, bytes]:
    """The blobs' contents, by path, through one ``git cat-file --batch``."""
    if not entries:
        return {}
    order = list(entries.items())
    stdin = "".join(f"{oid}\n" for _, oid in order).encode()
    done = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=repo.git_dir, input=stdin, capture_output=True, check=True
    )
    out = done.stdout
    contents: dict[str, bytes] = {}
    offset = 0
    for path, _ in order:
        header_end = out.index(b"\n", offset)
        size = int(out[offset:header_end].split()[2])
        start = header_end + 1
        contents[path] = out[start : start + size]
        offset = start + size + 1
    return contents

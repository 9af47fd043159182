"""Crash safety: ``kill -9`` at random points leaves the remote unchanged or with complete commits, a re-run
finishes the job, cached work directories stay usable and abandoned temporary ones are swept."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from testing.cli import cli_argv
from testing.environment import clean_environment
from trunk_support import (
    DEV,
    checkout,
    commits,
    git,
    network,
    submit_args,
    tip,
    trailer_map,
    vend,
    write_request,
)

from vending.trunk.workdir import LOCK_NAME, WORKDIR_PREFIX, private_clone, sweep_abandoned

BATCH = 8


def _batch(directory: Path) -> list[Path]:
    return [write_request(directory, f"team-{i}", network=network(i)) for i in range(BATCH)]


def _start(remote: Path, requests: list[Path], temp: Path, workdir: Path | None) -> subprocess.Popen[bytes]:
    extra = ["--workdir", str(workdir)] if workdir else []
    argv = cli_argv(*submit_args(remote, *requests), *extra)
    return subprocess.Popen(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=clean_environment({"TMPDIR": str(temp)}),
    )


def _kill_after(process: subprocess.Popen[bytes], delay: float) -> None:
    """``kill -9`` the submit and whatever git it was running."""
    time.sleep(delay)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _assert_complete(remote: Path, verify: Path, known: set[str]) -> None:
    """Every commit not yet verified is a whole vend: ``check`` is clean at that revision."""
    git(verify, "fetch", "--quiet", "origin")
    for commit in commits(remote):
        if commit in known:
            continue
        git(verify, "checkout", "--quiet", "--force", commit)
        run = vend("check", "--trunk", verify)
        assert run.code == 0, f"incomplete commit {commit}: {run.stderr}"
        known.add(commit)


@pytest.mark.slow
def test_kill_at_random_points_then_rerun_converges(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    rounds, per_round = 6, 4
    requests = [write_request(requests_dir, f"team-{i}", network=network(i)) for i in range(rounds * per_round)]
    temp, workdir = tmp_path / "tmp", tmp_path / "work"
    temp.mkdir()
    verify = checkout(remote, tmp_path / "verify")
    known = {tip(remote)}
    chance = random.Random(20261126)
    for round_number in range(rounds):
        cached = workdir if round_number % 2 == 0 else None
        batch = requests[: (round_number + 1) * per_round]
        _kill_after(_start(remote, batch, temp, cached), chance.uniform(0.2, 1.6))
        _assert_complete(remote, verify, known)
    run = vend("--output", "json", *submit_args(remote, *requests), "--workdir", workdir)
    assert run.code == 0, run.stderr
    assert {result["status"] for result in run.json()["results"]} <= {"committed", "unchanged"}
    _assert_complete(remote, verify, known)
    names = Counter(trailer_map(remote, commit).get("Vending-Request") for commit in commits(remote)[1:])
    assert names == Counter(f"team-{i}" for i in range(rounds * per_round))
    assert vend("check", "--trunk", remote).code == 0
    assert list((workdir / "trunk" / ".git").rglob("*.lock")) == []
    again = vend("--output", "json", *submit_args(remote, *requests), "--workdir", workdir)
    assert again.code == 0 and {r["status"] for r in again.json()["results"]} == {"unchanged"}


def test_killed_temporary_clones_are_swept(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    requests = _batch(requests_dir)
    process = _start(remote, requests, temp, None)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(temp.glob(f"{WORKDIR_PREFIX}*/trunk/.git")):
        time.sleep(0.01)
    _kill_after(process, 0.05)
    left = list(temp.glob(f"{WORKDIR_PREFIX}*"))
    assert len(left) == 1, "the killed run leaves its work directory behind"
    assert _start(remote, requests, temp, None).wait(timeout=60) == 0
    assert list(temp.iterdir()) == []


def test_sweep_spares_work_directories_in_use(remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    abandoned = tmp_path / f"{WORKDIR_PREFIX}dead"
    (abandoned / "trunk").mkdir(parents=True)
    (abandoned / LOCK_NAME).write_text("")
    unrelated = tmp_path / "someone-else"
    unrelated.mkdir()
    with private_clone(str(remote), "main") as clone:
        assert not abandoned.exists()
        live = clone.root.parent
        assert live.name.startswith(WORKDIR_PREFIX)
        assert sweep_abandoned(tmp_path) == 0
        assert live.is_dir()
    assert not live.exists()
    assert unrelated.is_dir()


@pytest.mark.parametrize(
    "lock",
    [
        "index.lock",
        "HEAD.lock",
        "refs/heads/main.lock",
        "refs/remotes/origin/main.lock",
        "shallow.lock",
        "config.lock",
        "packed-refs.lock",
    ],
)
def test_stale_git_locks_in_a_workdir_are_cleared(remote: Path, requests_dir: Path, tmp_path: Path, lock: str) -> None:
    workdir = tmp_path / "work"
    assert vend(*submit_args(remote, write_request(requests_dir, "team-a")), "--workdir", workdir).code == 0
    stale = workdir / "trunk" / ".git" / lock
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("")
    run = vend(*submit_args(remote, write_request(requests_dir, "team-b")), "--workdir", workdir)
    assert run.code == 0, run.stderr
    assert not stale.exists()
    assert len(commits(remote)) == 3


def test_workdir_with_unpushed_commits_is_reset_to_the_remote(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    assert vend(*submit_args(remote, write_request(requests_dir, "team-a")), "--workdir", workdir).code == 0
    trunk = workdir / "trunk"
    (trunk / "subscriptions" / "dev" / "junk.txt").write_text("left by a killed run\n")
    git(trunk, "add", "-A")
    git(trunk, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "--quiet", "-m", "never pushed")
    (trunk / "untracked.txt").write_text("x\n")
    run = vend(*submit_args(remote, write_request(requests_dir, "team-b")), "--workdir", workdir)
    assert run.code == 0, run.stderr
    assert len(commits(remote)) == 3
    assert "junk.txt" not in git(remote, "ls-tree", "-r", "--name-only", "main")
    assert vend("check", "--trunk", remote).code == 0


def test_workdir_of_another_trunk_is_recloned(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    (workdir / "trunk").mkdir(parents=True)
    git(workdir / "trunk", "init", "--quiet")
    git(workdir / "trunk", "remote", "add", "origin", str(tmp_path / "elsewhere.git"))
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")), "--workdir", workdir)
    assert run.code == 0, run.stderr
    assert git(workdir / "trunk", "remote", "get-url", "origin").strip() == str(remote)


@pytest.mark.parametrize("damage", ["half-cloned", "garbage-head", "no-objects", "sparse-lock"])
def test_damaged_workdir_is_repaired_or_recloned(remote: Path, requests_dir: Path, tmp_path: Path, damage: str) -> None:
    workdir = tmp_path / "work"
    trunk = workdir / "trunk"
    if damage == "half-cloned":
        trunk.mkdir(parents=True)
        git(trunk, "init", "--quiet")
        git(trunk, "remote", "add", "origin", str(remote))
    else:
        assert vend(*submit_args(remote, write_request(requests_dir, "team-0")), "--workdir", workdir).code == 0
        if damage == "garbage-head":
            (trunk / ".git" / "HEAD").write_text("garbage\n")
        elif damage == "no-objects":
            shutil.rmtree(trunk / ".git" / "objects")
            (trunk / ".git" / "objects").mkdir()
        else:
            (trunk / ".git" / "info" / "sparse-checkout.lock").write_text("")
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")), "--workdir", workdir)
    assert run.code == 0, run.stderr
    assert "subscriptions/dev/team-a/main.tf" in git(remote, "ls-tree", "-r", "--name-only", "main")
    assert vend("check", "--trunk", remote).code == 0


def test_workdir_reused_twice_in_one_process(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    for name in ("team-a", "team-b"):
        assert vend(*submit_args(remote, write_request(requests_dir, name)), "--workdir", workdir).code == 0
    assert len(commits(remote)) == 3


def test_kill_between_commit_and_push_leaves_the_remote_unchanged(
    remote: Path, requests_dir: Path, tmp_path: Path
) -> None:
    head = tip(remote)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nsleep 30\n")
    hook.chmod(0o755)
    process = _start(remote, _batch(requests_dir), tmp_path, tmp_path / "work")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not _pushing(tmp_path / "work"):
        time.sleep(0.05)
    _kill_after(process, 0.2)
    assert tip(remote) == head
    hook.unlink()
    run = vend(*submit_args(remote, *_batch(requests_dir), identity=DEV), "--workdir", tmp_path / "work")
    assert run.code == 0, run.stderr
    assert len(commits(remote)) == 1 + BATCH


def _pushing(workdir: Path) -> bool:
    trunk = workdir / "trunk"
    if not (trunk / ".git").is_dir():
        return False
    log = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=trunk, capture_output=True, text=True, check=False
    ).stdout.strip()
    return log.isdigit() and int(log) > BATCH

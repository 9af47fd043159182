"""Injected push failures: unreachable remotes, remotes that vanish mid-run, pre-receive hooks that reject."""

from __future__ import annotations

import random
import shutil
import socket
from pathlib import Path

import pytest
from trunk_support import (
    commits,
    git,
    submit_args,
    tip,
    vend,
    write_request,
)

from vending.trunk import landing
from vending.trunk.repository import PushResult, TrunkClone

REJECTING_HOOK = """#!{python}
import random, sys
from pathlib import Path
counter = Path({counter!r})
count = int(counter.read_text()) if counter.exists() else 0
counter.write_text(str(count + 1))
rejects = random.Random({seed} * 1000 + count).random() < {rate}
log = Path({log!r})
log.write_text(log.read_text() + ("R" if rejects else "A") if log.exists() else ("R" if rejects else "A"))
if rejects:
    print("injected rejection", file=sys.stderr)
sys.exit(1 if rejects else 0)
"""


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff delays the retry loop asked for (not slept, to keep the test quick)."""
    asked: list[float] = []
    monkeypatch.setattr(landing, "sleep", asked.append)
    return asked


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _install_hook(remote: Path, tmp_path: Path, rate: float, seed: int = 1) -> Path:
    log = tmp_path / "pushes.log"
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(
        REJECTING_HOOK.format(
            python=shutil.which("python3") or "/usr/bin/python3",
            counter=str(tmp_path / "count"),
            seed=seed,
            rate=rate,
            log=str(log),
        )
    )
    hook.chmod(0o755)
    return log


def _rejects(seed: int, count: int) -> bool:
    """Whether the hook rejects push number ``count`` (as the hook computes it)."""
    return random.Random(seed * 1000 + count).random() < 0.5


@pytest.mark.parametrize("location", ["missing", "http", "git"])
def test_unreachable_remote_exits_5(tmp_path: Path, requests_dir: Path, location: str) -> None:
    port = _closed_port()
    url = {
        "missing": str(tmp_path / "does-not-exist.git"),
        "http": f"http://127.0.0.1:{port}/trunk.git",
        "git": f"git://127.0.0.1:{port}/trunk.git",
    }[location]
    run = vend("--output", "json", *submit_args(url, write_request(requests_dir, "team-a")))
    assert run.code == 5
    document = run.json()
    [result] = document["results"]
    assert result["status"] == "rejected" and result["commit"] is None
    assert any("unreachable" in error["message"] for error in result["errors"])
    assert result["file"].endswith("team-a.yaml")
    assert document["attempts"] == 1, "the clone was the first attempt, and it failed"


def test_remote_vanishing_before_the_push_exits_5(
    remote: Path, requests_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = tip(remote)
    moved = tmp_path / "moved.git"
    real_push = TrunkClone.push

    def vanish_then_push(self: TrunkClone) -> PushResult:
        remote.rename(moved)
        return real_push(self)

    monkeypatch.setattr(TrunkClone, "push", vanish_then_push)
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")))
    assert run.code == 5
    assert "does not appear to be a git repository" in run.stderr
    assert git(moved, "rev-parse", "main").strip() == head


def test_random_rejections_are_retried_until_accepted(
    remote: Path, requests_dir: Path, tmp_path: Path, sleeps: list[float]
) -> None:
    seed = next(seed for seed in range(100) if _rejects(seed, 0) and _rejects(seed, 1))
    log = _install_hook(remote, tmp_path, rate=0.5, seed=seed)
    start = commits(remote)
    requests = [write_request(requests_dir, f"team-{i}") for i in range(3)]
    run = vend("--output", "json", *submit_args(remote, *requests))
    assert run.code == 0, run.stderr
    document = run.json()
    pushes = log.read_text()
    assert pushes.endswith("A") and pushes.count("A") == 1
    assert document["attempts"] == len(pushes) > 1
    assert len(sleeps) == pushes.count("R")
    assert all(0 <= delay <= 32.0 for delay in sleeps)
    landed = commits(remote)[len(start) :]
    assert [r["commit"] for r in document["results"]] == landed and len(landed) == 3
    assert vend("check", "--trunk", remote).code == 0


@pytest.mark.parametrize("seed", range(4))
def test_random_rejections_converge(
    remote: Path, requests_dir: Path, tmp_path: Path, sleeps: list[float], seed: int
) -> None:
    _install_hook(remote, tmp_path, rate=0.5, seed=seed)
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")))
    assert run.code == 0
    assert len(commits(remote)) == 2


def test_always_rejecting_hook_exits_5_and_pushes_nothing(
    remote: Path, requests_dir: Path, tmp_path: Path, sleeps: list[float]
) -> None:
    log = _install_hook(remote, tmp_path, rate=1.0)
    head = tip(remote)
    run = vend(
        "--output",
        "json",
        *submit_args(remote, write_request(requests_dir, "team-a"), write_request(requests_dir, "team-b")),
    )
    assert run.code == 5
    results = run.json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert all(any("30 attempts" in e["message"] for e in r["errors"]) for r in results)
    assert log.read_text() == "R" * 30
    assert run.json()["attempts"] == 30
    assert len(sleeps) == 29, "no wait after the last attempt"
    assert tip(remote) == head
    assert commits(remote) == [head]
    assert git(remote, "rev-list", "--all").split() == [head]


def test_backoff_window_follows_the_round_time_and_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(landing.random, "uniform", lambda low, high: high)
    assert landing.jittered_backoff(0, 0.001) == 0.05
    assert landing.jittered_backoff(3, 0.2) == pytest.approx(1.6)
    assert landing.jittered_backoff(5, 0.5) == 16.0
    assert landing.jittered_backoff(29, 0.5) == 16.0
    assert landing.jittered_backoff(29, 60.0) == 32.0


def test_a_trunk_failure_after_rejections_reports_the_real_attempts(
    remote: Path, requests_dir: Path, tmp_path: Path, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _install_hook(remote, tmp_path, rate=1.0)
    real_push = TrunkClone.push
    pushes: list[int] = []

    def vanish_on_the_third_push(self: TrunkClone) -> PushResult:
        pushes.append(1)
        if len(pushes) == 3:
            remote.rename(tmp_path / "moved.git")
        return real_push(self)

    monkeypatch.setattr(TrunkClone, "push", vanish_on_the_third_push)
    run = vend("--output", "json", *submit_args(remote, write_request(requests_dir, "team-a")))
    assert run.code == 5
    document = run.json()
    assert document["attempts"] == 3
    assert log.read_text() == "RR"
    assert document["results"][0]["status"] == "rejected"

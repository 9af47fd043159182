"""A trunk working tree made by ``vending init`` used directly as ``--trunk`` by several writers at once: pushes
into it take turns, so it never ends up with one push's files staged under another's commit."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from testing.cli import cli_argv
from testing.environment import clean_environment
from trunk_support import commits, git, network, submit_args, vend, write_request

from vending.trunk import repository

WRITERS = 4
PER_WRITER = 4


def _init(tmp_path: Path) -> Path:
    trunk = tmp_path / "trunk"
    assert vend("init", trunk).code == 0
    return trunk


def _writer(trunk: Path, requests: list[Path]) -> list[tuple[int, dict[str, object]]]:
    """One pipeline: its requests submitted one after the other, each by its own process."""
    runs = []
    for request in requests:
        argv = cli_argv("--output", "json", *submit_args(trunk, request))
        done = subprocess.run(argv, capture_output=True, text=True, env=clean_environment(), timeout=300, check=False)
        assert done.stdout, done.stderr
        runs.append((done.returncode, json.loads(done.stdout)))
    return runs


@pytest.mark.slow
def test_concurrent_writers_into_a_working_tree_all_land(tmp_path: Path) -> None:
    trunk = _init(tmp_path)
    start = commits(trunk)
    batches = [
        [
            write_request(tmp_path / f"w{w}", f"team-{w}-{r}", network=network(w * PER_WRITER + r))
            for r in range(PER_WRITER)
        ]
        for w in range(WRITERS)
    ]
    with ThreadPoolExecutor(WRITERS) as pool:
        runs = [run for writer in pool.map(lambda batch: _writer(trunk, batch), batches) for run in writer]
    assert [code for code, _ in runs] == [0] * WRITERS * PER_WRITER
    assert all(doc["results"][0]["status"] == "committed" for _, doc in runs)  # type: ignore[index]
    assert len(commits(trunk)) == len(start) + WRITERS * PER_WRITER
    assert git(trunk, "status", "--porcelain").strip() == ""
    for w in range(WRITERS):
        assert (trunk / "subscriptions" / "dev" / f"team-{w}-3" / "main.tf").is_file()
    assert vend("check", "--trunk", trunk).code == 0


def test_a_push_waits_its_turn_and_gives_up_with_exit_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trunk = _init(tmp_path)
    head = commits(trunk)
    monkeypatch.setattr(repository, "PUSH_LOCK_WAIT", 0.2)
    fd = os.open(trunk / ".git" / repository.PUSH_LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        run = vend("--output", "json", *submit_args(trunk, write_request(tmp_path / "r", "team-a")))
    finally:
        os.close(fd)
    assert run.code == 5
    document = run.json()
    [result] = document["results"]
    assert result["status"] == "rejected" and result["commit"] is None
    assert "another run kept pushing into it for 0.2 seconds" in result["errors"][0]["message"]
    assert document["attempts"] == 1
    assert commits(trunk) == head
    assert git(trunk, "status", "--porcelain").strip() == ""


def test_a_working_tree_with_staged_changes_exits_5_at_once(tmp_path: Path) -> None:
    trunk = _init(tmp_path)
    head = commits(trunk)
    (trunk / "notes.txt").write_text("work in progress\n")
    git(trunk, "add", "notes.txt")
    run = vend("--output", "json", *submit_args(trunk, write_request(tmp_path / "r", "team-a")))
    assert run.code == 5
    document = run.json()
    message = document["results"][0]["errors"][0]["message"]
    assert "has changes that are not committed" in message and f"git -C {trunk} status" in message
    assert document["attempts"] == 1
    assert commits(trunk) == head

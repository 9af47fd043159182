"""Many ``vending submit`` processes against one bare remote: everything lands once, history stays linear,
and a race for one name is won by exactly one request."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from testing.cli import cli_argv
from testing.environment import clean_environment
from trunk_support import (
    DEV,
    commits,
    exists,
    git,
    listed,
    network,
    show,
    submit_args,
    tip,
    trailer_map,
    vend,
    write_request,
)

PROCESSES = 4
PER_PROCESS = 5
BARRIER_HOOK = """#!/bin/sh
# The first push of each of two submitters waits until both have come here, so they race for real.
mkdir -p "{barrier}"
count=$(ls "{barrier}" | wc -l)
if [ "$count" -ge 2 ]; then exit 0; fi
touch "{barrier}/$$"
i=0
while [ "$(ls "{barrier}" | wc -l)" -lt 2 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
exit 0
"""


def _spawn(remote: Path, requests: list[Path], identity: str = DEV) -> subprocess.Popen[str]:
    argv = cli_argv("--output", "json", *submit_args(remote, *requests, identity=identity))
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_environment())


def _finish(process: subprocess.Popen[str]) -> tuple[int, dict[str, object]]:
    stdout, stderr = process.communicate(timeout=120)
    assert stdout, stderr
    document: dict[str, object] = json.loads(stdout)
    return process.returncode, document


@pytest.mark.slow
def test_concurrent_submitters_lose_nothing(remote: Path, requests_dir: Path) -> None:
    start = commits(remote)
    batches = [
        [
            write_request(
                requests_dir / f"p{p}",
                f"team-{p}-{r}",
                network=network(p * PER_PROCESS + r),
                displayName=f"Team {p}.{r}",
            )
            for r in range(PER_PROCESS)
        ]
        for p in range(PROCESSES)
    ]
    processes = [_spawn(remote, batch) for batch in batches]
    outcomes = [_finish(process) for process in processes]
    assert [code for code, _ in outcomes] == [0] * PROCESSES
    reported = [result for _, doc in outcomes for result in doc["results"]]  # type: ignore[attr-defined]
    assert all(result["status"] == "committed" for result in reported)
    names = {f"team-{p}-{r}" for p in range(PROCESSES) for r in range(PER_PROCESS)}
    history = commits(remote)
    assert history[: len(start)] == start
    landed = history[len(start) :]
    assert len(landed) == PROCESSES * PER_PROCESS
    assert {result["commit"] for result in reported} == set(landed)
    assert Counter(trailer_map(remote, commit)["Vending-Request"] for commit in landed) == Counter(names)
    _assert_linear(remote)
    _assert_all_present(remote, names)
    assert vend("check", "--trunk", remote).code == 0


def _assert_linear(remote: Path) -> None:
    assert git(remote, "rev-list", "--merges", "main") == ""
    parents = [line.split() for line in git(remote, "rev-list", "--parents", "main").splitlines()]
    assert all(len(line) == 2 for line in parents[:-1]) and len(parents[-1]) == 1


def _assert_all_present(remote: Path, names: set[str]) -> None:
    for name in names:
        for file in ("request.yaml", "main.tf", "terraform.yaml", "facts.json", "kustomization.yaml"):
            assert exists(remote, f"subscriptions/dev/{name}/{file}")
        assert listed(remote, name)
    listing = git(remote, "ls-tree", "--name-only", "main", "subscriptions/dev/").split()
    assert {path.rsplit("/", 1)[1] for path in listing if not path.rsplit("/", 1)[1].startswith("_")} - {
        "kustomization.yaml"
    } == names


def _install_barrier(remote: Path, tmp_path: Path) -> None:
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(BARRIER_HOOK.format(barrier=tmp_path / "barrier"))
    hook.chmod(0o755)


def test_race_for_one_name_with_different_content(remote: Path, tmp_path: Path) -> None:
    _install_barrier(remote, tmp_path)
    start = tip(remote)
    left = write_request(tmp_path / "left", "team-x", displayName="Left")
    right = write_request(tmp_path / "right", "team-x", displayName="Right")
    outcomes = [_finish(process) for process in (_spawn(remote, [left]), _spawn(remote, [right]))]
    codes = sorted(code for code, _ in outcomes)
    assert codes == [0, 2]
    winner = next(doc for code, doc in outcomes if code == 0)["results"][0]  # type: ignore[index]
    loser = next(doc for code, doc in outcomes if code == 2)["results"][0]  # type: ignore[index]
    assert winner["status"] == "committed" and loser["status"] == "rejected" and loser["commit"] is None
    assert "just created" in loser["errors"][0]["message"]
    assert [doc["attempts"] for _, doc in sorted(outcomes, key=lambda o: o[0])] == [1, 2]
    assert commits(remote)[-2:] == [start, winner["commit"]]
    wanted = "Left" if winner["file"] == str(left) else "Right"
    assert f"displayName: {wanted}" in show(remote, "subscriptions/dev/team-x/request.yaml")


def test_race_for_one_name_with_the_same_content(remote: Path, tmp_path: Path) -> None:
    _install_barrier(remote, tmp_path)
    start = tip(remote)
    left = write_request(tmp_path / "left", "team-x")
    right = write_request(tmp_path / "right", "team-x")
    outcomes = [_finish(process) for process in (_spawn(remote, [left]), _spawn(remote, [right]))]
    assert [code for code, _ in outcomes] == [0, 0]
    statuses = sorted(doc["results"][0]["status"] for _, doc in outcomes)  # type: ignore[index]
    assert statuses == ["committed", "unchanged"]
    assert len(commits(remote)) == 2 and commits(remote)[0] == start


def test_race_for_overlapping_networks(remote: Path, tmp_path: Path) -> None:
    _install_barrier(remote, tmp_path)
    left = write_request(tmp_path / "left", "team-l", network={"addressSpace": ["10.9.0.0/16"], "hubPeering": False})
    right = write_request(tmp_path / "right", "team-r", network={"addressSpace": ["10.9.8.0/24"], "hubPeering": False})
    outcomes = [_finish(process) for process in (_spawn(remote, [left]), _spawn(remote, [right]))]
    assert sorted(code for code, _ in outcomes) == [0, 2]
    loser = next(doc for code, doc in outcomes if code == 2)["results"][0]  # type: ignore[index]
    assert "overlaps" in loser["errors"][0]["message"]
    assert [doc["attempts"] for _, doc in sorted(outcomes, key=lambda o: o[0])] == [1, 2]
    assert len(commits(remote)) == 2
    assert vend("check", "--trunk", remote).code == 0

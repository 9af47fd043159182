"""Commits stream into git fast-import as they are planned: a series holds a commit or two in memory, not all."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from trunk_support import commits, exists, submit_args, vend, write_request

from vending.errors import TrunkError
from vending.trunk.repository import Person, PlannedCommit
from vending.trunk.workdir import private_clone

PEOPLE = Person("someone", "someone@example.com")


def _series(count: int, released: list[bool]) -> Iterator[PlannedCommit]:
    """``count`` commits; before making each next one, record whether every commit but the last one made
    was let go (the consumer's loop still holds the last one while it asks for the next)."""
    made: list[weakref.ref[PlannedCommit]] = []
    for index in range(count):
        gc.collect()
        released.append(all(ref() is None for ref in made[:-1]))
        commit = PlannedCommit({f"subscriptions/dev/s{index}/main.tf": f"{index}\n"}, f"c{index}\n", PEOPLE, PEOPLE)
        made.append(weakref.ref(commit))
        yield commit
        del commit


def test_a_generated_series_is_committed_without_holding_its_commits(remote: Path) -> None:
    released: list[bool] = []
    with private_clone(str(remote), "main") as clone:
        before = clone.tip()
        shas = clone.commit_series(_series(5, released))
        assert len(shas) == 5 and clone.tip() == shas[-1]
        assert released == [True] * 5
        assert clone.changed_files(before) == [f"subscriptions/dev/s{i}/main.tf" for i in range(5)]
        assert clone.repo.git.execute(["git", "show", "HEAD:subscriptions/dev/s4/main.tf"]) == "4"


def test_a_series_that_fails_while_planned_commits_nothing(remote: Path) -> None:
    def failing() -> Iterator[PlannedCommit]:
        yield PlannedCommit({"subscriptions/dev/a/main.tf": "a\n"}, "a\n", PEOPLE, PEOPLE)
        yield PlannedCommit({"a b/c.tf": "x\n"}, "b\n", PEOPLE, PEOPLE)

    with private_clone(str(remote), "main") as clone:
        before = clone.tip()
        with pytest.raises(TrunkError):
            clone.commit_series(failing())
        assert clone.tip() == before
        assert clone.repo.git.execute(["git", "for-each-ref", "refs/vending"]) == ""
        assert not list(Path(str(clone.repo.git_dir)).glob("vending-fast-import-*"))


def test_a_batch_lands_one_commit_per_request_in_order(remote: Path, requests_dir: Path) -> None:
    names = ["team-a", "team-b", "team-c"]
    before = len(commits(remote))
    run = vend(*submit_args(remote, *(write_request(requests_dir, name) for name in names)))
    assert run.code == 0, run.stderr
    assert len(commits(remote)) == before + 3
    assert all(exists(remote, f"subscriptions/dev/{name}/main.tf") for name in names)

"""``vending init`` into a fresh clone of an empty repository (as GitHub and Azure DevOps hand one out), and the
next steps it prints."""

from __future__ import annotations

from pathlib import Path

from testing.cli import run_cli
from testing.requests import request_data, write_request
from testing.trunks import git


def empty_clone(tmp_path: Path, *, default_branch: str = "master") -> tuple[Path, Path]:
    """A bare empty repository and a clone of it (git warns that it is empty)."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "-c", f"init.defaultBranch={default_branch}", "init", "--quiet", "--bare", str(remote))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(remote), str(clone))
    return remote, clone


def test_init_into_a_fresh_clone_of_an_empty_repository(tmp_path: Path) -> None:
    remote, clone = empty_clone(tmp_path)
    result = run_cli("init", clone)
    assert result.code == 0, result.stderr
    assert git(clone, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(clone, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert git(clone, "status", "--porcelain") == ""
    assert git(clone, "remote").split() == ["origin"]
    git(clone, "push", "--quiet", "-u", "origin", "main")
    request = write_request(tmp_path / "requests", request_data())
    assert run_cli("validate", request, "--trunk", remote, "--branch", "main").code == 0


def test_init_prints_next_steps(tmp_path: Path) -> None:
    _, clone = empty_clone(tmp_path)
    result = run_cli("init", clone)
    assert "next steps:" in result.stdout
    assert f"git -C {clone} push -u origin main" in result.stdout
    assert "vending validate REQUEST.yaml --trunk" in result.stdout
    assert "vending submit" in result.stdout


def test_init_next_steps_without_a_remote(tmp_path: Path) -> None:
    result = run_cli("init", tmp_path / "trunk")
    assert result.code == 0
    assert "remote add origin <URL>" in result.stdout


def test_init_json_has_next_steps_and_nothing_else_new(tmp_path: Path) -> None:
    _, clone = empty_clone(tmp_path)
    result = run_cli("--output", "json", "init", clone)
    document = result.json()
    assert result.code == 0
    assert set(document) == {"trunk", "commit", "files", "nextSteps"}
    assert any("push -u origin main" in step for step in document["nextSteps"])


def test_init_refuses_a_clone_with_history(tmp_path: Path) -> None:
    _, clone = empty_clone(tmp_path)
    (clone / "README.md").write_text("hello\n", encoding="utf-8")
    git(clone, "add", "README.md")
    git(clone, "-c", "user.name=a", "-c", "user.email=a@example.com", "commit", "--quiet", "-m", "first")
    (clone / "README.md").unlink()
    git(clone, "-c", "user.name=a", "-c", "user.email=a@example.com", "commit", "--quiet", "-am", "gone")
    head = git(clone, "rev-parse", "HEAD")
    result = run_cli("init", clone)
    assert result.code == 2
    assert f"{clone}: directory is not empty" in result.stderr
    assert git(clone, "rev-parse", "HEAD") == head
    assert [p.name for p in clone.iterdir()] == [".git"]


def test_init_refuses_a_clone_with_files(tmp_path: Path) -> None:
    _, clone = empty_clone(tmp_path)
    (clone / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run_cli("init", clone)
    assert result.code == 2
    assert sorted(p.name for p in clone.iterdir()) == [".git", "notes.txt"]
    assert git(clone, "rev-list", "--all").strip() == ""

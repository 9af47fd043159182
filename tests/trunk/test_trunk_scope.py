"""Path scoping under CODEOWNERS, admin files, and why a submit can never write outside its directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.requests import write_yaml
from trunk_support import (
    ADMINS,
    BASE,
    DEV,
    PROD,
    changed_files,
    commits,
    exists,
    push_admin_change,
    shard_path,
    show,
    submit_args,
    tip,
    vend,
    write_request,
)

from vending.codeowners import parse_codeowners
from vending.errors import RenderBugError, TrunkError
from vending.trunk.fastimport import fast_import_stream
from vending.trunk.files import safe_relative, write_tree
from vending.trunk.repository import Person, PlannedCommit
from vending.trunk.scope import scope_verdict
from vending.trunk.workdir import private_clone

PEOPLE = Person("someone", "someone@example.com")


@pytest.mark.parametrize("identity", [PROD, ADMINS, "@example/other-team", "ops@example.com"])
def test_identity_not_owning_the_environment_is_refused(remote: Path, requests_dir: Path, identity: str) -> None:
    head = tip(remote)
    run = vend("--output", "json", *submit_args(remote, write_request(requests_dir, "team-a"), identity=identity))
    assert run.code == 4
    result = run.json()["results"][0]
    assert result["status"] == "rejected" and result["commit"] is None
    messages = [error["message"] for error in result["errors"]]
    for path in (
        "subscriptions/dev/team-a/request.yaml",
        "subscriptions/dev/team-a/main.tf",
        "subscriptions/dev/team-a/terraform.yaml",
        "subscriptions/dev/team-a/facts.json",
        "subscriptions/dev/team-a/kustomization.yaml",
        shard_path("team-a"),
    ):
        assert f"{identity} does not own {path} (owners: {DEV})" in messages
    assert tip(remote) == head


def test_scope_refusal_in_text_names_paths_and_owners(remote: Path, requests_dir: Path) -> None:
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a"), identity=PROD))
    assert run.code == 4
    assert f"{PROD} does not own subscriptions/dev/team-a/main.tf (owners: {DEV})" in run.stderr


def test_scope_refusal_does_not_block_owned_requests(remote: Path, requests_dir: Path) -> None:
    prod = write_request(
        requests_dir,
        "team-p",
        environment="prod",
        managementGroup="mg-corp-prod",
        budget={"amount": 10, "timeGrain": "Monthly", "thresholds": [100], "contactEmails": ["finops@contoso.com"]},
    )
    run = vend("--output", "json", *submit_args(remote, prod, write_request(requests_dir, "team-a")))
    assert run.code == 4
    statuses = [result["status"] for result in run.json()["results"]]
    assert statuses == ["rejected", "committed"]
    assert not exists(remote, "subscriptions/prod/team-p/request.yaml")
    assert exists(remote, "subscriptions/dev/team-a/request.yaml")


def test_submit_never_changes_admin_files(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    config = show(remote, "vending.yaml").replace("'@example/platform-dev'", "'@example/platform-dev2'")
    push_admin_change(remote, tmp_path / "admin", {"vending.yaml": config}, "Rename the dev team")
    start = tip(remote)
    owners_before = show(remote, "CODEOWNERS")
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")))
    assert run.code == 0
    assert show(remote, "CODEOWNERS") == owners_before
    for commit in commits(remote)[commits(remote).index(start) + 1 :]:
        assert not {"vending.yaml", "CODEOWNERS"} & set(changed_files(remote, commit))


def test_admin_files_are_refused_even_for_admins() -> None:
    owners = parse_codeowners(f"* {ADMINS}\n")
    verdict = scope_verdict("req.yaml", owners, ADMINS, ["vending.yaml", "CODEOWNERS", "subscriptions/dev/x"])
    assert not verdict.allowed
    assert [f.message.split(" ", 1)[0] for f in verdict.findings] == ["vending.yaml", "CODEOWNERS"]


def test_trunk_without_codeowners_refuses(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    head = push_admin_change(remote, tmp_path / "admin", {"CODEOWNERS": None}, "Drop CODEOWNERS")
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")))
    assert run.code == 4
    assert "no CODEOWNERS" in run.stderr
    assert tip(remote) == head


def test_unowned_paths_are_refused(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    head = push_admin_change(
        remote, tmp_path / "admin", {"CODEOWNERS": f"/subscriptions/prod/ {PROD}\n"}, "Only prod is owned"
    )
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")))
    assert run.code == 4
    assert "does not own subscriptions/dev/team-a/main.tf (owners: nobody (unowned))" in run.stderr
    assert tip(remote) == head


@pytest.mark.parametrize(
    "name", ["../evil", "a/../../b", "/etc/passwd", "..", "team/../../x", ".git", "team-a/../../../tmp"]
)
def test_hostile_names_are_rejected_by_validation(remote: Path, requests_dir: Path, name: str) -> None:
    head = tip(remote)
    request = write_yaml(requests_dir / "hostile.yaml", {**BASE, "name": name})
    run = vend("--output", "json", *submit_args(remote, request))
    assert run.code == 2
    result = run.json()["results"][0]
    assert result["status"] == "rejected"
    assert any(error["field"] == "name" for error in result["errors"])
    assert tip(remote) == head


@pytest.mark.parametrize("environment", ["../dev", "dev/../../x", "/tmp"])
def test_hostile_environments_are_rejected(remote: Path, requests_dir: Path, environment: str) -> None:
    head = tip(remote)
    request = write_yaml(requests_dir / "hostile.yaml", {**BASE, "name": "team-a", "environment": environment})
    run = vend(*submit_args(remote, request))
    assert run.code == 2
    assert tip(remote) == head


@pytest.mark.parametrize(
    "path",
    [
        "../x",
        "a/../../x",
        "/abs/x",
        "//abs",
        "",
        ".",
        "a\\..\\b",
        "..\\x",
        ".git/config",
        ".git/hooks/pre-commit",
        "a/..",
        "a/b/../../../c",
    ],
)
def test_safe_relative_refuses_ways_out(path: str) -> None:
    with pytest.raises(RenderBugError):
        safe_relative(path)


@pytest.mark.parametrize("path", ["subscriptions/dev/a/main.tf", "CODEOWNERS", "a/.gitkeep", "a/.git-x"])
def test_safe_relative_accepts_repository_paths(path: str) -> None:
    assert str(safe_relative(path)) == path


@pytest.mark.parametrize(("path", "normal"), [("a//b", "a/b"), ("./a", "a"), ("a/./b", "a/b")])
def test_safe_relative_normalizes_harmless_spellings_inside_the_root(path: str, normal: str) -> None:
    assert str(safe_relative(path)) == normal


def test_write_tree_refuses_before_writing(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    with pytest.raises(RenderBugError):
        write_tree(root, {"../outside.txt": "x"})
    assert not (tmp_path / "outside.txt").exists()
    assert list(root.iterdir()) == []


def test_commit_series_commits_exactly_the_planned_files(remote: Path) -> None:
    head = tip(remote)
    with private_clone(str(remote), "main") as clone:
        write_tree(clone.root, {"stray.txt": "no\n"})
        clone.repo.git.add("stray.txt")
        before = clone.tip()
        planned = PlannedCommit({"subscriptions/dev/team-a/main.tf": "ok\n"}, "subject\n", PEOPLE, PEOPLE)
        (sha,) = clone.commit_series([planned])
        assert sha != before and clone.tip() == sha
        assert clone.changed_files(before) == ["subscriptions/dev/team-a/main.tf"]
        assert clone.repo.git.execute(["git", "show", f"{sha}:subscriptions/dev/team-a/main.tf"]) == "ok"
    assert tip(remote) == head


def test_commit_series_refuses_an_unusual_path(remote: Path) -> None:
    with private_clone(str(remote), "main") as clone:
        before = clone.tip()
        with pytest.raises(TrunkError) as caught:
            fast_import_stream([PlannedCommit({"a b/c.tf": "x\n"}, "s\n", PEOPLE, PEOPLE)], before, 0)
        assert [finding.file for finding in caught.value.findings] == ["a b/c.tf"]
        assert clone.commit_series([]) == [] and clone.tip() == before

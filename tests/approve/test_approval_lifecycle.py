"""An approval after the trunk moves on: a new module ref or a damaged approval file is reported by ``check``
and removed by ``check --fix``; an old plan id cannot be approved once the module ref moved."""

from __future__ import annotations

from pathlib import Path

from approve_support import APPROVAL, PLAN, approve, approve_plan
from testing.cli import run_cli
from testing.trunks import git

ADMIN = ("-c", "user.name=admin", "-c", "user.email=admin@example.com")


def _working_tree(remote: Path, target: Path) -> Path:
    git(remote.parent, "clone", "--quiet", str(remote), str(target))
    return target


def _commit_all(tree: Path, subject: str) -> None:
    git(tree, "add", "--all")
    git(tree, *ADMIN, "commit", "--quiet", "-m", subject)


def test_a_new_module_ref_makes_the_approval_stale_until_check_fix(vended: Path, tmp_path: Path) -> None:
    assert approve(vended).code == 0
    tree = _working_tree(vended, tmp_path / "admin")
    config = tree / "vending.yaml"
    config.write_text(config.read_text().replace("ref: v0.1.0", "ref: v0.2.0"))
    _commit_all(tree, "Move the module to v0.2.0")
    found = run_cli("check", "--trunk", tree)
    assert found.code == 6
    assert f"{APPROVAL}: planId: the approval of {PLAN} was given for another render" in found.stdout + found.stderr
    assert "vending check --fix" in found.stdout + found.stderr
    assert run_cli("check", "--trunk", tree, "--fix").code in (0, 6)
    assert not (tree / APPROVAL).exists()
    assert "approvePlan" not in (tree / "subscriptions/prod/app-prod/terraform.yaml").read_text()
    assert run_cli("check", "--trunk", tree).code == 0
    _commit_all(tree, "Re-render for v0.2.0")
    git(tree, "push", "--quiet", "origin", "HEAD:main")
    refused = approve(vended, PLAN)
    assert refused.code == 2 and "expected plan-v0.2.0-<10 hex digits>" in refused.stderr
    assert approve(vended, "plan-v0.2.0-0123456789").code == 0
    assert approve_plan(vended) == "plan-v0.2.0-0123456789"


def test_a_damaged_approval_is_named_and_removed_by_check_fix(vended: Path, tmp_path: Path) -> None:
    assert approve(vended).code == 0
    tree = _working_tree(vended, tmp_path / "admin")
    (tree / APPROVAL).write_text('{"planId": "plan-v0.1"}\n')
    found = run_cli("check", "--trunk", tree)
    assert found.code == 6
    assert f"{APPROVAL}: requestDigest: missing or not a string; remove the file" in found.stderr
    assert run_cli("check", "--trunk", tree, "--fix").code in (0, 6)
    assert not (tree / APPROVAL).exists()
    assert run_cli("check", "--trunk", tree).code == 0


def test_an_object_edited_by_hand_is_not_approved(vended: Path, tmp_path: Path) -> None:
    tree = _working_tree(vended, tmp_path / "admin")
    target = tree / "subscriptions/prod/app-prod/terraform.yaml"
    edited = target.read_text().replace("retryInterval: 2m", "retryInterval: 1m")
    assert edited != target.read_text()
    target.write_text(edited)
    _commit_all(tree, "Edit the object by hand")
    git(tree, "push", "--quiet", "origin", "HEAD:main")
    head = git(vended, "rev-parse", "main")
    result = approve(vended)
    assert result.code == 2
    assert "subscriptions/prod/app-prod/terraform.yaml: differs from a fresh render" in result.stderr
    assert git(vended, "rev-parse", "main") == head


def test_a_module_pinned_by_commit_is_approved_under_the_commit_plan_id(vended: Path, tmp_path: Path) -> None:
    commit = "4f2a9c1b7e" + "0" * 30
    tree = _working_tree(vended, tmp_path / "admin")
    config = tree / "vending.yaml"
    pinned = "  path: modules/subscription\n"
    config.write_text(config.read_text().replace(pinned, f"{pinned}  commit: {commit}\n"))
    assert run_cli("check", "--trunk", tree, "--fix").code in (0, 6)
    assert run_cli("check", "--trunk", tree).code == 0
    _commit_all(tree, "Pin the module to its commit")
    git(tree, "push", "--quiet", "origin", "HEAD:main")
    refused = approve(vended, PLAN)
    assert refused.code == 2 and "'plan-sha1:4f2a9'" in refused.stderr
    assert approve(vended, "plan-sha1:4f2a9").code == 0
    assert approve_plan(vended) == "plan-sha1:4f2a9"
    assert run_cli("check", "--trunk", vended).code == 0

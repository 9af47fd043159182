"""A trunk made by ``vending init`` can be the target itself: pushes update its clean working tree."""

from __future__ import annotations

from pathlib import Path

from trunk_support import DEV, EXAMPLES, git, submit_args, vend


def _init(tmp_path: Path) -> Path:
    trunk = tmp_path / "trunk"
    assert vend("init", trunk).code == 0
    return trunk


def test_submit_and_decommission_into_the_trunk_made_by_init(tmp_path: Path) -> None:
    trunk = _init(tmp_path)
    run = vend(*submit_args(trunk, EXAMPLES / "app-dev.yaml"))
    assert run.code == 0, run.stderr
    assert (trunk / "subscriptions" / "dev" / "app-dev" / "terraform.yaml").is_file()
    assert git(trunk, "status", "--porcelain").strip() == ""
    assert git(trunk, "log", "-1", "--format=%s").strip() == "Vend app-dev in dev"
    assert vend("check", "--trunk", trunk).code == 0
    run = vend(
        "decommission",
        "app-dev",
        "--trunk",
        trunk,
        "--as",
        DEV,
        "--confirm",
        "app-dev",
        "--requested-by",
        "bob@contoso.com",
    )
    assert run.code == 0, run.stderr
    assert not (trunk / "subscriptions" / "dev" / "app-dev").exists()


def test_a_working_tree_refusing_pushes_exits_5_at_once_with_a_hint(tmp_path: Path) -> None:
    trunk = _init(tmp_path)
    git(trunk, "config", "receive.denyCurrentBranch", "refuse")
    head = git(trunk, "rev-parse", "HEAD")
    run = vend("--output", "json", *submit_args(trunk, EXAMPLES / "app-dev.yaml"))
    assert run.code == 5
    [result] = run.json()["results"]
    assert result["status"] == "rejected"
    assert "denyCurrentBranch" in result["errors"][0]["message"]
    assert git(trunk, "rev-parse", "HEAD") == head


def test_bad_identity_and_reason_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    trunk = _init(tmp_path)
    run = vend("submit", EXAMPLES / "app-dev.yaml", "--trunk", trunk, "--as", "not an owner", "--skip-azure-checks")
    assert run.code == 2 and "--as" in run.stderr
    assert vend(*submit_args(trunk, EXAMPLES / "app-dev.yaml")).code == 0
    head = git(trunk, "rev-parse", "HEAD")
    run = vend(
        "decommission",
        "app-dev",
        "--trunk",
        trunk,
        "--as",
        DEV,
        "--confirm",
        "app-dev",
        "--reason",
        "bad\x00reason",
        "--requested-by",
        "bob@contoso.com",
    )
    assert run.code == 2 and "--reason" in run.stderr
    assert git(trunk, "rev-parse", "HEAD") == head
    assert git(trunk, "status", "--porcelain").strip() == ""

"""``vending status --record --as IDENTITY``: one commit of the changed records under ``status/``, nothing
when nothing changed, refused (exit 4, nothing committed) for an identity that does not own ``status/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from controller_documents import PLAN_ID, T1, awaiting_approval, outputs_secret, ready, terraform, write_list
from fleet_support import ADMINS, DEV_OWNER, SUBSCRIPTION, trunk_hash
from testing.cli import run_cli
from testing.trunks import git

from vending.trunk.records import record_path


def record(remote: Path, path: Path, identity: str = ADMINS, *more: str) -> Any:
    result = run_cli(
        "status", "--trunk", remote, "--from", path, "--record", "--as", identity, *more, "--output", "json"
    )
    assert result.code == 0, result.stderr
    return result.json()


def recorded(remote: Path, environment: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(git(remote, "show", f"main:{record_path(environment, name)}"))
    return data


def fleet_file(remote: Path, tmp_path: Path, *, secret: bool = True) -> Path:
    objects = [
        terraform("app-dev", ready(), render_hash=trunk_hash(remote, "app-dev")),
        terraform("app-prod", awaiting_approval(), render_hash=trunk_hash(remote, "app-prod", "prod")),
    ]
    if secret:
        objects.append(outputs_secret("app-dev", SUBSCRIPTION))
    return write_list(tmp_path / "tf.json", *objects)


def test_record_commits_every_record_once_then_nothing(remote: Path, tmp_path: Path) -> None:
    before = git(remote, "rev-parse", "main").strip()
    document = record(remote, fleet_file(remote, tmp_path), ADMINS, "--requested-by", "ops@contoso.com")
    tip = git(remote, "rev-parse", "main").strip()
    assert document["recorded"] == {"commit": tip, "changed": 3}
    assert git(remote, "rev-parse", "main~1").strip() == before
    changed = git(remote, "diff-tree", "--no-commit-id", "--name-only", "-r", tip).split()
    assert changed == sorted(
        [record_path("dev", "app-dev"), record_path("dev", "old-dev"), record_path("prod", "app-prod")]
    )
    body = git(remote, "log", "-1", "--format=%B", tip)
    assert "Vending-Identity: @example/platform-admins" in body
    assert "Requested-By: ops@contoso.com" in body
    app = recorded(remote, "dev", "app-dev")
    assert (app["state"], app["since"], app["subscriptionId"]) == ("ready", T1, SUBSCRIPTION)
    assert app["renderHash"] == trunk_hash(remote, "app-dev")
    assert recorded(remote, "prod", "app-prod")["planId"] == PLAN_ID

    again = record(remote, fleet_file(remote, tmp_path))
    assert again["recorded"] == {"commit": None, "changed": 0}
    assert git(remote, "rev-parse", "main").strip() == tip


def test_a_state_without_a_transition_time_keeps_its_first_since(remote: Path, tmp_path: Path) -> None:
    empty = write_list(tmp_path / "none.json")
    first = record(remote, empty)
    since = recorded(remote, "dev", "app-dev")["since"]
    assert recorded(remote, "dev", "app-dev")["state"] == "pending"
    assert first["recorded"]["changed"] == 3
    second = record(remote, empty)
    assert second["recorded"]["commit"] is None
    assert recorded(remote, "dev", "app-dev")["since"] == since


def test_the_subscription_id_is_kept_once_known(remote: Path, tmp_path: Path) -> None:
    record(remote, fleet_file(remote, tmp_path))
    document = record(remote, fleet_file(remote, tmp_path, secret=False))
    assert document["recorded"]["changed"] == 0
    (app,) = [item for item in document["subscriptions"] if item["name"] == "app-dev"]
    assert app["subscriptionId"] == SUBSCRIPTION


def test_an_identity_that_does_not_own_status_is_refused(remote: Path, tmp_path: Path) -> None:
    before = git(remote, "rev-parse", "main").strip()
    args = ("status", "--trunk", remote, "--from", fleet_file(remote, tmp_path), "--record", "--as", DEV_OWNER)
    result = run_cli(*args)
    assert result.code == 4
    assert "@example/platform-dev does not own status/" in result.stderr
    assert git(remote, "rev-parse", "main").strip() == before


def test_record_needs_an_identity(remote: Path, tmp_path: Path) -> None:
    result = run_cli("status", "--trunk", remote, "--from", fleet_file(remote, tmp_path), "--record")
    assert result.code == 2
    assert "--as" in result.stderr


def test_status_owners_named_in_vending_yaml_may_record_and_admins_still_own_the_rest(
    remote: Path, tmp_path: Path
) -> None:
    tree = tmp_path / "admin"
    git(tmp_path, "clone", "--quiet", str(remote), str(tree))
    config = tree / "vending.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "statusOwners:\n  - '@example/status-reader'\n")
    assert run_cli("check", "--trunk", tree, "--fix").code in (0, 6)
    assert "/status/ @example/status-reader" in " ".join((tree / "CODEOWNERS").read_text(encoding="utf-8").split())
    git(tree, "add", "--all")
    git(tree, "-c", "user.name=a", "-c", "user.email=a@example.com", "commit", "--quiet", "-m", "Status owners")
    git(tree, "push", "--quiet", "origin", "HEAD:main")
    refused = run_cli(
        "status", "--trunk", remote, "--from", fleet_file(remote, tmp_path), "--record", "--as", DEV_OWNER
    )
    assert refused.code == 4
    document = record(remote, fleet_file(remote, tmp_path), "@example/status-reader")
    assert document["recorded"]["changed"] == 3


def test_no_environment_may_live_under_status(tmp_path: Path) -> None:
    from testing.trunks import init_trunk

    trunk = init_trunk(tmp_path / "trunk")
    config = trunk / "vending.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("path: subscriptions/dev", "path: status/dev"))
    result = run_cli("check", "--trunk", trunk)
    assert result.code == 2
    assert "vending.yaml" in result.stderr

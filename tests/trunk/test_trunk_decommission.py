"""``vending decommission``: guardrails, one commit removing the subscription, a tombstone, the policy stated."""

from __future__ import annotations

from pathlib import Path

import pytest
from trunk_support import (
    DEV,
    EXAMPLES,
    PROD,
    changed_files,
    commits,
    exists,
    git,
    listed,
    push_admin_change,
    shard_path,
    show,
    submit_args,
    tip,
    tombstone_json,
    trailers,
    vend,
    write_request,
)

from vending.trunk.state import shard_of


def _decommission(remote: Path, name: str, *extra: str, identity: str = DEV, confirm: str | None = None) -> list[str]:
    if "--requested-by" not in extra:
        extra = (*extra, "--requested-by", "bob@contoso.com")
    return ["decommission", name, "--trunk", str(remote), "--as", identity, "--confirm", confirm or name, *extra]


@pytest.fixture
def vended(remote: Path, requests_dir: Path) -> Path:
    requests = [write_request(requests_dir, "team-a"), write_request(requests_dir, "team-b")]
    assert vend(*submit_args(remote, *requests)).code == 0
    return remote


def test_without_matching_confirmation_nothing_happens(vended: Path) -> None:
    head = tip(vended)
    run = vend(*_decommission(vended, "team-a", confirm="team-b"))
    assert run.code == 4
    assert "--confirm" in run.stderr and "'team-a'" in run.stderr
    assert tip(vended) == head


def test_missing_confirmation_is_a_usage_error(vended: Path) -> None:
    head = tip(vended)
    run = vend("decommission", "team-a", "--trunk", str(vended), "--as", DEV)
    assert run.code == 2
    assert tip(vended) == head


def test_decommission_removes_directory_and_kustomization_entry(vended: Path) -> None:
    head = tip(vended)
    run = vend(*_decommission(vended, "team-a", "--reason", "project ended", "--requested-by", "bob@contoso.com"))
    assert run.code == 0, run.stderr
    assert "deletion policy cancel" in run.stdout
    history = commits(vended)
    assert history[-2] == head
    assert changed_files(vended, history[-1]) == sorted(
        [
            f"subscriptions/dev/_decommissioned/{shard_of('team-a')}/team-a.json",
            shard_path("team-a"),
            "subscriptions/dev/team-a/facts.json",
            "subscriptions/dev/team-a/kustomization.yaml",
            "subscriptions/dev/team-a/main.tf",
            "subscriptions/dev/team-a/request.yaml",
            "subscriptions/dev/team-a/terraform.yaml",
        ]
    )
    assert not exists(vended, "subscriptions/dev/team-a/request.yaml")
    assert not listed(vended, "team-a") and listed(vended, "team-b")
    tomb = tombstone_json(vended, "team-a")
    assert tomb["by"] == DEV and tomb["requestedBy"] == "bob@contoso.com"
    assert tomb["reason"] == "project ended" and tomb["deletionPolicy"] == "cancel"
    assert tomb["date"].startswith("20") and "T" in tomb["date"]
    assert "subscriptionId" in tomb
    assert dict(trailers(vended, history[-1])) == {
        "Vending-Request": "team-a",
        "Vending-Interface": "0.1.0",
        "Requested-By": "bob@contoso.com",
        "Vending-Identity": DEV,
        "Azure-Checks": "skipped",
    }
    assert git(vended, "log", "-1", "--format=%s").strip() == "Decommission team-a from dev"
    assert vend("check", "--trunk", vended).code == 0


def test_json_output_states_the_policy(remote: Path) -> None:
    assert vend(*submit_args(remote, EXAMPLES / "platform-management.yaml")).code == 0
    run = vend("--output", "json", *_decommission(remote, "platform-management"))
    assert run.code == 0
    document = run.json()
    assert document["status"] == "committed" and document["commit"] == tip(remote)
    # An adopted subscription was created outside vending: it is retained even in an environment that cancels.
    assert document["deletionPolicy"] == "retain" and "kept" in document["effect"]
    assert tombstone_json(remote, "platform-management")["subscriptionId"] == "00000000-0000-0000-0000-0000000000aa"


def test_json_output_states_the_cancel_policy(remote: Path) -> None:
    assert vend(*submit_args(remote, EXAMPLES / "app-dev.yaml")).code == 0
    run = vend("--output", "json", *_decommission(remote, "app-dev"))
    assert run.code == 0
    document = run.json()
    assert document["deletionPolicy"] == "cancel" and "cancel" in document["effect"]


def test_prod_retains_the_subscription(remote: Path) -> None:
    assert vend(*submit_args(remote, EXAMPLES / "payments-prod.yaml", identity=PROD)).code == 0
    run = vend(*_decommission(remote, "payments-prod", identity=PROD))
    assert run.code == 0, run.stderr
    assert "deletion policy retain" in run.stdout
    assert tombstone_json(remote, "payments-prod", "prod")["deletionPolicy"] == "retain"


def test_policy_is_the_one_fixed_at_render_time(vended: Path, tmp_path: Path) -> None:
    config = show(vended, "vending.yaml").replace("deletion: cancel", "deletion: retain")
    push_admin_change(vended, tmp_path / "admin", {"vending.yaml": config}, "Dev now retains")
    run = vend("--output", "json", *_decommission(vended, "team-a"))
    assert run.code == 0, run.stderr
    assert run.json()["deletionPolicy"] == "cancel"
    assert tombstone_json(vended, "team-a")["deletionPolicy"] == "cancel"


def test_environment_forbidding_decommission_refuses(vended: Path, tmp_path: Path) -> None:
    config = show(vended, "vending.yaml").replace(
        "    deletion: cancel\n", "    deletion: cancel\n    decommissionAllowed: false\n"
    )
    head = push_admin_change(vended, tmp_path / "admin", {"vending.yaml": config}, "Forbid decommission in dev")
    run = vend(*_decommission(vended, "team-a"))
    assert run.code == 4
    assert "decommissionAllowed: false" in run.stderr
    assert tip(vended) == head


def test_identity_not_owning_the_environment_is_refused(vended: Path) -> None:
    head = tip(vended)
    run = vend(*_decommission(vended, "team-a", identity=PROD))
    assert run.code == 4
    assert f"{PROD} does not own subscriptions/dev/team-a/main.tf (owners: {DEV})" in run.stderr
    assert tip(vended) == head


def test_unknown_name_is_invalid(vended: Path) -> None:
    head = tip(vended)
    run = vend(*_decommission(vended, "team-z"))
    assert run.code == 2
    assert "no subscription named 'team-z'" in run.stderr
    assert tip(vended) == head


def test_decommissioned_name_cannot_come_back(vended: Path, requests_dir: Path) -> None:
    assert vend(*_decommission(vended, "team-a")).code == 0
    head = tip(vended)
    run = vend("--output", "json", *submit_args(vended, requests_dir / "team-a.yaml"))
    assert run.code == 2
    errors = run.json()["results"][0]["errors"]
    assert any(e["field"] == "name" and "decommissioned" in e["message"] for e in errors)
    assert tip(vended) == head


def test_a_decommission_that_already_landed_is_unchanged(vended: Path) -> None:
    first = vend("--output", "json", *_decommission(vended, "team-a"))
    assert first.code == 0 and first.json()["status"] == "committed"
    head = tip(vended)
    again = vend("--output", "json", *_decommission(vended, "team-a"))
    assert again.code == 0, again.stderr
    document = again.json()
    assert (document["status"], document["commit"], document["environment"]) == ("unchanged", None, "dev")
    assert document["deletionPolicy"] == first.json()["deletionPolicy"]
    assert tip(vended) == head
    text = vend(*_decommission(vended, "team-a"))
    assert text.code == 0 and "already decommissioned from dev" in text.stdout


def test_dry_run_decommission_pushes_nothing(vended: Path) -> None:
    head = tip(vended)
    run = vend(*_decommission(vended, "team-a", "--dry-run"))
    assert run.code == 0
    assert "diff --git a/subscriptions/dev/team-a/main.tf" in run.stdout
    assert tip(vended) == head

"""Deletion the controller can carry out: trunk delivery never cancels, environment Kustomizations orphan,
a decommission credits whoever asked for it and records the subscription id the trunk knows."""

from __future__ import annotations

from pathlib import Path

import yaml
from lifecycle_support import DEV, decommission, edit_config, exists, push_change, show, tip, tombstone, trailers, vend
from testing.cli import run_cli
from testing.requests import request_data, write_yaml
from testing.trunks import git

from vending.trunk.records import StatusRecord, record_path

SUBSCRIPTION_ID = "3f2b8c1e-9d4a-4b7e-8f6a-2c1d0e9b8a7f"


def test_trunk_delivery_with_cancel_is_refused_in_vending_yaml(remote: Path, tmp_path: Path) -> None:
    head = edit_config(remote, tmp_path / "admin", "delivery: module", "delivery: trunk")
    request = write_yaml(tmp_path / "app-dev.yaml", request_data("app-dev"))
    run = run_cli("submit", request, "--trunk", remote, "--as", DEV, "--skip-azure-checks")
    assert run.code == 2
    assert "vending.yaml" in run.stderr and "environments.dev.deletion" in run.stderr
    assert "flux.delivery 'module'" in run.stderr and "deletion 'retain'" in run.stderr
    assert tip(remote) == head
    checked = run_cli("check", "--trunk", remote)
    assert checked.code == 2 and "environments.dev.deletion" in checked.stderr


def test_trunk_delivery_with_retain_is_accepted(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    work = tmp_path / "admin"
    edit_config(remote, work, "delivery: module", "delivery: trunk")
    edit_config(remote, work, "deletion: cancel", "deletion: retain")
    vend(remote, requests_dir, "app-dev")
    flux = yaml.safe_load(show(remote, "subscriptions/dev/app-dev/terraform.yaml"))
    assert flux["spec"]["destroyResourcesOnDeletion"] is False
    assert flux["metadata"]["annotations"]["kustomize.toolkit.fluxcd.io/prune"] == "disabled"
    assert decommission(remote, "app-dev", "--requested-by", "carol@contoso.com").code == 0


def test_cancelling_subscription_is_not_decommissioned_under_trunk_delivery(
    remote: Path, requests_dir: Path, tmp_path: Path
) -> None:
    vend(remote, requests_dir, "app-dev")
    work = tmp_path / "admin"
    edit_config(remote, work, "deletion: cancel", "deletion: retain")
    head = edit_config(remote, work, "delivery: module", "delivery: trunk")
    run = decommission(remote, "app-dev", "--requested-by", "carol@contoso.com")
    assert run.code == 2
    assert "vending.yaml: flux.delivery:" in run.stderr and "destroy needs the folder" in run.stderr
    assert tip(remote) == head and exists(remote, "subscriptions/dev/app-dev/main.tf")


def test_environment_kustomizations_orphan_their_objects(remote: Path) -> None:
    for environment in ("dev", "prod"):
        spec = yaml.safe_load(show(remote, f"clusters/main/vending/subscriptions-{environment}.yaml"))["spec"]
        assert spec["deletionPolicy"] == "Orphan" and spec["prune"] is True
    sources = yaml.safe_load(show(remote, "clusters/main/vending/sources.yaml"))["spec"]
    assert sources["deletionPolicy"] == "Orphan"


def test_decommission_credits_its_requester_not_the_original_one(remote: Path, requests_dir: Path) -> None:
    vend(remote, requests_dir, "app-dev", requestedBy="alice@contoso.com")
    run = decommission(remote, "app-dev", "--requested-by", "carol@contoso.com", "--ticket", "CHG-1234")
    assert run.code == 0, run.stderr
    found = trailers(remote)
    assert found["Requested-By"] == "carol@contoso.com" and found["Ticket"] == "CHG-1234"
    assert found["Vending-Request"] == "app-dev" and found["Vending-Identity"] == DEV
    assert git(remote, "log", "-1", "--format=%ae", "main").strip() == "carol@contoso.com"
    recorded = tombstone(remote, "app-dev")
    assert recorded["requestedBy"] == "carol@contoso.com" and recorded["ticket"] == "CHG-1234"
    assert "alice@contoso.com" not in git(remote, "log", "-1", "--format=%B%an%ae", "main")


def test_decommission_without_requester_is_a_usage_error(remote: Path, requests_dir: Path) -> None:
    vend(remote, requests_dir, "app-dev")
    head = tip(remote)
    run = decommission(remote, "app-dev")
    assert run.code == 2 and "--requested-by" in run.stderr
    assert tip(remote) == head


def test_tombstone_records_the_subscription_id_from_the_recorded_status(
    remote: Path, requests_dir: Path, tmp_path: Path
) -> None:
    vend(remote, requests_dir, "app-dev")
    vend(remote, requests_dir, "web-dev")
    record = StatusRecord("app-dev", "dev", "ready", "2026-01-05T10:00:00+00:00", subscriptionId=SUBSCRIPTION_ID)
    push_change(remote, tmp_path / "admin", {record_path("dev", "app-dev"): record.text()}, "Record status")
    assert decommission(remote, "app-dev", "--requested-by", "carol@contoso.com").code == 0
    assert tombstone(remote, "app-dev")["subscriptionId"] == SUBSCRIPTION_ID
    assert decommission(remote, "web-dev", "--requested-by", "carol@contoso.com").code == 0
    assert tombstone(remote, "web-dev")["subscriptionId"] is None


def test_the_request_left_after_a_decommission_says_to_delete_it(remote: Path, requests_dir: Path) -> None:
    request = vend(remote, requests_dir, "app-dev")
    assert decommission(remote, "app-dev", "--requested-by", "carol@contoso.com").code == 0
    head = tip(remote)
    run = run_cli("submit", request, "--trunk", remote, "--as", DEV, "--skip-azure-checks")
    assert run.code == 2
    assert f"{request}:" in run.stderr and "was decommissioned from environment 'dev'" in run.stderr
    assert "delete the file from the requests repository" in run.stderr
    assert tip(remote) == head

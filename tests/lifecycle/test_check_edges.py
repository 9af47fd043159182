"""``check`` names the file that changed and says how to fix it, and lists retained subscriptions as
information, not drift."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from lifecycle_support import PROD, decommission, push_change, vend
from testing.cli import run_cli
from testing.trunks import git

from vending.trunk.records import StatusRecord, record_path

BUDGET = {"amount": 10, "timeGrain": "Monthly", "thresholds": [90], "contactEmails": ["finops@contoso.com"]}
FOLDER = "subscriptions/dev/app-dev"


def _check_json(trunk: Path, code: int) -> dict[str, Any]:
    run = run_cli("--output", "json", "check", "--trunk", trunk)
    assert run.code == code, run.stderr
    document: dict[str, Any] = run.json()
    schema = json.loads(resources.files("vending").joinpath("schemas/output/check.schema.json").read_text())
    Draft202012Validator(schema).validate(document)
    return document


def _working_tree(remote: Path, requests_dir: Path, tmp_path: Path) -> Path:
    vend(remote, requests_dir, "app-dev")
    work = tmp_path / "work"
    git(remote.parent, "clone", "--quiet", str(remote), str(work))
    return work


def test_a_hand_edited_request_is_named_not_the_files_it_renders(
    remote: Path, requests_dir: Path, tmp_path: Path
) -> None:
    work = _working_tree(remote, requests_dir, tmp_path)
    request = work / FOLDER / "request.yaml"
    request.write_text(request.read_text().replace("displayName: App team (dev)", "displayName: Renamed"))
    findings = _check_json(work, 6)["findings"]
    assert [f["file"] for f in findings] == [f"{FOLDER}/request.yaml"]
    assert "changed without re-rendering" in findings[0]["message"]
    assert "'vending check --fix'" in findings[0]["message"]
    assert run_cli("check", "--trunk", work, "--fix").code == 0
    assert "Renamed" in (work / FOLDER / "main.tf").read_text()


def test_a_hand_edited_render_is_named(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    work = _working_tree(remote, requests_dir, tmp_path)
    main = work / FOLDER / "main.tf"
    main.write_text(main.read_text().replace("App team (dev)", "Edited"))
    findings = _check_json(work, 6)["findings"]
    assert [f["file"] for f in findings] == [f"{FOLDER}/main.tf"]
    assert "edited by hand" in findings[0]["message"] and "'vending check --fix'" in findings[0]["message"]


def test_a_config_change_blames_the_renders_not_the_request(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    work = _working_tree(remote, requests_dir, tmp_path)
    config = work / "vending.yaml"
    backend = "backend: azurerm\n  azurerm: {resourceGroup: rg-state, storageAccount: stvending, container: tfstate}"
    config.write_text(config.read_text().replace("backend: kubernetes", backend))
    files = {f["file"] for f in _check_json(work, 6)["findings"]}
    assert {f"{FOLDER}/main.tf", f"{FOLDER}/terraform.yaml"} <= files
    assert f"{FOLDER}/request.yaml" not in files


def test_retained_subscriptions_are_listed_as_information(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    vend(remote, requests_dir, "app-prod", "prod", managementGroup="mg-corp-prod", budget=BUDGET)
    vend(remote, requests_dir, "app-dev")
    for name, identity in (("app-prod", PROD), ("app-dev", "@example/platform-dev")):
        assert decommission(remote, name, "--requested-by", "carol@contoso.com", identity=identity).code == 0
    document = _check_json(remote, 0)
    assert document["clean"] is True
    assert [(r["name"], r["object"]) for r in document["retained"]] == [("app-prod", "flux-system/app-prod")]
    text = run_cli("check", "--trunk", remote)
    assert text.code == 0
    assert (
        "retained: app-prod (prod" in text.stderr and "kubectl -n flux-system delete terraform app-prod" in text.stderr
    )
    gone = StatusRecord("app-prod", "prod", "gone", "2026-02-01T00:00:00+00:00")
    push_change(remote, tmp_path / "admin", {record_path("prod", "app-prod"): gone.text()}, "Record status")
    assert "retained" not in _check_json(remote, 0)

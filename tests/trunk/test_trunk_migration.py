"""Migrating a 0.x trunk (one ``index.json`` and one flat kustomization per environment) to the sharded
layout with ``vending check --fix``: one reviewable change that gives exactly the files a trunk vended in
the new layout holds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from testing.requests import prod_request, request_data, write_yaml
from trunk_support import (
    DEV,
    PROD,
    checkout,
    git,
    network,
    submit_args,
    vend,
    write_request,
)

LAYOUT_DIRS = ("_shards", "_networks", "_decommissioned")


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def _to_0x(tree: Path) -> None:
    """Rewrite the tree in the 0.x layout, as a 0.x vending left it."""
    for env in ("dev", "prod"):
        base = tree / "subscriptions" / env
        live: dict[str, Any] = {}
        gone: dict[str, Any] = {}
        for facts in sorted(base.glob("*/facts.json")):
            data = json.loads(facts.read_text())
            data.pop("schemaVersion")
            live[facts.parent.name] = data
            facts.unlink()
            (facts.parent / "kustomization.yaml").unlink()
        for tombstone in sorted(base.glob("_decommissioned/*/*.json")):
            gone[tombstone.stem] = json.loads(tombstone.read_text())
        for directory in LAYOUT_DIRS:
            shutil.rmtree(base / directory, ignore_errors=True)
        index = {"schemaVersion": 1, "subscriptions": live, "decommissioned": gone}
        (base / "index.json").write_text(json.dumps(index, indent=1) + "\n")
        head = "".join(line for line in (base / "kustomization.yaml").read_text().splitlines(True) if line[0] == "#")
        kustomization = {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": [f"{name}/terraform.yaml" for name in sorted(live)],
        }
        (base / "kustomization.yaml").write_text(head + yaml.safe_dump(kustomization, sort_keys=False))
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "The trunk as vending 0.x left it")


@pytest.fixture
def legacy(remote: Path, requests_dir: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A working tree of a 0.x trunk, and the files the same trunk holds in the new layout."""
    dev = [write_request(requests_dir, f"team-{n}", network=network(n)) for n in range(6)]
    assert vend(*submit_args(remote, *dev)).code == 0
    prod = write_yaml(requests_dir / "payments.yaml", prod_request("payments-prod"))
    assert vend(*submit_args(remote, prod, identity=PROD)).code == 0
    gone = vend(
        "decommission",
        "team-5",
        "--trunk",
        remote,
        "--as",
        DEV,
        "--confirm",
        "team-5",
        "--requested-by",
        "bob@contoso.com",
    )
    assert gone.code == 0, gone.stderr
    tree = checkout(remote, tmp_path / "tree")
    expected = _files(tree)
    _to_0x(tree)
    return tree, expected


def test_check_names_the_migration_once_per_index(legacy: tuple[Path, dict[str, str]]) -> None:
    tree, _ = legacy
    run = vend("--output", "json", "check", "--trunk", tree)
    assert run.code == 6
    findings = run.json()["findings"]
    assert [f["file"] for f in findings] == ["subscriptions/dev/index.json", "subscriptions/prod/index.json"]
    assert all("0.x layout" in f["message"] and "--fix" in f["message"] for f in findings)


def test_submit_and_validate_refuse_a_0x_trunk(legacy: tuple[Path, dict[str, str]], requests_dir: Path) -> None:
    tree, _ = legacy
    head = git(tree, "rev-parse", "HEAD")
    request = write_yaml(requests_dir / "new.yaml", request_data(name="team-new"))
    for run in (vend("validate", request, "--trunk", tree), vend(*submit_args(tree, request))):
        assert run.code == 2
        assert "subscriptions/dev/index.json: the trunk is in the 0.x layout" in run.stderr
    assert git(tree, "rev-parse", "HEAD") == head


def test_fix_migrates_to_exactly_the_new_layout(legacy: tuple[Path, dict[str, str]]) -> None:
    tree, expected = legacy
    run = vend("check", "--trunk", tree, "--fix")
    assert run.code == 0, run.stderr
    assert _files(tree) == expected
    status = git(tree, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert " D subscriptions/dev/index.json" in status and " D subscriptions/prod/index.json" in status
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "Migrate the trunk to the sharded layout")
    assert vend("check", "--trunk", tree).code == 0


def test_migration_keeps_the_recorded_policy_and_the_tombstones(legacy: tuple[Path, dict[str, str]]) -> None:
    tree, _ = legacy
    index = json.loads((tree / "subscriptions/dev/index.json").read_text())
    index["subscriptions"]["team-0"]["deletionPolicy"] = "retain"
    (tree / "subscriptions/dev/index.json").write_text(json.dumps(index))
    assert vend("check", "--trunk", tree, "--fix").code == 0
    assert json.loads((tree / "subscriptions/dev/team-0/facts.json").read_text())["deletionPolicy"] == "retain"
    assert "destroyResourcesOnDeletion: false" in (tree / "subscriptions/dev/team-0/terraform.yaml").read_text()
    tombstones = list((tree / "subscriptions/dev/_decommissioned").glob("*/team-5.json"))
    assert [json.loads(path.read_text())["deletionPolicy"] for path in tombstones] == ["cancel"]

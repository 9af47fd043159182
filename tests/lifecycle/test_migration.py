"""A trunk made by vending 0.1 (``init`` then one ``submit``): ``check`` says what changes and ``check --fix``
migrates it, leaving Flux's own ``flux-system/`` alone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from lifecycle_support import ADMIN, DATA, decommission, tombstone
from testing.cli import run_cli
from testing.trunks import git, init_trunk
from tooling import require_tool

GOTK_SYNC = "# Flux bootstrap's own objects\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n"


@pytest.fixture
def old_trunk(tmp_path: Path) -> Path:
    """A working tree laid out as vending 0.1 left it, with Flux bootstrapped into the same folder."""
    trunk = init_trunk(tmp_path / "trunk")
    shutil.rmtree(trunk / "clusters" / "main" / "vending")
    shutil.copytree(DATA / "trunk-0.1", trunk, dirs_exist_ok=True)
    (trunk / "clusters/main/flux-system").mkdir()
    (trunk / "clusters/main/flux-system/gotk-sync.yaml").write_text(GOTK_SYNC, encoding="utf-8")
    git(trunk, "add", "-A")
    git(trunk, *ADMIN, "commit", "--quiet", "-m", "The trunk as vending 0.1 left it")
    return trunk


def test_check_names_what_the_migration_changes(old_trunk: Path) -> None:
    run = run_cli("--output", "json", "check", "--trunk", old_trunk)
    assert run.code == 6
    files = {finding["file"]: finding["message"] for finding in run.json()["findings"]}
    assert (
        "clusters/main/subscriptions-dev.yaml" in files
        and "vending check --fix" in files["clusters/main/kustomization.yaml"]
    )
    assert "clusters/main/vending/subscriptions-dev.yaml" in files
    assert "subscriptions/dev/app-dev/terraform.yaml" in files
    assert files["subscriptions/dev/app-dev/request.yaml"].startswith("stale render (interface 0.1.0, module v0.1.0)")
    assert not [name for name in files if "flux-system" in name]


def test_check_fix_migrates_and_keeps_flux_system(old_trunk: Path) -> None:
    fixed = run_cli("check", "--trunk", old_trunk, "--fix")
    assert fixed.code == 0, fixed.stderr
    assert run_cli("check", "--trunk", old_trunk).code == 0
    cluster = old_trunk / "clusters" / "main"
    assert (cluster / "flux-system/gotk-sync.yaml").read_text(encoding="utf-8") == GOTK_SYNC
    assert sorted(p.name for p in cluster.iterdir()) == ["flux-system", "vending"]
    for environment in ("dev", "prod"):
        spec = yaml.safe_load((cluster / f"vending/subscriptions-{environment}.yaml").read_text())["spec"]
        assert spec["deletionPolicy"] == "Orphan"
    trunk_source = yaml.safe_load((cluster / "vending/trunk-source.yaml").read_text())["spec"]
    assert trunk_source["url"].startswith("ssh://") and trunk_source["secretRef"] == {"name": "vending-trunk-auth"}
    flux = yaml.safe_load((old_trunk / "subscriptions/dev/app-dev/terraform.yaml").read_text())["spec"]
    assert flux["interval"] == "24h"


def test_migrated_trunk_builds_and_decommissions(old_trunk: Path) -> None:
    assert run_cli("check", "--trunk", old_trunk, "--fix").code == 0
    git(old_trunk, "add", "-A")
    git(old_trunk, *ADMIN, "commit", "--quiet", "-m", "Migrate")
    assert decommission(old_trunk, "app-dev", "--requested-by", "carol@contoso.com").code == 0
    assert tombstone(old_trunk, "app-dev")["requestedBy"] == "carol@contoso.com"


def test_migrated_cluster_folder_builds_with_kustomize(old_trunk: Path) -> None:
    kubectl = require_tool("kubectl")
    assert run_cli("check", "--trunk", old_trunk, "--fix").code == 0
    built = subprocess.run(
        [kubectl, "kustomize", str(old_trunk / "clusters/main/vending")], capture_output=True, text=True, check=True
    )
    kinds = sorted(doc["kind"] for doc in yaml.safe_load_all(built.stdout))
    assert kinds == ["GitRepository", "Kustomization", "Kustomization", "Kustomization"]

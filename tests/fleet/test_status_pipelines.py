"""The scheduled status job: its templates pass actionlint, zizmor and shellcheck, and its script records
the status read by kubectl (a stand-in that prints what kubectl would) into a trunk, then nothing more."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from controller_documents import kubectl_list, ready, terraform
from fleet_support import ADMINS
from testing.trunks import git
from tooling import require_tool

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "status.yml"
CALLER = REPO / "examples" / "github" / "status-caller.yml"
SCRIPT = REPO / "pipelines" / "status.sh"


def test_actionlint_and_zizmor_find_nothing() -> None:
    actionlint = os.environ.get("VENDING_ACTIONLINT") or require_tool("actionlint")
    linted = subprocess.run([actionlint, str(WORKFLOW), str(CALLER)], capture_output=True, text=True, cwd=REPO)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    config = REPO / ".github" / "zizmor.yml"
    command = [
        require_tool("zizmor"),
        "--offline",
        "--no-progress",
        "--config",
        str(config),
        str(WORKFLOW),
        str(CALLER),
    ]
    audited = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert audited.returncode == 0, audited.stdout + audited.stderr


def test_shellcheck_finds_nothing() -> None:
    result = subprocess.run([require_tool("shellcheck"), str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_the_script_records_what_kubectl_reads(remote: Path, tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    listing = tmp_path / "listing.json"
    listing.write_text(json.dumps(kubectl_list(terraform("app-dev", ready()))), encoding="utf-8")
    kubectl = tools / "kubectl"
    kubectl.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/args"\ncat "{listing}"\n', encoding="utf-8")
    kubectl.chmod(0o755)
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\n", encoding="utf-8")
    vending = Path(sys.executable).parent
    env = {
        "PATH": f"{tools}:{vending}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "TMPDIR": os.environ.get("TMPDIR", str(tmp_path)),
        "VEND_TRUNK": str(remote),
        "VEND_IDENTITY": ADMINS,
        "VEND_KUBECONFIG": str(kubeconfig),
    }
    before = git(remote, "rev-parse", "main").strip()
    first = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "recorded 3 changed records" in first.stdout
    assert (tmp_path / "args").read_text().split()[:4] == [
        "--kubeconfig", str(kubeconfig), "get", "terraforms.infra.contrib.fluxcd.io,secrets",
    ]  # fmt: skip
    assert git(remote, "rev-parse", "main~1").strip() == before
    again = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "recorded nothing" in again.stdout

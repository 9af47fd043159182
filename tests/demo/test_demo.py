"""``vending demo`` runs to completion, shows each stage, and leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

from testing.cli import cli_argv, run_cli

REPO = Path(__file__).resolve().parents[2]


def test_packaged_demo_requests_are_the_examples() -> None:
    packaged = REPO / "vending" / "data" / "demo"
    for example in sorted((REPO / "examples" / "requests").glob("*.yaml")):
        assert (packaged / example.name).read_text() == example.read_text(), f"{example.name} differs"


def test_demo_runs_end_to_end_and_cleans_up(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "COLUMNS": "120"}
    result = subprocess.run(
        cli_argv("demo"),
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Azure pre-flight checks" in out
    assert "Vending-Request: payments-prod" in out and "Azure-Checks: passed" in out
    assert "subscriptions/prod/payments-prod/terraform.yaml" in out
    assert "kind: Terraform" in out
    assert "trunk is clean" in out
    assert "3 request(s) committed, 1 refused" in out
    assert "legacy-app-two" in out and "refused" in out
    assert list(tmp_path.iterdir()) == [], "the demo left files behind"


def test_demo_keep_directory(tmp_path: Path, temp_dir: Path) -> None:
    keep = tmp_path / "demo"
    before = threading.active_count()
    result = run_cli("demo", "--keep", keep)
    assert result.code == 0, result.stderr
    log = subprocess.run(
        ["git", "-C", str(keep / "trunk.git"), "log", "--format=%s"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert log[:3] == ["Vend payments-prod in prod", "Vend platform-management in dev", "Vend app-dev in dev"]
    assert threading.active_count() <= before, "the emulator's threads were left running"
    assert list(temp_dir.iterdir()) == [], "the demo left files in the temp dir"

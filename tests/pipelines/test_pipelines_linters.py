"""actionlint and zizmor find nothing in the GitHub workflows, the composite action and the sample caller.

Each zizmor suppression lives, justified, in .github/zizmor.yml.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pipeline_support import ACTION, GITHUB_CALLER, REPO, WORKFLOW
from tooling import require_tool

ZIZMOR_CONFIG = REPO / ".github" / "zizmor.yml"


def _actionlint() -> str:
    return os.environ.get("VENDING_ACTIONLINT") or require_tool("actionlint")


def _zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    command = [require_tool("zizmor"), "--offline", "--no-progress", "--config", str(ZIZMOR_CONFIG), *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_actionlint_finds_nothing() -> None:
    result = subprocess.run(
        [_actionlint(), str(WORKFLOW), str(GITHUB_CALLER)], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    result = _zizmor(WORKFLOW, ACTION, GITHUB_CALLER)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_reports_a_tag_pinned_action(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8")
    broken = workflows / "vend.yml"
    broken.write_text(text.replace("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@v4"))
    result = _zizmor(broken)
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout

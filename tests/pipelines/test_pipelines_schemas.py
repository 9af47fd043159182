"""Every pipeline file validates offline against check-jsonschema's vendored schemas."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pipeline_support import REPO
from tooling import require_tool

WORKFLOWS = ["--builtin-schema", "vendor.github-workflows"]
ACTIONS = ["--builtin-schema", "vendor.github-actions"]
# The default regex engine of check-jsonschema crashes on a pattern of the Azure Pipelines schema
# (triggers); the non-unicode variant reads it fine.
AZURE = [
    "--builtin-schema",
    "vendor.azure-pipelines",
    "--data-transform",
    "azure-pipelines",
    "--regex-variant",
    "nonunicode",
]

SCHEMA_OF = {
    ".github/workflows/vend.yml": WORKFLOWS,
    "examples/github/caller.yml": WORKFLOWS,
    "pipelines/github/action.yml": ACTIONS,
    "pipelines/azure-devops/vend.yml": AZURE,
    "examples/azure-devops/azure-pipelines.yml": AZURE,
    ".github/workflows/status.yml": WORKFLOWS,
    "examples/github/status-caller.yml": WORKFLOWS,
    "pipelines/azure-devops/status.yml": AZURE,
    "examples/azure-devops/status-schedule.yml": AZURE,
}
PIPELINE_DIRS = [".github/workflows", "pipelines", "examples/github", "examples/azure-devops"]


def _check(paths: list[Path], schema: list[str]) -> subprocess.CompletedProcess[str]:
    tool = require_tool("check-jsonschema")
    return subprocess.run([tool, *schema, *map(str, paths)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("relative", sorted(SCHEMA_OF))
def test_pipeline_file_matches_its_schema(relative: str) -> None:
    result = _check([REPO / relative], SCHEMA_OF[relative])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_every_pipeline_yaml_is_checked() -> None:
    found = {
        path.relative_to(REPO).as_posix()
        for directory in PIPELINE_DIRS
        for pattern in ("*.yml", "*.yaml")
        for path in (REPO / directory).rglob(pattern)
    }
    assert found == set(SCHEMA_OF)


def test_schema_check_rejects_a_broken_reusable_workflow(tmp_path: Path) -> None:
    text = (REPO / ".github/workflows/vend.yml").read_text(encoding="utf-8")
    broken = tmp_path / "vend.yml"
    broken.write_text(text.replace("type: boolean", "type: array", 1), encoding="utf-8")
    result = _check([broken], WORKFLOWS)
    assert result.returncode == 1
    assert "inputs" in result.stdout


def test_schema_check_rejects_a_broken_azure_template(tmp_path: Path) -> None:
    text = (REPO / "pipelines/azure-devops/vend.yml").read_text(encoding="utf-8")
    broken = tmp_path / "vend.yml"
    broken.write_text(text.replace("scriptType: bash", "scriptType: fish"), encoding="utf-8")
    result = _check([broken], AZURE)
    assert result.returncode == 1

"""Golden cases: ``golden/<case>/request.yaml`` (+ optional ``config.yaml`` merged into the default
``vending.yaml``) rendered by ``vending render`` must equal ``golden/<case>/expected/`` byte for byte.

Regenerate with ``pytest tests/render --update-goldens`` and review the diff like code.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from render_support import CONFIG_OVERRIDES, golden_cases, read_tree
from testing.cli import run_cli
from testing.trunks import write_trunk_layout


def case_overrides(case: Path) -> dict[str, Any]:
    path = case / CONFIG_OVERRIDES
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} must hold a mapping"
    return data


def render_case(case: Path, work: Path) -> Path:
    """Render one golden case into ``work/out`` through the CLI, as a user would."""
    trunk, out = work / "trunk", work / "out"
    write_trunk_layout(trunk, case_overrides(case))
    request = work / "requests" / "request.yaml"
    request.parent.mkdir(parents=True)
    shutil.copyfile(case / "request.yaml", request)
    assert run_cli("render", request, "--trunk", trunk, "--out", out).code == 0
    return out


@pytest.mark.parametrize("case", golden_cases(), ids=lambda path: path.name)
def test_golden(case: Path, tmp_path: Path, update_goldens: bool) -> None:
    out = render_case(case, tmp_path)
    expected_dir = case / "expected"
    if update_goldens:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    actual, expected = read_tree(out), read_tree(expected_dir)
    assert sorted(actual) == sorted(expected), "rendered file list differs from the golden"
    for path, content in expected.items():
        assert actual[path].decode() == content.decode(), f"{case.name}: {path} differs from the golden"


def test_golden_cases_cover_the_required_shapes() -> None:
    names = {case.name for case in golden_cases()}
    assert {"dev-ea-minimal", "prod-mca-full", "adopt-existing", "trunk-delivery", "azurerm-backend"} <= names

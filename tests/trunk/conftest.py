"""Fixtures for the trunk tests: a fresh bare remote made by ``vending init``, no CI host variables."""

from __future__ import annotations

from pathlib import Path

import pytest
from trunk_support import CI_VARIABLES, make_trunk


@pytest.fixture(autouse=True)
def _no_ci_host(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return make_trunk(tmp_path)


@pytest.fixture
def requests_dir(tmp_path: Path) -> Path:
    path = tmp_path / "requests"
    path.mkdir()
    return path

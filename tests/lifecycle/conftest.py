"""Fixtures for the lifecycle tests: a trunk made by ``vending init`` and published as a bare remote."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.trunks import make_trunk


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return make_trunk(tmp_path)


@pytest.fixture
def requests_dir(tmp_path: Path) -> Path:
    path = tmp_path / "requests"
    path.mkdir()
    return path

"""Fixtures for the approval tests: a trunk made by ``vending init`` with one prod subscription vended."""

from __future__ import annotations

from pathlib import Path

import pytest
from approve_support import PROD, submit
from testing.requests import prod_request, write_request
from testing.trunks import make_trunk


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return make_trunk(tmp_path)


@pytest.fixture
def vended(remote: Path, tmp_path: Path) -> Path:
    """The trunk with ``app-prod`` vended by the prod team."""
    path = write_request(tmp_path / "requests", prod_request(tags={"costCenter": "4711"}))
    result = submit(remote, path, identity=PROD)
    assert result.code == 0, result.stderr
    return remote

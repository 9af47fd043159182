"""A trunk for the fleet tests, made once per module through the CLI: ``app-dev`` (dev, plans applied
automatically), ``app-prod`` (prod, manual approval) and ``old-dev`` (vended, then decommissioned)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fleet_support import DEV_OWNER, PROD_OWNER
from testing.cli import run_cli
from testing.requests import prod_request, request_data, write_request
from testing.trunks import make_trunk


def submit(remote: Path, request: Path, identity: str) -> None:
    result = run_cli("submit", request, "--trunk", remote, "--as", identity, "--skip-azure-checks")
    assert result.code == 0, result.stderr


@pytest.fixture(scope="module")
def fleet_trunk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fleet")
    remote = make_trunk(base)
    requests = base / "requests"
    submit(remote, write_request(requests, request_data("app-dev")), DEV_OWNER)
    submit(remote, write_request(requests, request_data("old-dev")), DEV_OWNER)
    submit(remote, write_request(requests, prod_request("app-prod")), PROD_OWNER)
    result = run_cli(
        "decommission", "old-dev", "--trunk", remote, "--as", DEV_OWNER, "--confirm", "old-dev",
        "--requested-by", "alice@contoso.com",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return remote


@pytest.fixture
def remote(fleet_trunk: Path, tmp_path: Path) -> Path:
    """A private copy of the fleet trunk's bare remote, for tests that commit to it."""
    copy = tmp_path / "remote.git"
    shutil.copytree(fleet_trunk, copy)
    return copy

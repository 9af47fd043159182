"""No Azure login: one line with what to do; azure-identity's list of every credential it tried only with --debug."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from testing.cli import Result, run_subprocess
from testing.environment import clean_environment
from testing.requests import request_data, write_request

CHAIN_LINES = ("Attempted credentials:", "EnvironmentCredential:", "AzureCliCredential:")


def without_login(tmp_path: Path) -> dict[str, str]:
    """No Azure credential anywhere: no AZURE_* variables, a fresh HOME, no az on PATH."""
    env = {key: value for key, value in clean_environment().items() if not key.startswith(("AZURE_", "VENDING_"))}
    env.update(
        HOME=str(tmp_path / "home"), PATH=os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"])
    )
    return env


def validate_against_azure(tmp_path: Path, *debug: str) -> Result:
    request = write_request(tmp_path, request_data())
    args = [*debug, "validate", str(request), "--azure", "--arm-endpoint", "https://management.example.invalid"]
    return run_subprocess(*args, env=without_login(tmp_path), timeout=120)


def test_no_login_prints_one_line_with_the_hint(tmp_path: Path) -> None:
    result = validate_against_azure(tmp_path)
    if "cannot authenticate" not in result.stderr:
        pytest.skip(f"this machine has an Azure credential: {result.stderr[:200]}")
    assert result.code == 3
    assert result.stderr.count("\n") == 1, result.stderr
    assert "run `az login`" in result.stderr
    assert "--debug lists each credential tried" in result.stderr
    for line in CHAIN_LINES:
        assert line not in result.stderr


def test_debug_shows_the_credential_chain(tmp_path: Path) -> None:
    result = validate_against_azure(tmp_path, "--debug")
    if "cannot authenticate" not in result.stderr:
        pytest.skip(f"this machine has an Azure credential: {result.stderr[:200]}")
    assert result.code == 3
    for line in CHAIN_LINES:
        assert line in result.stderr

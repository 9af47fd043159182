"""A clean environment for tests: no CI host variables, and a temp dir of the test's own."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

CI_VARIABLES = (
    "GITHUB_ACTIONS",
    "GITHUB_ACTOR",
    "GITHUB_ACTOR_ID",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_OUTPUT",
    "TF_BUILD",
    "BUILD_REQUESTEDFOR",
    "BUILD_REQUESTEDFOREMAIL",
    "AGENT_TEMPDIRECTORY",
)
"""Variables by which vending detects a CI host and finds where to write its reports."""

TEMP_VARIABLES = ("TMPDIR", "TEMP", "TMP")


def scrub_ci_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove every CI host variable from ``os.environ`` for the rest of the test."""
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a subprocess: this one without CI host variables, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if key not in CI_VARIABLES}
    env.update(extra or {})
    return env


def use_temp_dir(monkeypatch: pytest.MonkeyPatch, directory: Path) -> Path:
    """Point ``tempfile`` and child processes (``TMPDIR``, ``TEMP``, ``TMP``) at ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in TEMP_VARIABLES:
        monkeypatch.setenv(name, str(directory))
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory

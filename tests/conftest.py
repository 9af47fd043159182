"""Shared test root: pytest puts this directory on sys.path, so tests import ``testing`` and ``tooling``.

Every test runs without CI host variables and with a temp dir of its own (``tempfile`` and the
``TMPDIR`` child processes inherit), so no test reads or leaves anything in the shared system temp dir.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.environment import scrub_ci_variables, use_temp_dir


@pytest.fixture(autouse=True)
def _no_ci_host(monkeypatch: pytest.MonkeyPatch) -> None:
    scrub_ci_variables(monkeypatch)


@pytest.fixture(autouse=True)
def temp_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own temp dir (beside ``tmp_path``, not inside it, so ``tmp_path`` starts empty)."""
    return use_temp_dir(monkeypatch, tmp_path_factory.mktemp("tempdir"))

"""Fixtures for the request tests (helpers live in ``request_support`` and the ``testing`` toolkit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from request_support import Sandbox, make_sandbox
from testing.cli import Cli, run_cli


@pytest.fixture
def cli() -> Cli:
    return run_cli


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    yield from make_sandbox(tmp_path, monkeypatch)

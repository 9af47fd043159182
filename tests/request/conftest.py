"""Fixtures for the request tests (helpers live in ``request_support``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from request_support import Cli, Sandbox, make_sandbox


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)


@pytest.fixture
def sandbox(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Sandbox]:
    yield from make_sandbox(tmp_path, capsys, monkeypatch)

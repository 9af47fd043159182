"""A running local ARM emulator per test, reached over HTTPS by the real Azure SDK."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vending.emulator import Emulator, run_emulator


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with run_emulator(retry_after=0, seed=11) as running:
        yield running

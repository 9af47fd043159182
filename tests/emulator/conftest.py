"""Fixtures for the emulator tests: a running emulator, a credential, a raw HTTPS client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emulator_support import Http, StaticCredential

from vending.emulator import Emulator, run_emulator


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with run_emulator(retry_after=0, seed=7) as running:
        yield running


@pytest.fixture
def credential() -> StaticCredential:
    return StaticCredential()


@pytest.fixture
def http(emu: Emulator) -> Iterator[Http]:
    client = Http(emu)
    yield client
    client.session.close()

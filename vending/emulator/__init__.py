"""A local Azure Resource Manager emulator over HTTPS, for tests and demos (see docs/emulator.md)."""

from __future__ import annotations

from vending.emulator.config import BucketLimit, EmulatorConfig, ThrottleLimits
from vending.emulator.defaults import default_state
from vending.emulator.server import Emulator, run_emulator, write_info_file
from vending.emulator.state import Alias, EmulatorState
from vending.emulator.statefile import load_state, state_from_document

__all__ = [
    "Alias",
    "BucketLimit",
    "Emulator",
    "EmulatorConfig",
    "EmulatorState",
    "ThrottleLimits",
    "default_state",
    "load_state",
    "run_emulator",
    "state_from_document",
    "write_info_file",
]

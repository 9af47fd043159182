"""``python -m vending.emulator``: the same as ``vending emulator``."""

from __future__ import annotations

from vending.emulator.command import emulator

if __name__ == "__main__":
    emulator(prog_name="python -m vending.emulator")

"""Locating external tools for tests: skip when absent, fail instead when VENDING_REQUIRE_TOOLS=1."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest


def _find(name: str) -> str | None:
    beside_python = Path(sys.executable).parent / name
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    return shutil.which(name)


def require_tool(name: str) -> str:
    """The path of ``name`` (next to the running interpreter first, then on PATH).

    When the tool is missing the calling test is skipped, or fails if VENDING_REQUIRE_TOOLS=1.
    """
    path = _find(name)
    if path is not None:
        return path
    message = f"{name} is not installed (looked next to {sys.executable} and on PATH)"
    if os.environ.get("VENDING_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)

"""The interface version: read from the single ``VERSION`` file."""

from __future__ import annotations

from pathlib import Path


def _read_version() -> str:
    source_file = Path(__file__).resolve().parent.parent / "VERSION"
    if source_file.is_file():
        return source_file.read_text(encoding="utf-8").strip()
    from importlib import metadata  # an installed wheel only: importing it costs start-up time

    return metadata.version("vending")


INTERFACE_VERSION = _read_version()

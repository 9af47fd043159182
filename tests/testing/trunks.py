"""Trunks for tests: one made by ``vending init`` (published as a bare remote), or its layout alone."""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from testing.cli import run_cli
from vending.render.trunkfiles import derived_files
from vending.request.yamlio import dump_yaml
from vending.trunk.config import CONFIG_FILE, TrunkConfig, default_config, load_config_text
from vending.version import INTERFACE_VERSION

TEST_CONFIG_HEADER = "# vending trunk configuration (test trunk).\n"


def git(cwd: Path, *args: str, check: bool = True) -> str:
    """Run ``git ARGS`` in ``cwd``; its stdout. A failure fails the test unless ``check`` is false."""
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def init_trunk(path: Path, *, org: str = "example") -> Path:
    """A trunk working tree made by ``vending init`` at ``path``."""
    result = run_cli("init", path, "--org", org)
    assert result.code == 0, result.stderr
    return path


def make_trunk(base: Path, *, org: str = "example") -> Path:
    """A trunk made by ``vending init`` in ``base/trunk-src``, published as the bare ``base/remote.git``.

    Returns the bare remote, which is what ``--trunk`` gets in the submit and decommission tests.
    """
    source = init_trunk(base / "trunk-src", org=org)
    remote = base / "remote.git"
    git(base, "clone", "--quiet", "--bare", str(source), str(remote))
    return remote


def deep_merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``overrides`` applied: mappings merge key by key, anything else replaces."""
    merged = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def trunk_config_data(overrides: Mapping[str, Any] | None = None, *, org: str = "example") -> dict[str, Any]:
    """``vending.yaml`` as ``vending init`` writes it, as data, with ``overrides`` merged in."""
    return deep_merge(default_config(org), overrides or {})


def write_files(root: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")


def write_trunk_layout(root: Path, overrides: Mapping[str, Any] | None = None) -> TrunkConfig:
    """The files of a trunk as ``vending init`` lays them out (no git), config ``overrides`` applied.

    Returns the loaded ``TrunkConfig``.
    """
    text = dump_yaml(trunk_config_data(overrides), TEST_CONFIG_HEADER)
    config = load_config_text(text)
    write_files(root, {CONFIG_FILE: text, **derived_files(config, INTERFACE_VERSION)})
    return config

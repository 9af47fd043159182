"""Helpers for the render tests: nasty strings, golden cases, a vended fleet, file trees, kustomize.

The CLI runner, trunks and the request builder live in the ``testing`` toolkit.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from testing.cli import run_cli
from testing.requests import request_data, without_nulls
from testing.trunks import init_trunk, write_trunk_layout

from vending.request.yamlio import dump_yaml

REPO = Path(__file__).resolve().parents[2]
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
CONFIG_OVERRIDES = "config.yaml"
# Strings that mean something to HCL, YAML, shells or editors; free text must survive all of them.
NASTY = [
    '"',
    "\\",
    '\\"',
    "${",
    "%{",
    "$${",
    "%%{",
    "${var.x}",
    "%{ if true }x%{ endif }",
    "}",
    "{",
    "\n",
    "\r\n",
    "\t",
    "\u2028",
    "\u2029",
    "\x85",
    "#",
    "//",
    "/*",
    "*/",
    "<<EOT\n",
    "EOT",
    "- ",
    ": ",
    "&a",
    "*a",
    "!tag",
    "|",
    ">",
    "'",
    "@",
    "`",
    "  ",
    "no",
    "yes",
    "on",
    "off",
    "true",
    "null",
    "~",
    "0x1F",
    "0o17",
    "1e3",
    "1_000",
    ".inf",
    ".NaN",
    "=",
    "<<",
    "---",
    "...",
    "?",
    "%",
    "\ufeff",
    "\x00",
    "\x1b",
    "é",
    "日本",
    "🙂",
    "\u200b",
    "\\u0024{",
    "\\n",
    "0123",
    "2001-12-14",
]


def write_request(directory: Path, data: Mapping[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{data['name']}.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    return path


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its POSIX relative path."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def golden_cases() -> list[Path]:
    return sorted(path for path in GOLDEN_DIR.iterdir() if (path / "request.yaml").is_file())


FLEET = [
    request_data("app-dev", "dev", tags={"team": "app", "note": "a: b\n- c"}),
    request_data("web-dev", "dev", network={"addressSpace": ["10.1.0.0/24"], "hubPeering": False}),
    request_data(
        "platform-management",
        "dev",
        billingScope=None,
        subscriptionId="00000000-0000-0000-0000-0000000000aa",
        managementGroup="mg-platform",
    ),
    request_data(
        "payments-prod",
        "prod",
        managementGroup="mg-corp-prod",
        budget={"amount": 100, "timeGrain": "Monthly", "thresholds": [80], "contactEmails": ["finops@contoso.com"]},
    ),
]


def vended_trunk(tmp_path: Path, overrides: dict[str, Any] | None = None) -> Path:
    """A trunk made by ``vending init`` (config overrides applied on top) with the fleet rendered into
    it by ``vending render``."""
    trunk = init_trunk(tmp_path / "trunk")
    if overrides:
        write_trunk_layout(trunk, overrides)
    paths = [write_request(tmp_path / "requests", without_nulls(data)) for data in FLEET]
    rendered = tmp_path / "rendered"
    result = run_cli("render", *paths, "--trunk", trunk, "--out", rendered)
    assert result.code == 0, result.stderr
    shutil.copytree(rendered, trunk, dirs_exist_ok=True)
    return trunk


def kustomize(kubectl: str, directory: Path) -> list[dict[str, Any]]:
    result = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]

"""Helpers for the render tests: trunks on disk, requests as data, the CLI in-process, file trees."""

from __future__ import annotations

import copy
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from vending.cli.main import main
from vending.render.trunkfiles import derived_files
from vending.request.yamlio import dump_yaml
from vending.trunk.config import CONFIG_FILE, TrunkConfig, default_config, load_config_text
from vending.trunk.state import EnvironmentIndex
from vending.version import INTERFACE_VERSION

REPO = Path(__file__).resolve().parents[2]
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
CONFIG_OVERRIDES = "config.yaml"
CONFIG_HEADER = "# vending trunk configuration (test trunk).\n"
BILLING_EA = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
OWNER = "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b"
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


def deep_merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``overrides`` applied: mappings merge key by key, anything else replaces."""
    merged = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def trunk_config_data(overrides: Mapping[str, Any] | None = None, org: str = "example") -> dict[str, Any]:
    return deep_merge(default_config(org), overrides or {})


def write_files(root: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")


def make_trunk(root: Path, overrides: Mapping[str, Any] | None = None) -> TrunkConfig:
    """A trunk working tree as ``vending init`` lays it out (without git), with config overrides."""
    text = dump_yaml(trunk_config_data(overrides), CONFIG_HEADER)
    config = load_config_text(text)
    indexes = [EnvironmentIndex(env) for env in sorted(config.environments)]
    write_files(root, {CONFIG_FILE: text, **derived_files(config, indexes, INTERFACE_VERSION)})
    return config


def request_data(name: str = "app-dev", environment: str = "dev", **fields: Any) -> dict[str, Any]:
    """A valid request as plain data; ``fields`` adds or replaces keys."""
    data: dict[str, Any] = {
        "interfaceVersion": INTERFACE_VERSION,
        "name": name,
        "displayName": "App team",
        "environment": environment,
        "billingScope": BILLING_EA,
        "managementGroup": "mg-corp-dev",
        "location": "westeurope",
        "owners": [{"principalId": OWNER, "principalType": "Group"}],
        "requestedBy": "alice@contoso.com",
    }
    data.update(fields)
    return data


def write_request(directory: Path, data: Mapping[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{data['name']}.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    return path


def run_cli(*args: str | os.PathLike[str]) -> int:
    """Run ``vending`` in-process through its real entry point; the exit code."""
    return main([str(arg) for arg in args])


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
    trunk = tmp_path / "trunk"
    assert run_cli("init", trunk) == 0
    if overrides:
        make_trunk(trunk, overrides)
    paths = [write_request(tmp_path / "requests", {k: v for k, v in data.items() if v is not None}) for data in FLEET]
    assert run_cli("render", *paths, "--trunk", trunk, "--out", trunk) == 0
    return trunk


def kustomize(kubectl: str, directory: Path) -> list[dict[str, Any]]:
    result = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]

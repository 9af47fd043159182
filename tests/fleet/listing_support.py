"""A small fleet for the list and show tests: a trunk with live, adopted, decommissioned and recorded names."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from testing.cli import run_cli
from testing.trunks import git, init_trunk

from vending.trunk.records import StatusRecord, record_path

DEV, PROD = "@example/platform-dev", "@example/platform-prod"
ADMINS = "@example/platform-admins"
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "requests"
SUBSCRIPTION_ID = "11111111-2222-3333-4444-555555555555"


def submit(trunk: Path, identity: str, *requests: Path) -> None:
    result = run_cli("submit", *requests, "--trunk", trunk, "--as", identity, "--skip-azure-checks")
    assert result.code == 0, result.stderr


def record_status(trunk: Path, record: StatusRecord) -> None:
    """A recorded status, committed as ``vending status --record`` would."""
    path = trunk / record_path(record.environment, record.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record.text(), encoding="utf-8")
    git(trunk, "add", "-A")
    git(trunk, "-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-qm", "status: recorded")


def build_fleet(base: Path) -> Path:
    """A trunk with app-dev (status recorded), payments-prod, platform-management (adopted, decommissioned)."""
    trunk = init_trunk(base / "trunk")
    submit(trunk, DEV, EXAMPLES / "app-dev.yaml", EXAMPLES / "platform-management.yaml")
    submit(trunk, PROD, EXAMPLES / "payments-prod.yaml")
    decommission = ("decommission", "platform-management", "--trunk", trunk, "--as", DEV)
    done = run_cli(*decommission, "--confirm", "platform-management", "--requested-by", "bob@contoso.com")
    assert done.code == 0, done.stderr
    since = "2026-01-02T03:04:05Z"
    record_status(trunk, StatusRecord("app-dev", "dev", "ready", since, subscriptionId=SUBSCRIPTION_ID))
    return trunk


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((files("vending") / "schemas" / "output" / name).read_text("utf-8"))
    return loaded

"""Helpers for the approval tests: the CLI as a pipeline runs it, and the trunk read back from its bare remote."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from testing.cli import Result, run_cli
from testing.trunks import git

PROD = "@example/platform-prod"
DEV = "@example/platform-dev"
PLAN = "plan-v0.1.0-0123456789"
OTHER_PLAN = "plan-v0.1.0-abcdef0123"
DIRECTORY = "subscriptions/prod/app-prod"
APPROVAL = f"{DIRECTORY}/approval.json"
OBJECT = f"{DIRECTORY}/terraform.yaml"


def submit(remote: Path, *requests: Path, identity: str = PROD) -> Result:
    return run_cli("submit", *requests, "--trunk", remote, "--as", identity, "--skip-azure-checks")


def approve(remote: Path, plan: str = PLAN, *extra: str, name: str = "app-prod", identity: str = PROD) -> Result:
    args = ["approve", name, "--trunk", str(remote), "--as", identity, "--plan", plan]
    return run_cli(*args, "--requested-by", "carol@contoso.com", *extra)


def tip(remote: Path) -> str:
    return git(remote, "rev-parse", "refs/heads/main").strip()


def show(remote: Path, path: str, rev: str = "main") -> str:
    return git(remote, "show", f"{rev}:{path}")


def exists(remote: Path, path: str, rev: str = "main") -> bool:
    probe = subprocess.run(["git", "cat-file", "-e", f"{rev}:{path}"], cwd=remote, capture_output=True, check=False)
    return probe.returncode == 0


def approve_plan(remote: Path) -> Any:
    """The ``approvePlan`` of the rendered object on the trunk's tip (None when it has none)."""
    import yaml

    return yaml.safe_load(show(remote, OBJECT))["spec"].get("approvePlan")


def approval_json(remote: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(show(remote, APPROVAL))
    return data


def changed_files(remote: Path, rev: str = "main") -> list[str]:
    return sorted(git(remote, "diff-tree", "--no-commit-id", "--name-only", "-r", rev).split())


def trailer_map(remote: Path, rev: str = "main") -> dict[str, str]:
    message = git(remote, "log", "-1", "--format=%B", rev)
    parsed = subprocess.run(
        ["git", "interpret-trailers", "--parse"], input=message, capture_output=True, text=True, check=True
    ).stdout
    return dict(line.split(": ", 1) for line in parsed.splitlines() if line)

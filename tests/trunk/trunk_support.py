"""Helpers for the trunk tests: real git trunks (a bare remote), generated requests, the CLI as a user runs it."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vending.cli.main import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "requests"
EA_SCOPE = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
OTHER_EA_SCOPE = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/1111111"
DEV = "@example/platform-dev"
PROD = "@example/platform-prod"
ADMINS = "@example/platform-admins"
CLI_SCRIPT = "import sys; from vending.cli.main import main; sys.exit(main(sys.argv[1:]))"
CI_VARIABLES = (
    "GITHUB_ACTIONS",
    "GITHUB_ACTOR",
    "GITHUB_ACTOR_ID",
    "TF_BUILD",
    "BUILD_REQUESTEDFOR",
    "BUILD_REQUESTEDFOREMAIL",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_OUTPUT",
)

BASE: dict[str, Any] = {
    "interfaceVersion": "0.1.0",
    "displayName": "Generated subscription",
    "environment": "dev",
    "billingScope": EA_SCOPE,
    "managementGroup": "mg-corp-dev",
    "location": "westeurope",
    "owners": [{"principalId": "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b", "principalType": "Group"}],
    "requestedBy": "alice@contoso.com",
}


@dataclass(frozen=True)
class Run:
    """One CLI run: exit code and what it printed."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def vend(*args: str | Path) -> Run:
    """Run ``vending ARGS`` in-process as a user would, capturing the exit code and output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return Run(code, out.getvalue(), err.getvalue())


def cli_command(*args: str | Path) -> list[str]:
    """argv of ``vending ARGS`` in a separate process."""
    return [sys.executable, "-c", CLI_SCRIPT, *(str(arg) for arg in args)]


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a subprocess: no CI host variables, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if key not in CI_VARIABLES}
    env.update(extra or {})
    return env


def git(cwd: Path, *args: str, check: bool = True) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def make_trunk(base: Path, org: str = "example") -> Path:
    """A trunk made by ``vending init``, published as a bare repository; returns the bare remote."""
    source = base / "trunk-src"
    run = vend("init", source, "--org", org)
    assert run.code == 0, run.stderr
    remote = base / "remote.git"
    git(base, "clone", "--quiet", "--bare", str(source), str(remote))
    return remote


def tip(remote: Path, branch: str = "main") -> str:
    return git(remote, "rev-parse", f"refs/heads/{branch}").strip()


def commits(remote: Path) -> list[str]:
    """Commit ids of the remote's main branch, oldest first."""
    return git(remote, "rev-list", "--reverse", "refs/heads/main").split()


def message(remote: Path, commit: str) -> str:
    return git(remote, "log", "-1", "--format=%B", commit)


def trailers(remote: Path, commit: str) -> list[tuple[str, str]]:
    """The commit's trailers as ``git interpret-trailers --parse`` reads them, in order."""
    parsed = subprocess.run(
        ["git", "interpret-trailers", "--parse"],
        input=message(remote, commit),
        capture_output=True,
        text=True,
        check=True,
        cwd=remote,
    ).stdout
    pairs = [line.split(": ", 1) for line in parsed.splitlines() if line]
    return [(key, value) for key, value in pairs]


def trailer_map(remote: Path, commit: str) -> dict[str, str]:
    return dict(trailers(remote, commit))


def changed_files(remote: Path, commit: str) -> list[str]:
    return sorted(git(remote, "diff-tree", "--no-commit-id", "--name-only", "-r", commit).split())


def show(remote: Path, path: str, rev: str = "main") -> str:
    return git(remote, "show", f"{rev}:{path}")


def exists(remote: Path, path: str, rev: str = "main") -> bool:
    probe = subprocess.run(["git", "cat-file", "-e", f"{rev}:{path}"], cwd=remote, capture_output=True, check=False)
    return probe.returncode == 0


def index_json(remote: Path, environment: str = "dev", rev: str = "main") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(show(remote, f"subscriptions/{environment}/index.json", rev))
    return data


def checkout(remote: Path, target: Path, rev: str | None = None) -> Path:
    """A working tree of the remote (at ``rev`` when given)."""
    git(remote.parent, "clone", "--quiet", str(remote), str(target))
    if rev is not None:
        git(target, "checkout", "--quiet", rev)
    return target


def push_admin_change(remote: Path, work: Path, files: dict[str, str | None], subject: str) -> str:
    """Commit a change straight to the remote as an admin would (outside vending); returns the new tip."""
    tree = checkout(remote, work)
    for rel, text in files.items():
        target = tree / rel
        if text is None:
            git(tree, "rm", "--quiet", rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        git(tree, "add", rel)
    git(tree, "-c", "user.name=admin", "-c", "user.email=admin@example.com", "commit", "--quiet", "-m", subject)
    git(tree, "push", "--quiet", "origin", "HEAD:main")
    return tip(remote)


def request_data(name: str, **changes: Any) -> dict[str, Any]:
    """A valid dev request named ``name`` with top-level keys replaced (``None`` removes a key)."""
    data = copy.deepcopy(BASE)
    data["name"] = name
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = copy.deepcopy(value)
    return data


def write_request(directory: Path, name: str, **changes: Any) -> Path:
    """A request file ``<directory>/<name>.yaml``."""
    return write_data(directory / f"{name}.yaml", request_data(name, **changes))


def write_data(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def network(index: int) -> dict[str, Any]:
    """A distinct private /24 for the ``index``-th generated request."""
    return {"addressSpace": [f"10.{100 + index // 256}.{index % 256}.0/24"], "hubPeering": False}


def submit_args(remote: str | Path, *requests: Path, identity: str = DEV) -> list[str | Path]:
    return ["submit", *requests, "--trunk", remote, "--as", identity, "--skip-azure-checks"]

"""Helpers for the request tests: request data, YAML files, the CLI as a user runs it, real git trunks."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from vending.cli.main import main
from vending.errors import Finding
from vending.request.load import validate_model
from vending.request.model import Request
from vending.request.yamlio import YamlDocument

EA_SCOPE = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
MCA_SCOPE = "/providers/Microsoft.Billing/billingAccounts/contoso-mca/billingProfiles/bp1/invoiceSections/is1"
MPA_SCOPE = "/providers/Microsoft.Billing/billingAccounts/contoso-mpa/customers/c-42"
GUID_A = "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b"
GUID_B = "0f8fad5b-d9cb-469f-a165-70867728950e"
DROP = object()
"""A value for ``request_data`` that removes the key."""

BASE_REQUEST: dict[str, Any] = {
    "interfaceVersion": "0.1.0",
    "name": "app-dev",
    "displayName": "App team (dev)",
    "environment": "dev",
    "billingScope": EA_SCOPE,
    "managementGroup": "mg-corp-dev",
    "location": "westeurope",
    "owners": [{"principalId": GUID_A, "principalType": "Group"}],
    "requestedBy": "alice@contoso.com",
}
BUDGET: dict[str, Any] = {
    "amount": 100,
    "timeGrain": "Monthly",
    "thresholds": [80, 100],
    "contactEmails": ["finops@contoso.com"],
}


def request_data(**changes: Any) -> dict[str, Any]:
    """A valid request (dev, EA) with top-level keys replaced; ``DROP`` removes a key."""
    data = copy.deepcopy(BASE_REQUEST)
    for key, value in changes.items():
        if value is DROP:
            data.pop(key, None)
        else:
            data[key] = copy.deepcopy(value)
    return data


def prod_request(name: str = "app-prod", **changes: Any) -> dict[str, Any]:
    """A valid prod request (prod requires a budget in a trunk made by ``vending init``)."""
    base = {
        "name": name,
        "displayName": "App team (prod)",
        "environment": "prod",
        "managementGroup": "mg-corp-prod",
        "budget": BUDGET,
    }
    return request_data(**{**base, **changes})


def write_request(directory: Path, data: dict[str, Any], filename: str | None = None) -> Path:
    """Write ``data`` as YAML to ``<name>.yaml`` (or ``filename``) in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (filename or f"{data.get('name', 'request')}.yaml")
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def write_text(directory: Path, filename: str, text: str | bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / filename
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Cli:
    """``vending`` run in-process through ``vending.cli.main``, output captured by capsys."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *args: str | Path) -> Result:
        self.capsys.readouterr()
        code = main([str(arg) for arg in args])
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)


def run_subprocess(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """``vending`` as a separate process (the package has no ``__main__``)."""
    command = [sys.executable, "-c", "import sys; from vending.cli.main import main; sys.exit(main())", *map(str, args)]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120)
    return Result(done.returncode, done.stdout, done.stderr)


# ---- the model alone ----------------------------------------------------------------------------------


def check(data: dict[str, Any]) -> tuple[Request | None, list[Finding]]:
    """Validate ``data`` as a request read from ``r.yaml``."""
    return validate_model(Request, YamlDocument("r.yaml", data))


def assert_valid(data: dict[str, Any]) -> Request:
    request, findings = check(data)
    assert findings == []
    assert request is not None
    return request


def assert_rejected(data: dict[str, Any], field: str, *words: str) -> Finding:
    request, findings = check(data)
    assert request is None
    matching = [f for f in findings if f.field == field]
    assert matching, f"no finding for {field!r}: {[f.render() for f in findings]}"
    for word in words:
        assert word in matching[0].message, matching[0].message
    assert all(f.file == "r.yaml" for f in findings)
    return matching[0]


# ---- git trunks ---------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.com", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD")


def is_clean(repo: Path) -> bool:
    return git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return head(repo)


def index_entry(
    workload: str = "DevTest",
    billing_scope: str | None = EA_SCOPE,
    subscription_id: str | None = None,
    address_space: list[str] | None = None,
) -> dict[str, Any]:
    """One live subscription as the documented ``index.json`` format holds it."""
    entry: dict[str, Any] = {"workload": workload}
    if billing_scope is not None:
        entry["billingScope"] = billing_scope
    if subscription_id is not None:
        entry["subscriptionId"] = subscription_id
    if address_space:
        entry["addressSpace"] = address_space
    return entry


def seed_index(
    trunk: Path,
    environment: str,
    subscriptions: dict[str, dict[str, Any]],
    decommissioned: dict[str, dict[str, Any]] | None = None,
) -> str:
    """Write ``subscriptions/<env>/index.json`` and commit it; returns the new HEAD."""
    document = {"schemaVersion": 1, "subscriptions": subscriptions, "decommissioned": decommissioned or {}}
    path = trunk / "subscriptions" / environment / "index.json"
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return commit_all(trunk, f"seed {environment}")


def edit_config(trunk: Path, environment: str, **settings: Any) -> str:
    """Change one environment's settings in ``vending.yaml`` and commit."""
    path = trunk / "vending.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["environments"][environment].update(settings)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return commit_all(trunk, f"policy for {environment}")


def tree_files(root: Path) -> set[str]:
    """Every file under ``root`` (relative paths), ``.git`` excluded."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if ".git" not in p.relative_to(root).parts}


# ---- the sandbox every CLI test runs in -----------------------------------------------------------


@dataclass
class Sandbox:
    """A trunk made by ``vending init``, a requests folder, an empty cwd and an empty temp dir."""

    root: Path
    trunk: Path
    requests: Path
    cwd: Path
    tmp: Path
    cli: Cli

    def snapshot(self) -> tuple[str, set[str]]:
        return head(self.trunk), tree_files(self.requests)

    def assert_untouched(self, before: tuple[str, set[str]]) -> None:
        """Nothing committed, nothing written: trunk HEAD and tree, requests, cwd and temp dir."""
        assert head(self.trunk) == before[0], "the trunk got a new commit"
        assert is_clean(self.trunk), git(self.trunk, "status", "--porcelain")
        assert tree_files(self.requests) == before[1]
        assert list(self.cwd.iterdir()) == [], "files were created in the working directory"
        assert list(self.tmp.iterdir()) == [], "files were left in the temp directory"

    def write(self, data: dict[str, Any], filename: str | None = None) -> Path:
        return write_request(self.requests, data, filename)

    def write_text(self, filename: str, text: str | bytes) -> Path:
        return write_text(self.requests, filename, text)


def make_sandbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, org: str = "example"
) -> Iterator[Sandbox]:
    cli = Cli(capsys)
    trunk = tmp_path / "trunk"
    result = cli("init", trunk, "--org", org)
    assert result.code == 0, result.stderr
    folders = [tmp_path / name for name in ("requests", "cwd", "tmp")]
    for folder in folders:
        folder.mkdir()
    monkeypatch.chdir(folders[1])
    monkeypatch.setattr("tempfile.tempdir", str(folders[2]))
    yield Sandbox(tmp_path, trunk, folders[0], folders[1], folders[2], cli)

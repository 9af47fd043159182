"""The shared pipeline script turns environment inputs into one vending command line."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pipeline_support import SCRIPT
from tooling import require_tool

FAKE_VENDING = """#!{python}
import json, os, sys
from pathlib import Path
keys = [key for key in os.environ if key.startswith(("GIT_CONFIG_", "AZURE_"))]
record = {{"argv": sys.argv[1:], "env": {{key: os.environ[key] for key in keys}}}}
Path(os.environ["FAKE_LOG"]).write_text(json.dumps(record))
sys.exit(int(os.environ.get("FAKE_EXIT", "0")))
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "vending"
    fake.write_text(FAKE_VENDING.format(python=sys.executable), encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    work = tmp_path / "work"
    (work / "requests" / "dev").mkdir(parents=True)
    for name in ("b.yaml", "a.yaml"):
        (work / "requests" / "dev" / name).write_text("name: x\n", encoding="utf-8")
    return tmp_path


def _run(workspace: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any] | None]:
    bash = require_tool("bash")
    log = workspace / "vending-call.json"
    env = {
        "PATH": f"{workspace / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "FAKE_LOG": str(log),
        "TMPDIR": str(workspace),
        **inputs,
    }
    result = subprocess.run(
        [bash, str(SCRIPT)], cwd=workspace / "work", env=env, capture_output=True, text=True, timeout=60
    )
    call = json.loads(log.read_text(encoding="utf-8")) if log.exists() else None
    return result, call


SUBMIT = {
    "VEND_MODE": "submit",
    "VEND_REQUESTS": "requests/dev/*.yaml\n  requests/prod/app.yaml",
    "VEND_TRUNK": "https://git.example.com/org/trunk.git",
    "VEND_IDENTITY": "@org/platform-dev",
    "VEND_TRUNK_TOKEN": "t0ken",
}


def test_submit_expands_globs_and_puts_requests_after_the_options(workspace: Path) -> None:
    result, call = _run(workspace, **SUBMIT)
    assert result.returncode == 0, result.stderr
    assert call is not None
    assert call["argv"] == [
        "--output", "json", "submit",
        "--trunk", "https://git.example.com/org/trunk.git", "--as", "@org/platform-dev", "--branch", "main",
        "--", "requests/dev/a.yaml", "requests/dev/b.yaml", "requests/prod/app.yaml",
    ]  # fmt: skip


@pytest.mark.parametrize("true", ["true", "True", "TRUE"])
def test_submit_switches_accept_github_and_azure_devops_booleans(workspace: Path, true: str) -> None:
    inputs = {**SUBMIT, "VEND_DRY_RUN": true, "VEND_SKIP_AZURE_CHECKS": true, "VEND_BRANCH": "release"}
    result, call = _run(workspace, **inputs)
    assert result.returncode == 0, result.stderr
    assert call is not None
    options = call["argv"][: call["argv"].index("--")]
    assert {"--dry-run", "--skip-azure-checks"} <= set(options)
    assert options[options.index("--branch") + 1] == "release"
    assert "--arm-endpoint" not in options


def test_submit_passes_the_arm_endpoint_when_checking_azure(workspace: Path) -> None:
    result, call = _run(workspace, **SUBMIT, VEND_DRY_RUN="False", VEND_ARM_ENDPOINT="https://127.0.0.1:8443")
    assert result.returncode == 0, result.stderr
    assert call is not None
    options = call["argv"][: call["argv"].index("--")]
    assert "--dry-run" not in options
    assert options[options.index("--arm-endpoint") + 1] == "https://127.0.0.1:8443"


def test_validate_runs_azure_checks_unless_skipped(workspace: Path) -> None:
    inputs = {
        "VEND_MODE": "validate",
        "VEND_REQUESTS": "requests/dev/a.yaml",
        "VEND_ARM_ENDPOINT": "https://a",
    }
    result, call = _run(workspace, **inputs)
    assert result.returncode == 0, result.stderr
    assert call is not None
    assert call["argv"] == [
        "--output", "json", "validate", "--azure", "--arm-endpoint", "https://a", "--", "requests/dev/a.yaml",
    ]  # fmt: skip
    result, call = _run(workspace, **inputs, VEND_TRUNK="../trunk", VEND_SKIP_AZURE_CHECKS="true")
    assert call is not None
    assert call["argv"] == [
        "--output",
        "json",
        "validate",
        "--trunk",
        "../trunk",
        "--branch",
        "main",
        "--",
        "requests/dev/a.yaml",
    ]


def test_request_names_cannot_become_options(workspace: Path) -> None:
    result, call = _run(workspace, **{**SUBMIT, "VEND_REQUESTS": "--as=attacker requests/dev/a.yaml"})
    assert result.returncode == 0, result.stderr
    assert call is not None
    separator = call["argv"].index("--")
    assert call["argv"][separator + 1 :] == ["--as=attacker", "requests/dev/a.yaml"]
    assert call["argv"].count("--as") == 1


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({**SUBMIT, "VEND_DRY_RUN": "yes"}, "dry-run must be true or false, got 'yes'"),
        ({**SUBMIT, "VEND_IDENTITY": ""}, "submit needs an identity"),
        ({**SUBMIT, "VEND_TRUNK": ""}, "submit needs a trunk"),
        ({**SUBMIT, "VEND_REQUESTS": " \n "}, "no request files given"),
        ({**SUBMIT, "VEND_MODE": "deploy"}, "mode must be submit, validate or diff, got 'deploy'"),
    ],
)
def test_bad_inputs_fail_with_exit_2_before_running_vending(
    workspace: Path, inputs: dict[str, str], message: str
) -> None:
    result, call = _run(workspace, **inputs)
    assert result.returncode == 2
    assert result.stderr.strip() == f"vending pipeline: {message}"
    assert call is None


def test_vending_exit_code_is_the_step_exit_code(workspace: Path) -> None:
    result, call = _run(workspace, **SUBMIT, FAKE_EXIT="4")
    assert call is not None
    assert result.returncode == 4


def test_github_trunk_token_travels_as_a_masked_header_in_the_environment(workspace: Path) -> None:
    result, call = _run(workspace, **{**SUBMIT, "VEND_TRUNK_TOKEN": "s3cret"}, GITHUB_ACTIONS="true")
    assert result.returncode == 0, result.stderr
    assert call is not None
    encoded = base64.b64encode(b"x-access-token:s3cret").decode()
    assert call["env"] == {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.https://git.example.com/.extraheader",
        "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {encoded}",
    }
    assert result.stdout.splitlines() == [f"::add-mask::{encoded}"]
    assert "s3cret" not in " ".join(call["argv"])


def test_azure_repos_token_is_a_bearer_header(workspace: Path) -> None:
    inputs = {**SUBMIT, "VEND_TRUNK_TOKEN": "ado-token", "VEND_TRUNK_TOKEN_SCHEME": "bearer"}
    result, call = _run(workspace, **inputs)
    assert call is not None
    assert call["env"]["GIT_CONFIG_VALUE_0"] == "AUTHORIZATION: bearer ado-token"
    assert result.stdout == ""


def test_no_header_for_a_local_trunk(workspace: Path) -> None:
    _result, call = _run(workspace, **{**SUBMIT, "VEND_TRUNK": "../trunk", "VEND_TRUNK_TOKEN": "t"})
    assert call is not None
    assert call["env"] == {}


def test_azure_devops_workload_identity_becomes_a_federated_token_file(workspace: Path) -> None:
    agent_temp = workspace / "agent-temp"
    agent_temp.mkdir()
    identity = {"idToken": "eyJ.token", "servicePrincipalId": "client-1", "tenantId": "tenant-1"}
    result, call = _run(workspace, **SUBMIT, **identity, AGENT_TEMPDIRECTORY=str(agent_temp))
    assert result.returncode == 0, result.stderr
    assert call is not None
    token_file = Path(call["env"]["AZURE_FEDERATED_TOKEN_FILE"])
    assert token_file.parent == agent_temp
    assert token_file.read_text(encoding="utf-8") == "eyJ.token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert call["env"]["AZURE_CLIENT_ID"] == "client-1"
    assert call["env"]["AZURE_TENANT_ID"] == "tenant-1"

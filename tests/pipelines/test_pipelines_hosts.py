"""The host-facing logic of the templates, run as the runner and the agent would run it.

The reusable workflow's inline scripts are read out of the YAML and executed with bash under the
variables GitHub would set (a real git history for the changes job, a fake token service for the OIDC
claims). The shared script is run with the variables the Azure DevOps template maps.
"""

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
from pipeline_support import ADO_TEMPLATE, SCRIPT, WORKFLOW, load_yaml
from test_pipelines_script import FAKE_VENDING
from tooling import require_tool

SHA = "0123456789abcdef0123456789abcdef01234567"


def _step_script(step_id: str) -> str:
    steps = [step for job in load_yaml(WORKFLOW)["jobs"].values() for step in job["steps"]]
    return str(next(step for step in steps if step.get("id") == step_id)["run"])


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    bash = require_tool("bash")
    full_env = {"PATH": os.environ["PATH"], "HOME": str(cwd), **env}
    return subprocess.run([bash, "-c", script], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60)


def _git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def _commit(repo: Path, relative: str) -> str:
    path = repo / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{relative}\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", relative)
    return _git(repo, "rev-parse", "HEAD")


@pytest.fixture
def pushed(tmp_path: Path) -> tuple[Path, str, str]:
    """A requests repository and a push (before, after) that changed a dev request and a README."""
    require_tool("git")
    repo = tmp_path / "requests-repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    before = _commit(repo, "requests/prod/payments.yaml")
    _commit(repo, "requests/dev/app.yaml")
    after = _commit(repo, "README.md")
    return repo, before, after


def _changes(repo: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], str]:
    output = repo.parent / "github-output"
    output.write_text("", encoding="utf-8")
    defaults = {"ONLY_CHANGED": "true", "EVENT_NAME": "push", "GITHUB_OUTPUT": str(output)}
    result = _bash(_step_script("diff"), repo, {**defaults, **env})
    return result, output.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        ("requests/dev/*.yaml", "changed=true\n"),
        ("requests/prod/*.yaml", "changed=false\n"),
        ("requests/prod/*.yaml\n requests/**/app.yaml", "changed=true\n"),
    ],
)
def test_changes_job_runs_an_environment_only_when_its_requests_changed(
    pushed: tuple[Path, str, str], patterns: str, expected: str
) -> None:
    repo, before, after = pushed
    result, output = _changes(repo, VEND_REQUESTS=patterns, BEFORE=before, AFTER=after)
    assert result.returncode == 0, result.stderr
    assert output == expected
    skipped = expected == "changed=false\n"
    assert ("::notice title=vending::" in result.stdout) is skipped


@pytest.mark.parametrize(
    "override",
    [
        {"EVENT_NAME": "pull_request"},
        {"EVENT_NAME": "workflow_dispatch"},
        {"ONLY_CHANGED": "false"},
        {"BEFORE": "0" * 40},
        {"BEFORE": "f" * 40},  # a forced push whose old head is not in the history
    ],
)
def test_changes_job_runs_whenever_it_cannot_tell(pushed: tuple[Path, str, str], override: dict[str, str]) -> None:
    repo, before, after = pushed
    env = {"VEND_REQUESTS": "requests/prod/*.yaml", "BEFORE": before, "AFTER": after, **override}
    result, output = _changes(repo, **env)
    assert result.returncode == 0, result.stderr
    assert output == "changed=true\n"


FAKE_TOKEN_SERVICE = """#!{python}
import json, sys
from pathlib import Path
Path({log!r}).write_text(json.dumps(sys.argv[1:]))
print(json.dumps({{"value": {token!r}}}))
"""


def _jwt(claims: dict[str, Any]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJSUzI1NiJ9.{payload}.signature"


def _locate(tmp_path: Path, claims: dict[str, Any], **env: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    curl = bin_dir / "curl"
    log = tmp_path / "curl-args.json"
    curl.write_text(
        FAKE_TOKEN_SERVICE.format(python=sys.executable, log=str(log), token=_jwt(claims)), encoding="utf-8"
    )
    curl.chmod(curl.stat().st_mode | stat.S_IXUSR)
    for name in ("github-output", "github-env"):
        (tmp_path / name).write_text("", encoding="utf-8")
    variables = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(tmp_path / "github-output"),
        "GITHUB_ENV": str(tmp_path / "github-env"),
        "ACTIONS_ID_TOKEN_REQUEST_URL": "https://token.example/?api-version=2.0",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "request-token",
        **env,
    }
    return _bash(_step_script("self"), tmp_path, variables), log


CLAIMS = {
    "repository": "acme/requests",
    "environment": "prod",
    "job_workflow_ref": "platform-tools/vending/.github/workflows/vend.yml@refs/tags/v0.2.0",
    "job_workflow_sha": SHA,
}


def test_reusable_workflow_reads_its_own_commit_and_environment_from_the_oidc_token(tmp_path: Path) -> None:
    result, log = _locate(tmp_path, CLAIMS)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "github-output").read_text(encoding="utf-8") == (
        f"repository=platform-tools/vending\nsha={SHA}\n"
    )
    assert (tmp_path / "github-env").read_text(encoding="utf-8") == "VEND_ENVIRONMENT=prod\n"
    arguments = json.loads(log.read_text(encoding="utf-8"))
    assert "https://token.example/?api-version=2.0&audience=vending" in arguments
    assert "Authorization: bearer request-token" in arguments


def test_a_job_without_an_environment_gets_an_empty_verified_environment(tmp_path: Path) -> None:
    claims = {key: value for key, value in CLAIMS.items() if key != "environment"}
    result, _log = _locate(tmp_path, claims)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "github-env").read_text(encoding="utf-8") == "VEND_ENVIRONMENT=\n"


@pytest.mark.parametrize(
    "claims",
    [
        {**CLAIMS, "job_workflow_ref": "evil\nVEND_ENVIRONMENT=prod/x/.github/workflows/vend.yml@main"},
        {**CLAIMS, "job_workflow_sha": "main"},
        {**CLAIMS, "environment": "dev\nVEND_ENVIRONMENT=prod"},
    ],
    ids=["ref", "sha", "environment"],
)
def test_unexpected_claims_stop_the_job_and_write_nothing(tmp_path: Path, claims: dict[str, Any]) -> None:
    result, _log = _locate(tmp_path, claims)
    assert result.returncode != 0
    assert "unexpected OIDC claim" in result.stderr
    assert (tmp_path / "github-output").read_text(encoding="utf-8") == ""
    assert (tmp_path / "github-env").read_text(encoding="utf-8") == ""


def test_a_caller_without_id_token_permission_is_told_what_to_grant(tmp_path: Path) -> None:
    result, log = _locate(tmp_path, CLAIMS, ACTIONS_ID_TOKEN_REQUEST_URL="")
    assert result.returncode == 2
    assert result.stdout.strip() == (
        "::error title=vending::no OIDC token: grant the calling job 'permissions: id-token: write'"
    )
    assert not log.exists()


# --- the shared script under the Azure DevOps template's variables ---


def _vend(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any] | None]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "vending"
    fake.write_text(FAKE_VENDING.format(python=sys.executable), encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "vending-call.json"
    variables = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_LOG": str(log),
        "VEND_MODE": "submit",
        "VEND_REQUESTS": "requests/dev/app.yaml",
        "VEND_IDENTITY": "@org/platform-{environment}",
        "VEND_ENVIRONMENT": "dev",
        "VEND_ADO_ACCESS_TOKEN": "job-token",
        **env,
    }
    result = _bash(f'bash "{SCRIPT}"', tmp_path, variables)
    call = json.loads(log.read_text(encoding="utf-8")) if log.exists() else None
    return result, call


@pytest.mark.parametrize(
    "trunk",
    [
        "https://dev.azure.com/org/platform/_git/subscriptions",
        "https://DEV.AZURE.COM:443/org/platform/_git/subscriptions",
        "https://contoso.visualstudio.com/platform/_git/subscriptions",
    ],
)
def test_the_job_token_goes_to_azure_repos_as_a_bearer_header(tmp_path: Path, trunk: str) -> None:
    result, call = _vend(tmp_path, VEND_TRUNK=trunk)
    assert result.returncode == 0, result.stderr
    assert call is not None
    assert call["env"]["GIT_CONFIG_VALUE_0"] == "AUTHORIZATION: bearer job-token"


@pytest.mark.parametrize(
    "trunk",
    [
        "https://github.com/org/subscriptions.git",
        "https://dev.azure.com.evil.example/org/_git/subscriptions",
        "https://evil.example/dev.azure.com/org/_git/subscriptions",
        "https://contoso.visualstudio.com.evil.example/_git/subscriptions",
    ],
)
def test_the_job_token_never_leaves_azure_devops(tmp_path: Path, trunk: str) -> None:
    result, call = _vend(tmp_path, VEND_TRUNK=trunk)
    assert result.returncode == 2
    assert "needs a trunk token (GitHub: secrets: TRUNK_TOKEN; Azure DevOps: trunkToken)" in result.stderr
    assert call is None
    result, call = _vend(tmp_path, VEND_TRUNK=trunk, VEND_DRY_RUN="true")
    assert result.returncode == 0, result.stderr
    assert call is not None
    assert call["env"] == {}
    assert "job-token" not in json.dumps(call)


def test_the_trunk_token_parameter_serves_any_host(tmp_path: Path) -> None:
    result, call = _vend(tmp_path, VEND_TRUNK="https://github.com/org/subscriptions.git", VEND_TRUNK_TOKEN="app-token")
    assert result.returncode == 0, result.stderr
    assert call is not None
    encoded = base64.b64encode(b"x-access-token:app-token").decode()
    assert call["env"]["GIT_CONFIG_VALUE_0"] == f"AUTHORIZATION: basic {encoded}"


def test_the_identity_names_the_host_verified_environment(tmp_path: Path) -> None:
    result, call = _vend(tmp_path, VEND_TRUNK="../trunk", VEND_ENVIRONMENT="prod")
    assert result.returncode == 0, result.stderr
    assert call is not None
    options = call["argv"][: call["argv"].index("--")]
    assert options[options.index("--as") + 1] == "@org/platform-prod"


def test_an_identity_naming_the_environment_needs_a_verified_one(tmp_path: Path) -> None:
    result, call = _vend(tmp_path, VEND_TRUNK="../trunk", VEND_ENVIRONMENT="")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "vending pipeline: identity '@org/platform-{environment}' names {environment}, "
        "but the host verified no environment for this job"
    )
    assert call is None


def test_azure_devops_template_maps_the_job_token_only_to_its_guarded_variable() -> None:
    text = ADO_TEMPLATE.read_text(encoding="utf-8")
    mapped = [line.strip() for line in text.splitlines() if "$(System.AccessToken)" in line]
    assert mapped and set(mapped) == {"VEND_ADO_ACCESS_TOKEN: $(System.AccessToken)"}

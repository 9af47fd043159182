"""The pipeline script's diff mode as GitHub Actions and Azure Pipelines run it: the comment reaches the job
summary, the step outputs and the run summary; the review binding reaches a later submit."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pipeline_support import SCRIPT, parse_ado
from testing.requests import request_data, write_yaml
from testing.trunks import make_trunk
from tooling import require_tool

FAKE_VENDING = """#!{python}
import json, os, sys
from pathlib import Path
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
args = sys.argv[1:]
print(Path(os.environ["FAKE_DOCUMENT"]).read_text())
sys.exit(int(os.environ.get("FAKE_EXIT", "0")))
"""
HASH = "diff-sha256:" + "ab" * 32
COMMENT = "<!-- vending-diff -->\n**vending diff**\n\n| create | update | unchanged | refused |\n"
DOCUMENT = {
    "changes": [
        {"name": "team-a", "environment": "dev", "kind": "create", "fields": []},
        {"name": "team-b", "environment": "dev", "kind": "unchanged", "fields": []},
        {"name": "team-c", "environment": "dev", "kind": "update", "fields": []},
    ],
    "hash": HASH,
    "markdown": COMMENT,
}
DIFF = {"VEND_MODE": "diff", "VEND_REQUESTS": "requests/dev/*.yaml", "VEND_TRUNK": "/srv/trunk.git"}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "vending"
    fake.write_text(FAKE_VENDING.format(python=sys.executable), encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "document.json").write_text(json.dumps(DOCUMENT), encoding="utf-8")
    work = tmp_path / "work"
    (work / "requests" / "dev").mkdir(parents=True)
    for name in ("b.yaml", "a.yaml"):
        (work / "requests" / "dev" / name).write_text("name: x\n", encoding="utf-8")
    return tmp_path


def run_script(workspace: Path, bin_dir: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_LOG": str(workspace / "calls.jsonl"),
        "FAKE_DOCUMENT": str(workspace / "document.json"),
        "TMPDIR": str(workspace),
        **inputs,
    }
    command = [require_tool("bash"), str(SCRIPT)]
    return subprocess.run(command, cwd=workspace / "work", env=env, capture_output=True, text=True, timeout=120)


def calls(workspace: Path) -> list[list[str]]:
    log = workspace / "calls.jsonl"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def github(workspace: Path) -> dict[str, str]:
    (workspace / "runner").mkdir(exist_ok=True)
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
        "GITHUB_OUTPUT": str(workspace / "output.txt"),
        "RUNNER_TEMP": str(workspace / "runner"),
    }


def github_outputs(path: Path) -> dict[str, str]:
    """Read ``$GITHUB_OUTPUT`` as the runner does: ``name=value`` lines and ``name<<DELIM`` blocks."""
    lines, outputs = iter(path.read_text(encoding="utf-8").split("\n")), {}
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            outputs[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def test_github_gets_the_comment_in_the_summary_and_the_outputs(workspace: Path) -> None:
    result = run_script(workspace, workspace / "bin", **DIFF, **github(workspace), FAKE_EXIT="2")
    assert result.returncode == 2, result.stderr
    diff_call = calls(workspace)[0]
    assert diff_call == [
        "--output", "json", "diff", "--trunk", "/srv/trunk.git", "--branch", "main", "--markdown",
        "--", "requests/dev/a.yaml", "requests/dev/b.yaml",
    ]  # fmt: skip
    summary = (workspace / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith(COMMENT)
    outputs = github_outputs(workspace / "output.txt")
    assert outputs["diff-hash"] == HASH
    assert outputs["diff-markdown"].strip() == summary.strip()
    assert len(calls(workspace)) == 1


def test_identity_makes_diff_judge_path_scope(workspace: Path) -> None:
    result = run_script(workspace, workspace / "bin", **DIFF, VEND_IDENTITY="@org/platform-dev")
    assert result.returncode == 0, result.stderr
    assert calls(workspace)[0][3:11] == [
        "--trunk", "/srv/trunk.git", "--branch", "main", "--markdown", "--as", "@org/platform-dev", "--",
    ]  # fmt: skip


def test_azure_devops_gets_the_run_summary_and_the_output_variable(workspace: Path) -> None:
    agent = workspace / "agent"
    agent.mkdir()
    result = run_script(workspace, workspace / "bin", **DIFF, TF_BUILD="True", AGENT_TEMPDIRECTORY=str(agent))
    assert result.returncode == 0, result.stderr
    commands = [parse_ado(line) for line in result.stdout.splitlines() if line.startswith("##vso[")]
    assert [name for name, _, _ in commands] == ["task.uploadsummary", "task.setvariable"]
    summary = Path(commands[0][2])
    assert summary.is_absolute() and summary.parent == agent
    assert summary.read_text(encoding="utf-8").startswith(COMMENT)
    assert commands[1][1] == {"variable": "diffHash", "isOutput": "true"} and commands[1][2] == HASH


def test_no_comment_when_diff_printed_an_error_document(workspace: Path) -> None:
    (workspace / "document.json").write_text('{"error": "bad", "exitCode": 2, "findings": []}', encoding="utf-8")
    result = run_script(workspace, workspace / "bin", **DIFF, **github(workspace), FAKE_EXIT="2")
    assert result.returncode == 2
    assert not (workspace / "summary.md").exists() and not (workspace / "output.txt").exists()


def test_diff_needs_a_trunk(workspace: Path) -> None:
    result = run_script(workspace, workspace / "bin", **{**DIFF, "VEND_TRUNK": ""})
    assert result.returncode == 2 and "diff needs a trunk" in result.stderr
    assert calls(workspace) == []


def test_the_reviewed_binding_lets_the_real_submit_land(workspace: Path) -> None:
    """With the real vending: the hash the diff step hands to GitHub makes a later submit step land."""
    remote = make_trunk(workspace / "trunk")
    requests = workspace / "work" / "requests" / "dev"
    for stale in requests.iterdir():
        stale.unlink()
    write_yaml(requests / "team-a.yaml", request_data("team-a"))
    real = Path(sys.executable).parent
    inputs: dict[str, Any] = {**DIFF, "VEND_TRUNK": str(remote), **github(workspace)}
    result = run_script(workspace, real, **inputs)
    assert result.returncode == 0, result.stderr
    reviewed = github_outputs(workspace / "output.txt")["diff-hash"]
    assert reviewed.startswith("diff-sha256:") and reviewed in (workspace / "summary.md").read_text("utf-8")
    submit = {
        **inputs,
        "VEND_MODE": "submit",
        "VEND_IDENTITY": "@example/platform-dev",
        "VEND_SKIP_AZURE_CHECKS": "true",
        "VEND_EXPECT_DIFF": reviewed,
    }
    landed = run_script(workspace, real, **submit)
    assert landed.returncode == 0, landed.stdout + landed.stderr
    assert json.loads(landed.stdout)["results"][0]["status"] == "committed"

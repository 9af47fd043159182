"""The repository's own .pre-commit-config.yaml: ruff, mypy, the project's hook on examples/, and
check-jsonschema on the pipeline files. pre-commit itself is not needed: the hooks' commands run here."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from typing import Any

import pytest
from pipeline_support import HOOKS, REPO, load_yaml
from test_pipelines_schemas import SCHEMA_OF
from testing.cli import run_cli
from tooling import require_tool

CONFIG = REPO / ".pre-commit-config.yaml"
JSONSCHEMA_HOOKS = {"check-github-workflows", "check-github-actions", "check-azure-pipelines"}


def _hooks() -> dict[str, dict[str, Any]]:
    config = load_yaml(CONFIG)
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def _tracked(pattern: str) -> list[str]:
    """Files of the repository a hook's ``files`` pattern selects (the pipeline and example folders)."""
    candidates = [
        path.relative_to(REPO).as_posix()
        for folder in (".github", "pipelines", "examples")
        for path in (REPO / folder).rglob("*")
        if path.is_file()
    ]
    return sorted(name for name in candidates if re.search(pattern, name))


def test_config_names_the_hooks() -> None:
    hooks = _hooks()
    assert {"ruff-format", "ruff-check", "mypy", "vending-validate"} | JSONSCHEMA_HOOKS <= set(hooks)
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "system", f"{hook['id']} should use the project's environment"
    assert hooks["mypy"]["entry"] == "mypy" and hooks["mypy"]["pass_filenames"] is False
    assert shlex.split(hooks["ruff-format"]["entry"])[:2] == ["ruff", "format"]
    assert shlex.split(hooks["ruff-check"]["entry"])[:2] == ["ruff", "check"]


def test_the_project_hook_runs_on_the_examples() -> None:
    offered = {hook["id"]: hook for hook in load_yaml(HOOKS)}
    hook = _hooks()["vending-validate"]
    assert hook["entry"] == offered["vending-validate"]["entry"]
    examples = _tracked(hook["files"])
    assert examples == sorted(p.relative_to(REPO).as_posix() for p in (REPO / "examples/requests").glob("*.yaml"))
    result = run_cli(*shlex.split(hook["entry"])[1:], *(REPO / name for name in examples))
    assert result.code == 0, result.stdout + result.stderr


def test_every_pipeline_file_gets_its_schema() -> None:
    hooks = _hooks()
    for name, schema in SCHEMA_OF.items():
        matching = [hook for hook in JSONSCHEMA_HOOKS if re.search(hooks[hook]["files"], name)]
        assert len(matching) == 1, f"{name} is checked by {matching}"
        assert shlex.split(hooks[matching[0]]["entry"]) == ["check-jsonschema", *schema]


@pytest.mark.parametrize("hook_id", sorted(JSONSCHEMA_HOOKS))
def test_schema_hooks_pass(hook_id: str) -> None:
    hook = _hooks()[hook_id]
    files = _tracked(hook["files"])
    assert files, f"{hook_id} selects no file"
    command = [require_tool("check-jsonschema"), *shlex.split(hook["entry"])[1:], *files]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_accepts_the_config() -> None:
    """Only where pre-commit is installed (it is a dev extra, not a test one)."""
    tool = shutil.which("pre-commit")
    if tool is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    result = subprocess.run([tool, "validate-config", str(CONFIG)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_and_ci_run_the_same_test_command() -> None:
    def pytest_args(text: str) -> list[str]:
        [line] = [line for line in text.splitlines() if "-m pytest" in line and not line.lstrip().startswith("#")]
        words = shlex.split(line)
        return words[words.index("pytest") + 1 :]

    readme = pytest_args((REPO / "README.md").read_text(encoding="utf-8"))
    assert readme == pytest_args((REPO / ".ci" / "run").read_text(encoding="utf-8"))
    assert "--cov=vending" in readme

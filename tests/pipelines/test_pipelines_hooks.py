"""The pre-commit hooks the repository offers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pipeline_support import HOOKS, command_line_flags, load_yaml, missing_flags, vending_cli

REQUIRED_KEYS = {"id", "name", "entry", "language"}
KNOWN_KEYS = REQUIRED_KEYS | {
    "description",
    "files",
    "exclude",
    "types",
    "types_or",
    "exclude_types",
    "pass_filenames",
    "always_run",
    "require_serial",
    "stages",
    "args",
    "minimum_pre_commit_version",
    "additional_dependencies",
    "verbose",
    "log_file",
    "fail_fast",
}


def _hooks() -> dict[str, dict[str, Any]]:
    hooks = load_yaml(HOOKS)
    assert isinstance(hooks, list)
    return {hook["id"]: hook for hook in hooks}


def test_hooks_are_offered() -> None:
    assert set(_hooks()) == {"vending-validate", "vending-check"}


@pytest.mark.parametrize("hook_id", ["vending-validate", "vending-check"])
def test_hook_has_the_required_keys_and_no_unknown_ones(hook_id: str) -> None:
    hook = _hooks()[hook_id]
    assert set(hook) >= REQUIRED_KEYS
    assert set(hook) <= KNOWN_KEYS
    assert hook["language"] == "python"
    assert all(isinstance(hook[key], str) and hook[key] for key in REQUIRED_KEYS)


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("requests/app-one.yaml", True),
        ("requests/dev/app-two.yml", True),
        ("requests/app.json", False),
        ("examples/requests/app.yaml", False),
        ("subscriptions/dev/app/request.yaml", False),
    ],
)
def test_validate_hook_selects_request_files(path: str, matches: bool) -> None:
    hook = _hooks()["vending-validate"]
    assert bool(re.search(hook["files"], path)) is matches
    assert hook["entry"] == "vending validate"
    assert hook.get("pass_filenames", True) is True


def test_check_hook_runs_once_on_the_whole_trunk() -> None:
    hook = _hooks()["vending-check"]
    assert hook["entry"] == "vending check --trunk ."
    assert hook["pass_filenames"] is False
    assert hook["always_run"] is True


@pytest.mark.parametrize("hook_id", ["vending-validate", "vending-check"])
def test_hook_entry_uses_existing_cli_options(hook_id: str) -> None:
    cli = vending_cli()
    flags = command_line_flags(_hooks()[hook_id]["entry"], cli)
    assert missing_flags(cli, flags) == []

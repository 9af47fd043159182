"""The ``run_check`` fixture: ``vending interface check`` in-process, its exit code and output."""

from __future__ import annotations

from pathlib import Path

import pytest
from semver_support import Outcome, Runner
from testing.cli import run_cli


@pytest.fixture
def run_check() -> Runner:
    def run(repo: Path | None, ref: str, output: str = "json") -> Outcome:
        argv: list[str | Path] = ["--output", output, "interface", "check", "--against", ref]
        if repo is not None:
            argv += ["--repo", repo]
        result = run_cli(*argv)
        return Outcome(result.code, result.stdout, result.stderr)

    return run

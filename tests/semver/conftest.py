"""The ``run_check`` fixture: ``vending interface check`` in-process, its exit code and output."""

from __future__ import annotations

from pathlib import Path

import pytest
from semver_support import Outcome, Runner


@pytest.fixture
def run_check(capsys: pytest.CaptureFixture[str]) -> Runner:
    from vending.cli.main import main

    def run(repo: Path | None, ref: str, output: str = "json") -> Outcome:
        argv = ["--output", output, "interface", "check", "--against", ref]
        if repo is not None:
            argv += ["--repo", str(repo)]
        capsys.readouterr()
        code = main(argv)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run

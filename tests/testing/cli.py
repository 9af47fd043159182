"""``vending`` as a user runs it: in-process through ``vending.cli.main.main``, or as a separate process."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Arg = str | os.PathLike[str]


@dataclass(frozen=True)
class Result:
    """One run of the CLI: its exit code and what it printed on stdout and stderr."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


Cli = Callable[..., Result]
"""The type of ``run_cli``, for fixtures that hand it to tests."""


def exit_code(value: object) -> int:
    """The process exit code Python gives a ``sys.exit(value)`` or a ``main()`` return value."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    return 1


def run_cli(*args: Arg) -> Result:
    """Run ``vending ARGS`` in-process, stdout and stderr captured apart.

    Works whether ``main(argv)`` returns its exit code or raises ``SystemExit`` with it.
    """
    from vending.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = exit_code(main([os.fspath(arg) for arg in args]))
        except SystemExit as exited:
            code = exit_code(exited.code)
            if exited.code is not None and not isinstance(exited.code, int):
                print(exited.code, file=sys.stderr)
    return Result(code, out.getvalue(), err.getvalue())


def cli_argv(*args: Arg) -> list[str]:
    """argv of ``vending ARGS`` in a separate process, run by this interpreter."""
    return [sys.executable, "-m", "vending", *(os.fspath(arg) for arg in args)]


def run_subprocess(
    *args: Arg,
    cwd: os.PathLike[str] | str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 180,
) -> Result:
    """Run ``vending ARGS`` as a separate process and wait for it."""
    done = subprocess.run(
        cli_argv(*args),
        cwd=cwd,
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    return Result(done.returncode, done.stdout, done.stderr)

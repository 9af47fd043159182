"""The lazy command table: listing imports no command, ``--help`` of one command imports only that one,
heavy libraries load only when a command runs, and ``python -m vending`` passes the exit code on.
(Start-up times are measured by tests/benchmarks/bench_startup.py, not asserted here.)"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from vending.cli.main import COMMANDS, cli

HEAVY = ("pydantic", "rich", "jinja2", "hcl2", "git", "azure", "ruamel", "yaml", "jsonschema", "vending.emulator")

PROBE = """
import contextlib, io, json, sys
from vending.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _imported_by(*args: str) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.splitlines()[-1])
    return result["code"], result["modules"]


def _heavy(modules: list[str]) -> list[str]:
    return [name for name in modules if name.split(".")[0] in HEAVY or name.startswith(HEAVY)]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["validate", "--help"], ["submit", "--help"]])
def test_start_up_imports_no_heavy_library(args: list[str]) -> None:
    code, modules = _imported_by(*args)
    assert code == 0
    assert _heavy(modules) == []
    command_modules = {entry.target.split(":")[0]: name for name, entry in COMMANDS.items()}
    loaded = sorted(command_modules[module] for module in modules if module in command_modules)
    assert loaded == ([] if args[0].startswith("-") else [args[0]])


def test_listing_shows_every_command_with_its_short_help() -> None:
    help_text = cli.get_help(click.Context(cli, info_name="vending", max_content_width=200, terminal_width=200))
    for name, entry in COMMANDS.items():
        assert f"  {name} " in help_text
        assert entry.short_help.rstrip(".") in help_text


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_table_short_help_is_the_command_s_own(name: str) -> None:
    command = COMMANDS[name].load()
    assert command.get_short_help_str(200) == COMMANDS[name].short_help.rstrip()
    assert command.name == name


@pytest.mark.parametrize(("args", "code"), [(["--version"], 0), (["frobnicate"], 2), (["--output", "json"], 2)])
def test_python_dash_m_vending_exits_with_the_code(args: list[str], code: int) -> None:
    done = subprocess.run([sys.executable, "-m", "vending", *args], capture_output=True, text=True, check=False)
    assert done.returncode == code, done.stderr


def test_every_command_accepts_output_after_its_name() -> None:
    for name in COMMANDS:
        command = cli.commands[name]
        assert any("--output" in param.opts for param in command.params), name

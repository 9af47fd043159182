"""Shared helpers for the pipeline tests: repository paths, YAML loading, CLI flag introspection."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
ACTION = REPO / "pipelines" / "github" / "action.yml"
WORKFLOW = REPO / ".github" / "workflows" / "vend.yml"
ADO_TEMPLATE = REPO / "pipelines" / "azure-devops" / "vend.yml"
SCRIPT = REPO / "pipelines" / "vend.sh"
HOOKS = REPO / ".pre-commit-hooks.yaml"
GITHUB_CALLER = REPO / "examples" / "github" / "caller.yml"
ADO_CONSUMER = REPO / "examples" / "azure-devops" / "azure-pipelines.yml"

_FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
_ARRAY_LINE = re.compile(r"\b(global|submit|validate|diff)_args\+?=\((.*)\)")


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def version() -> str:
    return (REPO / "VERSION").read_text(encoding="utf-8").strip()


def script_flags(text: str) -> dict[str, set[str]]:
    """Flags the pipeline script passes, keyed by subcommand (``""`` for the group)."""
    flags: dict[str, set[str]] = {}
    for match in _ARRAY_LINE.finditer(text):
        command = "" if match.group(1) == "global" else match.group(1)
        flags.setdefault(command, set()).update(_FLAG.findall(match.group(2)))
    return flags


def _takes_value(group: click.Group, flag: str) -> bool:
    return any(
        flag in param.opts and isinstance(param, click.Option) and not param.is_flag and param.nargs > 0
        for param in group.params
    )


def command_line_flags(line: str, group: click.Group) -> dict[str, set[str]]:
    """Flags of a ``vending [global flags] COMMAND [flags]`` command line, keyed like ``script_flags``."""
    tokens = shlex.split(line)
    if "vending" not in tokens:
        return {}
    rest = iter(tokens[tokens.index("vending") + 1 :])
    flags: dict[str, set[str]] = {"": set()}
    command = ""
    for token in rest:
        if token.startswith("--"):
            flag = token.split("=", 1)[0]
            flags.setdefault(command, set()).add(flag)
            if not command and "=" not in token and _takes_value(group, flag):
                next(rest, None)
        elif not command:
            command = token
            flags.setdefault(command, set())
    return flags


def vending_cli() -> click.Group:
    """The CLI group, imported when a test needs it (so one broken command fails only those tests)."""
    from vending.cli.main import cli

    return cli


def click_options(command: click.Command) -> set[str]:
    return {option for param in command.params for option in (*param.opts, *param.secondary_opts)}


def missing_flags(group: click.Group, flags: dict[str, set[str]]) -> list[str]:
    """Each flag the templates use that the CLI lacks, as a readable problem."""
    problems: list[str] = []
    for command_name, used in sorted(flags.items()):
        command = group if not command_name else group.commands.get(command_name)
        if command is None:
            problems.append(f"`vending {command_name}` is not registered on vending.cli.main.cli")
            continue
        problems += [f"`vending {command_name}`: no option {flag}" for flag in sorted(used - click_options(command))]
    return problems


# --- reading workflow and logging commands back, as the runner and the agent do ---


def github_decode(text: str) -> str:
    table = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}
    return re.sub(r"%25|%0D|%0A|%3A|%2C", lambda match: table[match.group(0)], text)


def ado_decode(text: str) -> str:
    table = {"%AZP25": "%", "%0D": "\r", "%0A": "\n", "%3B": ";", "%5D": "]"}
    return re.sub(r"%AZP25|%0D|%0A|%3B|%5D", lambda match: table[match.group(0)], text)


def parse_github(line: str) -> tuple[str, dict[str, str], str]:
    """Split a workflow command the way the runner does: ``::name props::message``."""
    assert line.startswith("::")
    head, message = line[2:].split("::", 1)
    name, _, props = head.partition(" ")
    properties = dict(item.split("=", 1) for item in props.split(",")) if props else {}
    return name, {key: github_decode(value) for key, value in properties.items()}, github_decode(message)


def parse_ado(line: str) -> tuple[str, dict[str, str], str]:
    """Split a logging command the way the agent does: first ``##vso[``, first ``]``, ``;``-separated."""
    assert line.index("##vso[") == 0
    head, message = line[len("##vso[") :].split("]", 1)
    name, _, props = head.partition(" ")
    properties = dict(item.split("=", 1) for item in props.split(";") if item)
    return name, {key: ado_decode(value) for key, value in properties.items()}, ado_decode(message)


def single_line(text: str) -> bool:
    return "\n" not in text and "\r" not in text

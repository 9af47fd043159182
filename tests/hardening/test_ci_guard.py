"""The CI-command guard against small mimics of the hosts' real parsers.

The mimics follow the parsing rules of the GitHub Actions runner (``actions/runner``:
``src/Runner.Sdk/ProcessInvoker.cs`` reads lines with ``StreamReader.ReadLine``;
``src/Runner.Worker/ActionCommandManager.cs`` tries ``ActionCommand.TryParseV2`` then ``TryParse`` from
``src/Runner.Common/ActionCommand.cs``) and of the Azure Pipelines agent (``microsoft/azure-pipelines-agent``:
``src/Microsoft.VisualStudio.Services.Agent/Command.cs``). Both search with .NET's culture-sensitive
``StartsWith``/``IndexOf``, which under ICU skip ignorable code points; each mimic runs twice, once
comparing ordinally and once with those code points removed first.

Every byte ``vending`` writes to stdout and stderr is replayed through them: no command may be
recognised except the annotations, logging commands and outputs ``vending.reporting.emit`` writes on purpose.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testing.cli import Result, run_cli
from testing.requests import request_data
from testing.trunks import make_trunk

from vending.reporting import Host, guard_json, guard_text

GITHUB_COMMANDS = frozenset(
    [
        "add-mask", "add-matcher", "remove-matcher", "debug", "warning", "error", "notice", "group", "endgroup",
        "echo", "save-state", "set-env", "set-output", "add-path", "stop-commands", "internal-set-repo-path",
    ]
)  # fmt: skip
"""The runner's registered command names (compared case-insensitively)."""

DOTNET_WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
DOTNET_WHITESPACE += "\u2028\u2029\u202f\u205f\u3000"
"""What ``string.TrimStart()`` removes (``char.IsWhiteSpace``)."""

_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip


def ignorable(char: str) -> bool:
    """Skipped by an ICU comparison: controls (not tab or line breaks), format characters, default ignorables."""
    if char in "\t\n\r":
        return False
    point = ord(char)
    if unicodedata.category(char) in ("Cc", "Cf", "Cs"):
        return True
    return any(low <= point <= high for low, high in _DEFAULT_IGNORABLE)


def host_lines(stream: str) -> list[str]:
    """A stream as ``StreamReader.ReadLine`` splits it: at ``\\r\\n``, ``\\r`` or ``\\n``."""
    return re.split(r"\r\n|\r|\n", stream)


def _view(line: str, *, icu: bool) -> str:
    return "".join(char for char in line if not ignorable(char)) if icu else line


@dataclass(frozen=True)
class Command:
    host: str
    name: str
    info: str
    line: str


def github_command(line: str, *, icu: bool) -> Command | None:
    """The command the runner reads from ``line``: ``::name props::data`` after leading white space
    (``TryParseV2``), else ``##[name props]data`` anywhere (``TryParse``); only registered names count."""
    text = _view(line, icu=icu).lstrip(DOTNET_WHITESPACE)
    if text.startswith("::"):
        end = text.find("::", 2)
        if end >= 0:
            info = text[2:end]
            if info.split(" ", 1)[0].lower() in GITHUB_COMMANDS:
                return Command("github", info.split(" ", 1)[0].lower(), info, line)
    text = _view(line, icu=icu)
    start = text.find("##[")
    end = text.find("]", start) if start >= 0 else -1
    if end >= 0:
        info = text[start + 3 : end]
        if info.split(" ", 1)[0].lower() in GITHUB_COMMANDS:
            return Command("github", info.split(" ", 1)[0].lower(), info, line)
    return None


def ado_command(line: str, *, icu: bool) -> Command | None:
    """The logging command the agent reads from ``line`` (``##vso[area.event props]data`` anywhere),
    or a ``##[...]`` formatting command the web log renders at the start of a line."""
    text = _view(line, icu=icu)
    start = text.find("##vso[")
    end = text.find("]", start) if start >= 0 else -1
    if end >= 0:
        info = text[start + 6 : end]
        parts = [part for part in info.split(" ", 1)[0].split(".") if part]
        if len(parts) == 2:
            return Command("ado", ".".join(parts).lower(), info, line)
    if text.lstrip(DOTNET_WHITESPACE).startswith("##["):
        return Command("ado", "format", text, line)
    return None


_OWN_GITHUB = re.compile(r"::(error|warning) [^\r\n]*")
_OWN_ADO = re.compile(
    r"##vso\[(task\.logissue type=(error|warning)[;\]]|task\.uploadsummary\]|"
    r"task\.setvariable variable=(committed|commits|results);isoutput=true\])"
)


def vendings_own(command: Command) -> bool:
    """A command ``vending.reporting.emit`` writes on purpose: it starts its line, unguarded."""
    own = _OWN_GITHUB if command.host == "github" else _OWN_ADO
    return own.match(command.line) is not None


PARSERS = {"github": github_command, "azure-devops": ado_command}


def foreign_commands(*streams: str, hosts: tuple[str, ...] = ("github", "azure-devops")) -> list[Command]:
    """Every command the parsers of ``hosts`` would act on, other than vending's own, in ``streams``."""
    found = []
    for stream in streams:
        for line in host_lines(stream):
            for icu in (False, True):
                for host in hosts:
                    command = PARSERS[host](line, icu=icu)
                    if command is not None and not vendings_own(command):
                        found.append(command)
    return found


# --- the mimics themselves ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "::add-mask::secret",
        "  \u3000::Set-Output name=a::b",
        "x ##[add-mask]secret",
        "\u200b::error::forged",
        ":\u2060:stop-commands::token",
        "#\u2060#[group]x",
        "::error file=a,title=b::c",
    ],
)
def test_the_github_mimic_reads_what_the_runner_reads(line: str) -> None:
    assert any(github_command(line, icu=icu) for icu in (False, True))


@pytest.mark.parametrize(
    "line",
    ["x ##vso[task.setvariable variable=a]b", "#\x00#vso[task.complete]", "##[section]Forged", "##vso[a.b]"],
)
def test_the_ado_mimic_reads_what_the_agent_reads(line: str) -> None:
    assert any(ado_command(line, icu=icu) for icu in (False, True))


@pytest.mark.parametrize(
    "line", [":: x ::", "::unknown::x", "##vso[task]x", "#\uff03vso[task.complete]", "\uff1a:error::x"]
)
def test_the_mimics_ignore_what_the_hosts_ignore(line: str) -> None:
    assert foreign_commands(line) == []


def test_the_old_invisible_break_is_no_break_under_icu() -> None:
    """What the guard used to print for ``##vso[`` and ``::error``: an agent on ICU still reads both."""
    assert ado_command("#\u2060#vso[task.complete]", icu=True) is not None
    assert github_command(":\u2060:error::x", icu=True) is not None


def test_the_guard_covers_carriage_returns_and_the_legacy_syntax_on_github() -> None:
    text = "ok\r::add-mask::secret x ##[set-output name=a;]b"
    assert foreign_commands(text)
    assert foreign_commands(guard_text(text, Host.GITHUB)) == []


# --- the guard under any text ----------------------------------------------------------------------------

FRAGMENTS = [
    "::", ":", "##", "#", "##[", "##vso[", "]", "[", "\r", "\n", "\r\n", " ", "\t", "\u3000", "\x85",
    "\u2028", "\u2060", "\u200b", "\ufeff", "\x00", "\x7f", "\ufe0f", "\u202e", "%", "%0A", ";", ",", "=",
    "add-mask", "set-output name=x", "error", "stop-commands", "task.setvariable variable=x", "task.complete",
    "section", "\ud83d", "\U0001f600", "a", "é",
]  # fmt: skip
OPENERS = ["::", "##[", "##vso[", "\r::", "\n  ::", "#\u2060#vso[", ":\u200b:", "\x00##[", "\u3000::", "\r\n##["]
COMMAND_NAMES = [
    "add-mask", "ERROR file=a,line=1", "set-output name=x", "stop-commands", "task.setvariable variable=x;",
    "task.complete result=Failed", "section", "group", "set-env name=PATH",
]  # fmt: skip
free_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=12).map("".join)
command_text = st.tuples(
    free_text, st.sampled_from(OPENERS), st.sampled_from(COMMAND_NAMES), st.sampled_from(["::", "]", ";]"]), free_text
).map("".join)
hostile_text = st.one_of(command_text, free_text)


@given(text=hostile_text)
def test_guarded_text_carries_no_command(text: str) -> None:
    for host in (Host.GITHUB, Host.AZURE_DEVOPS):
        assert foreign_commands(guard_text(text, host)) == []


@given(value=hostile_text, key=hostile_text)
def test_guarded_json_carries_no_command_and_parses_back(value: str, key: str) -> None:
    document = {"results": [{key: value, "errors": [value, {"message": key}]}]}
    for host in (Host.GITHUB, Host.AZURE_DEVOPS):
        for indent in (2, None):
            text = guard_json(document, host, indent=indent)
            assert foreign_commands(text) == []
            assert json.loads(text) == document


# --- every command, every field, both hosts ----------------------------------------------------------------

HOSTS = {"github": {"GITHUB_ACTIONS": "true"}, "azure-devops": {"TF_BUILD": "True"}}
DEV_IDENTITY = "@example/platform-dev"


def _place(data: dict[str, Any], field: str, value: str) -> dict[str, Any]:
    """``data`` with ``value`` at ``field`` (a top-level key, or one of a few nested places)."""
    if field == "tags.key":
        return {**data, "tags": {value: "v"}}
    if field == "tags.value":
        return {**data, "tags": {"team": value}}
    if field == "owners":
        return {**data, "owners": [{"principalId": value, "principalType": "Group"}]}
    if field == "budget":
        return {**data, "budget": {"amount": 1, "timeGrain": "Monthly", "thresholds": [80], "contactEmails": [value]}}
    if field == "network":
        return {**data, "network": {"addressSpace": [value]}}
    if field == "unknownKey":
        return {**data, value: "x"}
    return {**data, field: value}


FIELDS = [
    "name", "displayName", "environment", "billingScope", "managementGroup", "location", "requestedBy",
    "ticket", "workload", "interfaceVersion", "tags.key", "tags.value", "owners", "budget", "network",
    "unknownKey", "resourceProviders",
]  # fmt: skip
file_text = hostile_text.filter(lambda text: "\ud83d" not in text)
_FILE_NAME_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")


def _file_name(text: str) -> str:
    name = text.replace("/", "").replace("\x00", "")[:60].encode("utf-8", "ignore")[:180].decode("utf-8", "ignore")
    return (name or "request") + ".yaml"


def _runs(request: Path, remote: Path, out: Path, output: str) -> Iterator[Result]:
    yield run_cli("--output", output, "validate", request)
    yield run_cli("--output", output, "render", request, "--trunk", remote, "--out", out)
    yield run_cli("--output", output, "submit", request, "--trunk", remote, "--as", DEV_IDENTITY, "--skip-azure-checks")
    yield run_cli("--output", output, "check", "--trunk", remote)


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_hostile_requests_reach_no_host_as_commands(host: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable, value in HOSTS[host].items():
        monkeypatch.setenv(variable, value)
    remote = make_trunk(tmp_path)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        field=st.sampled_from(FIELDS),
        value=hostile_text,
        file_name=st.one_of(st.just("app-dev"), file_text, st.text(_FILE_NAME_CHARS)),
        output=st.sampled_from(["text", "json"]),
    )
    def check(field: str, value: str, file_name: str, output: str) -> None:
        with tempfile.TemporaryDirectory(dir=tmp_path) as scratch:
            request = Path(scratch) / _file_name(file_name)
            request.write_text(json.dumps(_place(request_data(), field, value)), encoding="utf-8")
            for result in _runs(request, remote, Path(scratch) / "out", output):
                assert foreign_commands(result.stdout, result.stderr, hosts=(host,)) == [], (field, value, file_name)
                assert result.code != 1, result.stderr

    check()

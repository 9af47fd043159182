"""Host detection and the escaping of workflow commands (GitHub) and logging commands (Azure DevOps)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pipeline_support import parse_ado, parse_github, single_line

from vending.errors import Finding
from vending.reporting import Host, detect_host, guard_json, guard_text
from vending.reporting.workflow_commands import ado_logissue, ado_set_output, github_annotation

HOSTILE = "100% sure\r\nnext::error::pwned, a;b]c ##vso[task.setvariable variable=x]y %0A %AZP25 :,"


# --- host detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "host"),
    [
        ({"GITHUB_ACTIONS": "true"}, Host.GITHUB),
        ({"GITHUB_ACTIONS": "True"}, Host.GITHUB),
        ({"TF_BUILD": "True"}, Host.AZURE_DEVOPS),
        ({"TF_BUILD": "true"}, Host.AZURE_DEVOPS),
        ({"TF_BUILD": "TRUE "}, Host.AZURE_DEVOPS),
        ({"GITHUB_ACTIONS": "true", "TF_BUILD": "True"}, Host.GITHUB),
        ({"GITHUB_ACTIONS": "false", "TF_BUILD": "1"}, Host.PLAIN),
        ({"CI": "true"}, Host.PLAIN),
        ({}, Host.PLAIN),
    ],
)
def test_detect_host(env: dict[str, str], host: Host) -> None:
    assert detect_host(env) is host


# --- workflow and logging commands ------------------------------------------------------------------


def test_github_annotation_format() -> None:
    finding = Finding("requests/app.yaml", "budget.thresholds[1]", "must be at most 1000", 12)
    assert github_annotation(finding) == (
        "::error file=requests/app.yaml,line=12,title=budget.thresholds[1]::must be at most 1000"
    )
    assert github_annotation(Finding("", "", "no trunk")) == "::error title=vending::no trunk"


def test_ado_logissue_format() -> None:
    finding = Finding("requests/app.yaml", "budget.thresholds[1]", "must be at most 1000", 12)
    assert ado_logissue(finding) == (
        "##vso[task.logissue type=error;sourcepath=requests/app.yaml;linenumber=12;"
        "code=budget.thresholds[1%5D]budget.thresholds[1]: must be at most 1000"
    )


def test_hostile_github_annotation_stays_one_command() -> None:
    finding = Finding(f"re:q,{HOSTILE}.yaml", f"tags.{HOSTILE}", HOSTILE, 3)
    line = github_annotation(finding)
    assert single_line(line)
    name, properties, message = parse_github(line)
    assert name == "error"
    assert properties == {"file": finding.file, "line": "3", "title": finding.field}
    assert message == HOSTILE


def test_hostile_ado_logissue_stays_one_command() -> None:
    finding = Finding(f"re;q]{HOSTILE}.yaml", f"tags.{HOSTILE}", HOSTILE, 3)
    line = ado_logissue(finding)
    assert single_line(line)
    name, properties, message = parse_ado(line)
    assert name == "task.logissue"
    assert properties == {
        "type": "error",
        "sourcepath": finding.file,
        "linenumber": "3",
        "code": finding.field,
    }
    assert message == f"{finding.field}: {HOSTILE}"


def test_ado_output_variable_carries_any_value_on_one_line() -> None:
    value = json.dumps({"results": [{"name": HOSTILE}]})
    line = ado_set_output("results", value)
    assert single_line(line)
    name, properties, decoded = parse_ado(line)
    assert (name, properties, decoded) == (
        "task.setvariable",
        {"variable": "results", "isoutput": "true"},
        value,
    )


@given(field=st.text(), message=st.text(), file=st.text())
def test_any_finding_makes_one_reversible_command_per_host(field: str, message: str, file: str) -> None:
    finding = Finding(file, field, message, 7)
    github = github_annotation(finding)
    assert single_line(github)
    _, properties, decoded = parse_github(github)
    assert decoded == message
    assert properties.get("file", "") == file
    assert properties["title"] == (field or "vending")
    ado = ado_logissue(finding)
    assert single_line(ado)
    _, properties, decoded = parse_ado(ado)
    assert decoded == (f"{field}: {message}" if field else message)
    assert properties.get("sourcepath", "") == file
    assert properties.get("code", "") == field


# --- printing user text on a host --------------------------------------------------------------------


def test_guarded_json_parses_back_and_carries_no_azure_devops_command() -> None:
    document = {"results": [{"name": HOSTILE, "errors": [{"message": "##[error]spoof ##vso[task.complete]"}]}]}
    for indent in (2, None):
        text = guard_json(document, Host.AZURE_DEVOPS, indent=indent)
        assert "##" not in text
        assert json.loads(text) == document


def test_guarded_json_lines_never_start_a_github_command() -> None:
    document = {"results": [{"name": "::error::x", "errors": ["\n::set-output name=a::b"]}]}
    text = guard_json(document, Host.GITHUB)
    assert json.loads(text) == document
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())


@pytest.mark.parametrize(
    ("host", "text"),
    [
        (Host.AZURE_DEVOPS, "requests/a.yaml: name: '##vso[task.setvariable variable=x]y' is invalid"),
        (Host.AZURE_DEVOPS, "x ###vso[task.complete result=Failed;] ##[error]spoof"),
        (Host.GITHUB, "::error::spoofed\n  ::add-mask::x\nfine :: here"),
        (Host.GITHUB, "a\r::add-mask::x\r\n\t::set-output name=a::b ##[add-mask]y"),
        (Host.AZURE_DEVOPS, "a\r::add-mask::x ##vso[task.complete]"),
    ],
)
def test_guarded_text_starts_no_command(host: Host, text: str) -> None:
    guarded = guard_text(text, host)
    assert guarded.replace("\uff03", "#").replace("\uff1a", ":") == text
    assert "##vso[" not in guarded
    assert "##[" not in guarded
    assert not any(line.lstrip().startswith("::") for line in re.split(r"\r\n|\r|\n", guarded))


@pytest.mark.parametrize("host", [Host.GITHUB, Host.AZURE_DEVOPS])
def test_guard_breaks_commands_with_visible_characters_only(host: Host) -> None:
    """.NET's culture-sensitive search skips ignorable code points, so neither the break nor the text
    may rely on one: ``#\u2060#vso[`` is ``##vso[`` to an agent running on ICU."""
    guarded = guard_text("#\u2060#vso[task.complete]\n\u200b::add-mask::x\n:\x00:error::y", host)
    assert guarded == ("#\\u2060#vso[task.complete]\n\\u200b::add-mask::x\n:\\u0000:error::y")


def test_guarded_text_is_unchanged_on_a_plain_host() -> None:
    assert guard_text(HOSTILE + "\n::error::x", Host.PLAIN) == HOSTILE + "\n::error::x"

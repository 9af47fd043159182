"""Workflow commands (GitHub Actions) and logging commands (Azure Pipelines), escaped.

Each function returns exactly one line without its line break: whatever a message
holds, it cannot end the command early or start another one.
"""

from __future__ import annotations

from pathlib import Path

from vending.errors import Finding

_GITHUB_DATA = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_GITHUB_PROPERTY = (*_GITHUB_DATA, (":", "%3A"), (",", "%2C"))
_ADO_DATA = (("%", "%AZP25"), ("\r", "%0D"), ("\n", "%0A"))
_ADO_PROPERTY = (*_ADO_DATA, (";", "%3B"), ("]", "%5D"))


def _replace_all(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def escape_github_data(text: str) -> str:
    return _replace_all(text, _GITHUB_DATA)


def escape_github_property(text: str) -> str:
    return _replace_all(text, _GITHUB_PROPERTY)


def escape_ado_data(text: str) -> str:
    return _replace_all(text, _ADO_DATA)


def escape_ado_property(text: str) -> str:
    return _replace_all(text, _ADO_PROPERTY)


def _location(finding: Finding) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    if finding.file:
        pairs.append(("file", finding.file))
    if finding.line is not None:
        pairs.append(("line", str(finding.line)))
    return pairs


def github_annotation(finding: Finding, level: str = "error") -> str:
    """``::error file=F,line=L,title=FIELD::message``."""
    pairs = [*_location(finding), ("title", finding.field or "vending")]
    properties = ",".join(f"{key}={escape_github_property(value)}" for key, value in pairs)
    return f"::{level} {properties}::{escape_github_data(finding.message)}"


def ado_logissue(finding: Finding, level: str = "error") -> str:
    """``##vso[task.logissue type=error;sourcepath=F;linenumber=L;code=FIELD]FIELD: message``."""
    names = {"file": "sourcepath", "line": "linenumber"}
    pairs = [("type", level)] + [(names[key], value) for key, value in _location(finding)]
    if finding.field:
        pairs.append(("code", finding.field))
    properties = ";".join(f"{key}={escape_ado_property(value)}" for key, value in pairs)
    text = f"{finding.field}: {finding.message}" if finding.field else finding.message
    return f"##vso[task.logissue {properties}]{escape_ado_data(text)}"


def ado_set_output(name: str, value: str) -> str:
    """An output variable, readable by later jobs as ``<step>.<name>``."""
    properties = f"variable={escape_ado_property(name)};isoutput=true"
    return f"##vso[task.setvariable {properties}]{escape_ado_data(value)}"


def ado_upload_summary(path: Path) -> str:
    return f"##vso[task.uploadsummary]{escape_ado_data(str(path))}"

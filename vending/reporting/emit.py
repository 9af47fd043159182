"""Writing a command's report to the CI host it runs on (the only I/O in this package)."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from vending.errors import Finding
from vending.reporting.guard import printable
from vending.reporting.host import Host
from vending.reporting.outputs import github_outputs, output_values
from vending.reporting.rows import ResultRow
from vending.reporting.summary import summary_markdown
from vending.reporting.workflow_commands import (
    ado_logissue,
    ado_set_output,
    ado_upload_summary,
    github_annotation,
)


def _all_findings(rows: Sequence[ResultRow], findings: Sequence[Finding]) -> list[Finding]:
    """Every finding once: the loose ones, then each row's errors (located in the row's file)."""
    from_rows = [
        error if error.file else Finding(row.file, error.field, error.message, error.line)
        for row in rows
        for error in row.errors
    ]
    return list(dict.fromkeys([*findings, *from_rows]))


def _loose_findings(rows: Sequence[ResultRow], findings: Sequence[Finding]) -> list[Finding]:
    on_rows = {error for row in rows for error in row.errors}
    return [finding for finding in dict.fromkeys(findings) if finding not in on_rows]


@dataclass(frozen=True)
class _Report:
    """What a host receives, computed once from the command's outcome."""

    annotations: list[Finding]
    summary: str
    outputs: dict[str, str]


def _build_report(
    rows: Sequence[ResultRow], findings: Sequence[Finding], document: Mapping[str, object] | None, title: str
) -> _Report:
    return _Report(
        annotations=_all_findings(rows, findings),
        summary=summary_markdown(rows, _loose_findings(rows, findings), title),
        outputs=output_values(rows, document),
    )


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(printable(text))


def _write_lines(stream: TextIO, lines: Sequence[str]) -> None:
    for line in lines:
        stream.write(printable(line) + "\n")
    stream.flush()


def _emit_github(report: _Report, env: Mapping[str, str], stream: TextIO) -> None:
    lines = [github_annotation(finding) for finding in report.annotations]
    targets = (("GITHUB_STEP_SUMMARY", report.summary), ("GITHUB_OUTPUT", github_outputs(report.outputs)))
    for variable, text in targets:
        if not env.get(variable):
            continue
        try:
            _append(Path(env[variable]), text)
        except OSError as error:
            warning = Finding("", "", f"cannot write ${variable}: {error}")
            lines.append(github_annotation(warning, level="warning"))
    _write_lines(stream, lines)


def _summary_file(env: Mapping[str, str]) -> Path:
    directory = Path(env.get("AGENT_TEMPDIRECTORY") or tempfile.gettempdir())
    return (directory / f"vending-summary-{secrets.token_hex(8)}.md").resolve()


def _emit_azure_devops(report: _Report, env: Mapping[str, str], stream: TextIO) -> None:
    lines = [ado_logissue(finding) for finding in report.annotations]
    summary = _summary_file(env)
    try:
        summary.write_text(printable(report.summary), encoding="utf-8")
        lines.append(ado_upload_summary(summary))
    except OSError as error:
        lines.append(ado_logissue(Finding("", "", f"cannot write the summary: {error}"), level="warning"))
    lines += [ado_set_output(name, value) for name, value in report.outputs.items()]
    _write_lines(stream, lines)


def emit_host_report(
    host: Host,
    results: Sequence[ResultRow],
    findings: Sequence[Finding],
    env: Mapping[str, str],
    stream: TextIO,
    *,
    document: Mapping[str, object] | None = None,
    title: str = "vending",
) -> None:
    """Annotate findings, write the summary and set the ``committed``/``commits``/``results`` outputs.

    ``findings`` are those not tied to a result row (a row's own errors are annotated too);
    ``document`` is the JSON the command printed (built from ``results`` when omitted);
    workflow and logging commands go to ``stream``. Nothing happens on a plain host.
    """
    if host is Host.PLAIN:
        return
    report = _build_report(results, findings, document, title)
    if host is Host.GITHUB:
        _emit_github(report, env, stream)
    else:
        _emit_azure_devops(report, env, stream)

"""The one output path of a ``vending`` invocation: text or one JSON document, always guarded.

``main`` creates one :class:`Printer` per invocation and hands it to click as the context object.
The ``--output`` options (before or after the command) set its mode while click parses the
command line; every command prints through it, and ``main`` reports errors through it. Whatever
it prints passes through the CI-command injection guard first, so no value from a request can
become a GitHub workflow command or an Azure Pipelines logging command; and through ``redact`` before
that, so no credential in a URL (a trunk's userinfo, an access token) reaches stdout, stderr or a CI log.
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import click

from vending.errors import ExitCode, Finding, VendingError

if TYPE_CHECKING:
    from vending.reporting import Host, ResultRow

Mode = Literal["text", "json"]
OUTPUT_CHOICES = ("text", "json")


class Printer:
    """Decides text or JSON for one invocation and prints everything a command shows."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = dict(os.environ if env is None else env)
        self._mode: Mode = "text"
        self._documents = 0
        self.debug = False

    # ---- the mode ---------------------------------------------------------------------------------

    @property
    def json(self) -> bool:
        return self._mode == "json"

    @property
    def documents(self) -> int:
        """How many JSON documents this invocation printed on stdout so far (at most one)."""
        return self._documents

    def use(self, mode: str) -> None:
        """Set by the ``--output`` options while click parses the command line."""
        self._mode = "json" if mode == "json" else "text"

    @property
    def host(self) -> Host:
        from vending.reporting.host import detect_host

        return detect_host(self._env)

    # ---- what commands print -----------------------------------------------------------------------

    def show(self, document: Mapping[str, object], text: Callable[[], None]) -> None:
        """The command's result: ``document`` in JSON mode, else whatever ``text`` prints."""
        if self.json:
            self.document(document)
        else:
            text()

    def document(self, document: Mapping[str, object], *, sort_keys: bool = False) -> None:
        """One JSON document on stdout, guarded so that no CI host reads a command out of it."""
        from vending.reporting.guard import guard_json
        from vending.reporting.redact import redact_value

        if self._documents:
            raise RuntimeError("a command printed a second JSON document")
        self._documents += 1
        click.echo(guard_json(redact_value(document), self.host, sort_keys=sort_keys))

    def out(self, text: str) -> None:
        """A line for people on stdout."""
        click.echo(self._guard(text))

    def err(self, text: str) -> None:
        """A line for people on stderr (in both modes: stdout carries only the document)."""
        click.echo(self._guard(text), err=True)

    def note(self, text: str) -> None:
        """A remark on stderr in text mode only."""
        if not self.json:
            self.err(text)

    def findings(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.err(finding.render())

    def host_report(
        self,
        rows: Sequence[ResultRow],
        findings: Sequence[Finding],
        *,
        title: str,
        document: Mapping[str, object] | None = None,
    ) -> None:
        """Annotations, summary and step outputs on GitHub Actions or Azure DevOps; nothing elsewhere.
        Logging commands go to stderr when stdout carries the JSON document."""
        from vending.reporting.emit import emit_host_report
        from vending.reporting.redact import redact_finding, redact_row, redact_value

        stream = sys.stderr if self.json else sys.stdout
        emit_host_report(
            self.host,
            [redact_row(row) for row in rows],
            [redact_finding(finding) for finding in findings],
            self._env,
            stream,
            document=None if document is None else redact_value(document),
            title=title,
        )

    # ---- how an invocation fails -------------------------------------------------------------------

    def error(self, error: VendingError) -> int:
        """A user error: the findings (or the message), the host report; its exit code."""
        self._traceback()
        code = int(error.exit_code)
        if self.json:
            self._error_document(error.message, code, error.findings)
        elif error.findings:
            self.findings(error.findings)
        else:
            self.err(f"error: {error.message}")
        self.host_report([], list(error.findings) or [Finding("", "", error.message)], title="vending")
        return code

    def usage_error(self, error: click.ClickException) -> int:
        """A command line click refused: click's usage text, or the error document; exit 2."""
        code = int(ExitCode.INVALID)
        if self.json:
            self._error_document(error.format_message(), code, ())
        else:
            shown = io.StringIO()
            error.show(file=shown)
            click.echo(self._guard(shown.getvalue()), err=True, nl=False)
        return code

    def aborted(self) -> int:
        code = int(ExitCode.INVALID)
        if self.json:
            self._error_document("aborted", code, ())
        else:
            self.err("aborted")
        return code

    def internal_error(self, error: Exception) -> int:
        """A bug: one line (the traceback with --debug); exit 1."""
        self._traceback()
        code = int(ExitCode.BUG)
        message = f"internal error: {type(error).__name__}: {error}"
        if self.json and not self._documents:
            self._error_document(message, code, ())
        self.err(f"{message} (rerun with --debug for details)")
        return code

    def _error_document(self, message: str, code: int, findings: Iterable[Finding]) -> None:
        """The error document, unless the command already printed its own (then the message goes to stderr)."""
        if self._documents:
            self.err(f"error: {message}")
            return
        self.document({"error": message, "exitCode": code, "findings": [finding.as_dict() for finding in findings]})

    def _traceback(self) -> None:
        if self.debug:
            click.echo(self._guard(traceback.format_exc()), err=True, nl=False)

    def _guard(self, text: str) -> str:
        from vending.reporting.guard import guard_text
        from vending.reporting.redact import redact

        return guard_text(redact(text), self.host)


def current_printer() -> Printer:
    """The invocation's printer (a fresh text printer when a command runs outside ``main``)."""
    return click.get_current_context().ensure_object(Printer)


pass_printer = click.make_pass_decorator(Printer, ensure=True)
"""Passes the invocation's printer as a command's first argument."""


def set_output(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """The ``--output`` callback, on the root group and on every command."""
    if value is not None:
        ctx.ensure_object(Printer).use(value)


def output_option(*, default: str | None) -> click.Option:
    """``--output text|json``: eager, so that errors in later options are already reported in its mode."""
    return click.Option(
        ["--output"],
        type=click.Choice(OUTPUT_CHOICES),
        default=default,
        show_default=default is not None,
        is_eager=True,
        expose_value=False,
        callback=set_output,
        help="Print results as text or as one JSON document on stdout"
        + (" (also accepted after the command)." if default is not None else " (also accepted before the command)."),
    )


def add_output_option(command: click.Command) -> None:
    """Give ``command`` (and a group's subcommands) its own ``--output``, for use after the command name."""
    if not any("--output" in param.opts for param in command.params):
        command.params.insert(0, output_option(default=None))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_output_option(sub)

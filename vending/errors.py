"""The project's errors, findings and exit codes (the exit codes are listed in the README)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    BUG = 1
    INVALID = 2
    AZURE = 3
    SCOPE = 4
    TRUNK = 5
    DRIFT = 6


@dataclass(frozen=True, order=True)
class Finding:
    """One problem a user can fix: where it is and what to do."""

    file: str
    field: str
    message: str
    line: int | None = None

    def render(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "field": self.field, "message": self.message, "line": self.line}


class VendingError(Exception):
    """Base of every error a user can act on; carries its exit code and findings."""

    exit_code: ExitCode = ExitCode.BUG

    def __init__(self, message: str, findings: tuple[Finding, ...] | list[Finding] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.findings = tuple(findings)


class InputError(VendingError):
    """Invalid request, config, CLI usage or a conflict with the trunk's state (exit 2)."""

    exit_code = ExitCode.INVALID


class AzureCheckError(VendingError):
    """Refused by the Azure pre-flight checks, or Azure unreachable (exit 3)."""

    exit_code = ExitCode.AZURE


class ScopeError(VendingError):
    """Refused by path scope or a guardrail (exit 4)."""

    exit_code = ExitCode.SCOPE


class TrunkError(VendingError):
    """The trunk's remote is unreachable or keeps rejecting the push (exit 5)."""

    exit_code = ExitCode.TRUNK


class DriftError(VendingError):
    """``check`` found drift (exit 6)."""

    exit_code = ExitCode.DRIFT


class RenderBugError(VendingError):
    """A self-check failed on output that valid input produced: a bug (exit 1)."""

    exit_code = ExitCode.BUG

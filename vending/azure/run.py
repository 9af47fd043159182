"""The one entry point the CLI calls: build the credential and clients, check, close; and the shape of a
pre-flight runner as the use cases see it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from vending.azure.adapter import SdkAzureReader
from vending.azure.checks import check_requests
from vending.azure.credentials import build_credential, close_credential
from vending.azure.report import CheckReport
from vending.azure.settings import AzureSettings
from vending.errors import Finding
from vending.request.model import Request


class AzureRunner(Protocol):
    """Checks ``(source file, request)`` pairs against Azure and returns each pair's findings, in the order
    given (empty when it passed): callers join them to their requests by position. ``in_trunk`` names the
    requests already in the trunk, whose display name may differ from Azure's."""

    def __call__(
        self, items: Sequence[tuple[str, Request]], in_trunk: Collection[str]
    ) -> Sequence[Sequence[Finding]]: ...


def run_azure_checks(
    items: Sequence[tuple[str, Request]], settings: AzureSettings, in_trunk: Collection[str] = ()
) -> CheckReport:
    """Check ``(source file, request)`` pairs against Azure; raises ``AzureCheckError`` (exit 3)
    when Azure cannot be reached or authenticated. Request-level problems are in the report."""
    credential = build_credential(settings)
    try:
        reader = SdkAzureReader(settings, credential)
        try:
            return check_requests(items, reader, settings, in_trunk)
        finally:
            reader.close()
    finally:
        close_credential(credential)


def findings_in_order(report: CheckReport) -> list[tuple[Finding, ...]]:
    """The findings of each checked pair, in the order the pairs were given."""
    return [result.findings for result in report.results]

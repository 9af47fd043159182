"""The one entry point the CLI calls: build the credential and clients, check, close."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from vending.azure.adapter import SdkAzureReader
from vending.azure.checks import check_requests
from vending.azure.credentials import build_credential, close_credential
from vending.azure.report import CheckReport
from vending.azure.settings import AzureSettings
from vending.request.model import Request


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

"""Azure pre-flight checks over the Azure SDK (see docs/azure.md)."""

from __future__ import annotations

from vending.azure.adapter import AzureReader, SdkAzureReader
from vending.azure.checks import check_requests
from vending.azure.report import CheckReport, ReadUsage, RequestResult
from vending.azure.run import run_azure_checks
from vending.azure.settings import AzureSettings, settings_from_env

__all__ = [
    "AzureReader",
    "AzureSettings",
    "CheckReport",
    "ReadUsage",
    "RequestResult",
    "SdkAzureReader",
    "check_requests",
    "run_azure_checks",
    "settings_from_env",
]

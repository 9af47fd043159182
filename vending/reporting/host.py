"""Which CI host a command runs on, decided from an environment mapping."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Host(StrEnum):
    GITHUB = "github"
    AZURE_DEVOPS = "azure-devops"
    PLAIN = "plain"


def _is_true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def detect_host(env: Mapping[str, str]) -> Host:
    """GitHub Actions sets ``GITHUB_ACTIONS=true``; Azure Pipelines agents set ``TF_BUILD=True``."""
    if _is_true(env.get("GITHUB_ACTIONS")):
        return Host.GITHUB
    if _is_true(env.get("TF_BUILD")):
        return Host.AZURE_DEVOPS
    return Host.PLAIN

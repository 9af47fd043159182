"""Which CI host a command runs on, and who started the run, decided from an environment mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class CiAuthor:
    """The person behind a pipeline run, as the CI host names them."""

    name: str
    email: str


def environment_author(env: Mapping[str, str]) -> CiAuthor | None:
    """The person behind a pipeline run, from the variables of the host :func:`detect_host` finds."""
    host = detect_host(env)
    if host is Host.GITHUB and env.get("GITHUB_ACTOR"):
        actor = env["GITHUB_ACTOR"]
        actor_id = env.get("GITHUB_ACTOR_ID")
        email = f"{actor_id}+{actor}@users.noreply.github.com" if actor_id else f"{actor}@users.noreply.github.com"
        return CiAuthor(actor, email)
    if host is Host.AZURE_DEVOPS and env.get("BUILD_REQUESTEDFOR"):
        email = env.get("BUILD_REQUESTEDFOREMAIL") or "azure-devops@users.noreply.local"
        return CiAuthor(env["BUILD_REQUESTEDFOR"], email)
    return None

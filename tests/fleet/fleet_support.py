"""Names and helpers the fleet tests share (the identities of the fleet trunk, a subscription id, the render
hash the trunk holds for a subscription)."""

from __future__ import annotations

from pathlib import Path

from testing.trunks import git

DEV_OWNER = "@example/platform-dev"
PROD_OWNER = "@example/platform-prod"
ADMINS = "@example/platform-admins"
SUBSCRIPTION = "11111111-2222-3333-4444-555555555555"


def trunk_hash(remote: Path, name: str, environment: str = "dev") -> str:
    """The ``vending.dev/render-hash`` of the subscription's Terraform object on main."""
    text = git(remote, "show", f"main:subscriptions/{environment}/{name}/terraform.yaml")
    (line,) = [line for line in text.splitlines() if "vending.dev/render-hash" in line]
    return line.split(":", 1)[1].strip()

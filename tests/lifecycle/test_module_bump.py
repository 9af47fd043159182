"""A module bump is a trunk-wide change: it rewrites what the module renders, never a request."""

from __future__ import annotations

from pathlib import Path

from lifecycle_support import edit_config, vend
from testing.cli import run_cli
from testing.trunks import git


def test_module_bump_leaves_every_request_yaml_alone(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    vend(remote, requests_dir, "app-dev")
    vend(remote, requests_dir, "web-dev")
    work = tmp_path / "admin"
    edit_config(remote, work, "ref: v0.1.0", "ref: v0.2.0")
    request = (work / "subscriptions/dev/app-dev/request.yaml").read_text(encoding="utf-8")
    assert "module" not in request.split("interfaceVersion", 1)[0]
    assert run_cli("check", "--trunk", work, "--fix").code == 0
    changed = git(work, "status", "--porcelain").split()
    assert "subscriptions/dev/app-dev/main.tf" in changed and "subscriptions/dev/web-dev/terraform.yaml" in changed
    assert not [path for path in changed if path.endswith("request.yaml")]

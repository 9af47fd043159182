"""Sources Flux can read: ``init --trunk-url/--module-url/--trunk-secret``, a secretRef whenever the trunk needs
credentials, the module source pinned and trimmed, and per-environment intervals and drift detection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from lifecycle_support import edit_config, show, tip, vend
from testing.cli import run_cli

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _object(trunk: Path, path: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((trunk / "clusters/main/vending" / path).read_text(encoding="utf-8"))
    return data


def test_default_init_reads_the_trunk_over_https_with_a_secret(tmp_path: Path) -> None:
    trunk = tmp_path / "trunk"
    run = run_cli("init", trunk, "--org", "acme")
    assert run.code == 0, run.stderr
    source = _object(trunk, "trunk-source.yaml")["spec"]
    assert source["url"] == "https://github.com/acme/subscriptions"
    assert source["secretRef"] == {"name": "vending-trunk-auth"}
    module = _object(trunk, "sources/module-source.yaml")["spec"]
    assert module["url"] == "https://github.com/acme/vending" and module["ref"] == {"tag": "v0.1.0"}
    assert module["ignore"].splitlines() == ["/*", "!/modules/", "/modules/*", "!/modules/subscription/"]
    assert "secretRef" not in module
    assert "flux create secret git vending-trunk-auth" in run.stdout and "'- vending'" in run.stdout
    assert not (trunk / "clusters/main/kustomization.yaml").exists()


@pytest.mark.parametrize(
    ("url", "secret", "expected"),
    [
        ("ssh://git@github.com/acme/subscriptions", "", {"name": "vending-trunk-auth"}),
        ("git@github.com:acme/subscriptions.git", "deploy-key", {"name": "deploy-key"}),
        ("https://git.example.com/acme/subscriptions", "", None),
        ("https://dev.azure.com/acme/platform/_git/subscriptions", "ado-pat", {"name": "ado-pat"}),
    ],
)
def test_trunk_url_and_secret(tmp_path: Path, url: str, secret: str, expected: dict[str, str] | None) -> None:
    trunk = tmp_path / "trunk"
    run = run_cli("init", trunk, "--org", "acme", "--trunk-url", url, "--trunk-secret", secret)
    assert run.code == 0, run.stderr
    source = _object(trunk, "trunk-source.yaml")["spec"]
    assert source["url"].startswith(("https://", "ssh://")) and source.get("secretRef") == expected
    assert run_cli("check", "--trunk", trunk).code == 0


def test_module_url_option(tmp_path: Path) -> None:
    trunk = tmp_path / "trunk"
    url = "https://dev.azure.com/acme/platform/_git/vending"
    assert run_cli("init", trunk, "--module-url", url).code == 0
    assert _object(trunk, "sources/module-source.yaml")["spec"]["url"] == url
    assert f"url: {url}" in (trunk / "vending.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("option", "value"),
    [("--trunk-url", "github.com/acme/subs"), ("--module-url", "ftp://x/y"), ("--trunk-secret", "Bad_Name")],
)
def test_bad_source_options_are_refused_before_anything_is_written(tmp_path: Path, option: str, value: str) -> None:
    trunk = tmp_path / "trunk"
    run = run_cli("init", trunk, option, value)
    assert run.code == 2
    assert f"{option}: " in run.stderr and repr(value) in run.stderr
    assert not trunk.exists()


def test_module_commit_pin_and_secret(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    vend(remote, requests_dir, "app-dev")
    work = tmp_path / "admin"
    edit_config(remote, work, "  path: modules/subscription\n", f"  path: modules/subscription\n  commit: {COMMIT}\n")
    edit_config(remote, work, "  delivery: module\n", "  delivery: module\n  moduleSecret: module-auth\n")
    checked = run_cli("check", "--trunk", remote)
    assert checked.code == 6 and "clusters/main/vending/sources/module-source.yaml" in checked.stderr
    assert "subscriptions/dev/app-dev/main.tf" in checked.stderr
    assert run_cli("check", "--trunk", work, "--fix").code == 0
    assert run_cli("check", "--trunk", work).code == 0
    module = yaml.safe_load((work / "clusters/main/vending/sources/module-source.yaml").read_text())["spec"]
    assert module["ref"] == {"tag": "v0.1.0", "commit": COMMIT}
    assert module["secretRef"] == {"name": "module-auth"}
    assert f"?ref={COMMIT}" in (work / "subscriptions/dev/app-dev/main.tf").read_text()


def test_a_short_module_commit_is_refused(remote: Path, tmp_path: Path) -> None:
    head = edit_config(
        remote, tmp_path / "admin", "  path: modules/subscription\n", "  path: modules/subscription\n  commit: abc123\n"
    )
    run = run_cli("check", "--trunk", remote)
    assert run.code == 2 and "vending.yaml" in run.stderr and "module.commit" in run.stderr
    assert tip(remote) == head


def test_interval_and_drift_detection_per_environment(remote: Path, requests_dir: Path, tmp_path: Path) -> None:
    edit_config(
        remote,
        tmp_path / "admin",
        "    deletion: retain\n",
        "    deletion: retain\n    interval: 6h\n    driftDetection: false\n",
    )
    vend(remote, requests_dir, "app-dev")
    vend(
        remote,
        requests_dir,
        "app-prod",
        "prod",
        managementGroup="mg-corp-prod",
        budget={"amount": 10, "timeGrain": "Monthly", "thresholds": [90], "contactEmails": ["f@contoso.com"]},
    )
    dev = yaml.safe_load(show(remote, "subscriptions/dev/app-dev/terraform.yaml"))["spec"]
    prod = yaml.safe_load(show(remote, "subscriptions/prod/app-prod/terraform.yaml"))["spec"]
    assert dev["interval"] == "24h" and "disableDriftDetection" not in dev
    assert prod["interval"] == "6h" and prod["disableDriftDetection"] is True


def test_a_bad_interval_names_the_environment(remote: Path, tmp_path: Path) -> None:
    edit_config(remote, tmp_path / "admin", "    deletion: retain\n", "    deletion: retain\n    interval: 6 hours\n")
    run = run_cli("check", "--trunk", remote)
    assert run.code == 2 and "environments.prod.interval" in run.stderr

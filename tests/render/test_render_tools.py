"""Rendered output checked by the real tools: ``terraform fmt``, ``terraform console`` reading the HCL
literals back, ``kubectl kustomize`` building a trunk with several subscriptions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from render_support import GOLDEN_DIR, NASTY, REPO, kustomize, vended_trunk
from tooling import require_tool

from vending.render.hcl import hcl_value

TF_ENV = {
    "CHECKPOINT_DISABLE": "1",
    "TF_IN_AUTOMATION": "1",
    "PATH": "/usr/bin:/bin",
    "TF_CLI_CONFIG_FILE": "/dev/null",
}


def _fmt_check(terraform: str, directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [terraform, "fmt", "-check", "-recursive", "-diff", "-no-color", str(directory)],
        capture_output=True,
        text=True,
        env=TF_ENV,
        check=False,
    )


def test_terraform_fmt_accepts_every_golden() -> None:
    terraform = require_tool("terraform")
    assert list(GOLDEN_DIR.rglob("*.tf")), "no rendered .tf in the goldens"
    result = _fmt_check(terraform, GOLDEN_DIR)
    assert result.returncode == 0, result.stdout + result.stderr


def test_terraform_fmt_accepts_the_module() -> None:
    terraform = require_tool("terraform")
    result = _fmt_check(terraform, REPO / "modules")
    assert result.returncode == 0, result.stdout + result.stderr


def test_terraform_fmt_detects_a_misformatted_file(tmp_path: Path) -> None:
    terraform = require_tool("terraform")
    (tmp_path / "main.tf").write_text("locals {\n  a = 1\n  bb = 2\n}\n", encoding="utf-8")
    assert _fmt_check(terraform, tmp_path).returncode == 3


def _console(terraform: str, directory: Path, expression: str) -> Any:
    result = subprocess.run(
        [terraform, "console"],
        input=expression + "\n",
        cwd=directory,
        capture_output=True,
        text=True,
        env=TF_ENV,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    return json.loads(json.loads(line))


def test_terraform_reads_hcl_literals_back_exactly(tmp_path: Path) -> None:
    """The real HCL parser, not python-hcl2, is the oracle for ``hcl_string``."""
    terraform = require_tool("terraform")
    values = [
        *NASTY,
        *(a + b for a in NASTY for b in ("${", "%{", "$", "%", "\\", '"')),
        "".join(NASTY),
        "$" * 5 + "{",
        "%" * 5 + "{",
        "\\" * 5 + "${",
    ]
    mapping = {f"k{i}": value for i, value in enumerate(values)}
    keys = {value: value for value in NASTY if value}
    body = "".join(
        f"  {name} = {hcl_value(value, 1)}\n" for name, value in (("v", values), ("m", mapping), ("keys", keys))
    )
    text = f"locals {{\n{body}}}\n"
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    assert _console(terraform, tmp_path, "jsonencode(local.v)") == values
    assert _console(terraform, tmp_path, "jsonencode(local.m)") == mapping
    assert _console(terraform, tmp_path, "jsonencode(local.keys)") == keys


@pytest.mark.parametrize("delivery", ["module", "trunk"])
def test_kubectl_kustomize_builds_every_environment_and_the_cluster(tmp_path: Path, delivery: str) -> None:
    kubectl = require_tool("kubectl")
    retain = {"environments": {"dev": {"deletion": "retain"}}} if delivery == "trunk" else {}
    trunk = vended_trunk(tmp_path, {"flux": {"delivery": delivery}, **retain})
    dev = kustomize(kubectl, trunk / "subscriptions" / "dev")
    assert sorted(doc["metadata"]["name"] for doc in dev) == ["app-dev", "platform-management", "web-dev"]
    assert {doc["kind"] for doc in dev} == {"Terraform"}
    prod = kustomize(kubectl, trunk / "subscriptions" / "prod")
    assert [doc["metadata"]["name"] for doc in prod] == ["payments-prod"]
    cluster = kustomize(kubectl, trunk / "clusters" / "main" / "vending")
    assert sorted((doc["kind"], doc["metadata"]["name"]) for doc in cluster) == [
        ("GitRepository", "vending-trunk"),
        ("Kustomization", "subscriptions-dev"),
        ("Kustomization", "subscriptions-prod"),
        ("Kustomization", "vending-trunk-sources"),
    ]
    sources = kustomize(kubectl, trunk / "clusters" / "main" / "vending" / "sources")
    assert [(doc["kind"], doc["spec"]["ref"]) for doc in sources] == [("GitRepository", {"tag": "v0.1.0"})]
    assert sources[0]["spec"]["ignore"] == "/*\n!/modules/\n/modules/*\n!/modules/subscription/\n"


def test_kustomize_keeps_tag_values_as_strings(tmp_path: Path) -> None:
    """What kubectl builds is what was rendered: vars survive kustomize's own YAML round trip."""
    kubectl = require_tool("kubectl")
    trunk = vended_trunk(tmp_path)
    built = {doc["metadata"]["name"]: doc for doc in kustomize(kubectl, trunk / "subscriptions" / "dev")}
    for name in built:
        on_disk = yaml.safe_load((trunk / "subscriptions" / "dev" / name / "terraform.yaml").read_text())
        assert built[name]["spec"] == on_disk["spec"]

"""``vending init`` and the validation of a trunk's ``vending.yaml``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from request_support import Sandbox, commit_all, git, tree_files
from testing.cli import Cli
from testing.requests import request_data

from vending.codeowners import lint_codeowners, owners_of, parse_codeowners
from vending.trunk.config import load_config
from vending.version import INTERFACE_VERSION

TRUNK_FILES = {
    "vending.yaml",
    "CODEOWNERS",
    "clusters/main/vending/kustomization.yaml",
    "clusters/main/vending/sources.yaml",
    "clusters/main/vending/trunk-source.yaml",
    "clusters/main/vending/sources/kustomization.yaml",
    "clusters/main/vending/sources/module-source.yaml",
    "clusters/main/vending/subscriptions-dev.yaml",
    "clusters/main/vending/subscriptions-prod.yaml",
    "subscriptions/dev/kustomization.yaml",
    "subscriptions/prod/kustomization.yaml",
    *(
        f"subscriptions/{env}/_shards/{number:02x}/kustomization.yaml"
        for env in ("dev", "prod")
        for number in range(256)
    ),
}


def test_init_one_commit_on_main(cli: Cli, tmp_path: Path) -> None:
    trunk = tmp_path / "trunk"
    result = cli("init", trunk, "--org", "acme")
    assert result.code == 0, result.stderr
    assert git(trunk, "symbolic-ref", "--short", "HEAD") == "main"
    assert git(trunk, "rev-list", "--count", "main") == "1"
    assert git(trunk, "branch", "--format=%(refname:short)") == "main"
    assert set(git(trunk, "ls-files").splitlines()) == TRUNK_FILES
    assert tree_files(trunk) >= TRUNK_FILES
    assert git(trunk, "status", "--porcelain", "--untracked-files=all") == ""
    message = git(trunk, "log", "-1", "--format=%B")
    assert f"Vending-Interface: {INTERFACE_VERSION}" in message
    assert "acme" in message
    assert result.stdout.startswith(f"created trunk {trunk} (523 files, commit ")


def test_init_json_output(cli: Cli, tmp_path: Path) -> None:
    result = cli("--output", "json", "init", tmp_path / "trunk")
    assert result.code == 0
    document = json.loads(result.stdout)
    assert document["trunk"] == str((tmp_path / "trunk").resolve())
    assert set(document["files"]) == TRUNK_FILES
    assert document["commit"] == git(tmp_path / "trunk", "rev-parse", "HEAD")


def test_init_into_existing_empty_directory(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "trunk").mkdir()
    assert cli("init", tmp_path / "trunk").code == 0


def test_init_config_matches_contract(cli: Cli, tmp_path: Path) -> None:
    cli("init", tmp_path / "trunk", "--org", "acme")
    config = load_config(tmp_path / "trunk")
    assert config.admins == ["@acme/platform-admins"]
    assert sorted(config.environments) == ["dev", "prod"]
    dev, prod = config.environments["dev"], config.environments["prod"]
    assert (dev.path, dev.owners, dev.workload, dev.approval, dev.deletion) == (
        "subscriptions/dev",
        ["@acme/platform-dev"],
        "DevTest",
        "auto",
        "cancel",
    )
    assert (prod.path, prod.owners, prod.workload, prod.approval, prod.deletion) == (
        "subscriptions/prod",
        ["@acme/platform-prod"],
        "Production",
        "manual",
        "retain",
    )
    assert prod.budget_required and not dev.budget_required


def test_init_default_org_is_example(cli: Cli, tmp_path: Path) -> None:
    cli("init", tmp_path / "trunk")
    assert load_config(tmp_path / "trunk").organization == "example"
    assert "@example/platform-admins" in (tmp_path / "trunk" / "CODEOWNERS").read_text()


def test_init_environments_list_their_empty_shards(cli: Cli, tmp_path: Path) -> None:
    cli("init", tmp_path / "trunk")
    for env in ("dev", "prod"):
        base = tmp_path / "trunk" / "subscriptions" / env
        kustomization = yaml.safe_load((base / "kustomization.yaml").read_text())
        assert kustomization["kind"] == "Kustomization"
        assert kustomization["resources"] == [f"_shards/{number:02x}" for number in range(256)]
        assert yaml.safe_load((base / "_shards" / "a7" / "kustomization.yaml").read_text())["resources"] == []
        assert not (base / "index.json").exists()


@pytest.mark.parametrize(
    ("path", "owner"),
    [
        ("subscriptions/dev/x/main.tf", "@ORG/platform-dev"),
        ("subscriptions/dev/_shards/00/kustomization.yaml", "@ORG/platform-dev"),
        ("subscriptions/prod/x/main.tf", "@ORG/platform-prod"),
        ("vending.yaml", "@ORG/platform-admins"),
        ("CODEOWNERS", "@ORG/platform-admins"),
        (".github/CODEOWNERS", "@ORG/platform-admins"),
        ("clusters/main/vending/kustomization.yaml", "@ORG/platform-admins"),
        ("README.md", "@ORG/platform-admins"),
        ("subscriptions/devx/main.tf", "@ORG/platform-admins"),
        ("subscriptions/x/vending.yaml", "@ORG/platform-admins"),
    ],
)
def test_init_codeowners(cli: Cli, tmp_path: Path, path: str, owner: str) -> None:
    cli("init", tmp_path / "trunk", "--org", "contoso")
    text = (tmp_path / "trunk" / "CODEOWNERS").read_text()
    assert lint_codeowners(text, "CODEOWNERS") == []
    assert owners_of(parse_codeowners(text), path) == (owner.replace("ORG", "contoso"),)


def test_init_refuses_non_empty_directory(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "trunk"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    result = cli("init", target)
    assert result.code == 2
    assert f"{target}: directory is not empty" in result.stderr
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert (target / "notes.txt").read_text() == "mine\n"


def test_init_refuses_existing_trunk(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "trunk"
    cli("init", target)
    head = git(target, "rev-parse", "HEAD")
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert cli("init", target, "--org", "other").code == 2
    assert git(target, "rev-parse", "HEAD") == head
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before


def test_init_refuses_a_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "trunk"
    target.write_text("x")
    result = cli("init", target)
    assert result.code == 2
    assert target.read_text() == "x"


@pytest.mark.parametrize("org", ["bad org", "-acme", "acme-", "a" * 40, "ac/me", "ac..me", "", "@acme"])
def test_init_invalid_org(cli: Cli, tmp_path: Path, org: str) -> None:
    result = cli("init", tmp_path / "trunk", "--org", org)
    assert result.code == 2
    assert "--org" in result.stderr and "organization name" in result.stderr
    assert not (tmp_path / "trunk").exists()
    assert "Traceback" not in result.stderr


def test_init_usage_error(cli: Cli) -> None:
    assert cli("init").code == 2


# ---- vending.yaml validation ---------------------------------------------------------------------------


def _break_config(sandbox: Sandbox, old: str, new: str) -> None:
    path = sandbox.trunk / "vending.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    commit_all(sandbox.trunk, "change config")


def _line(sandbox: Sandbox, text: str) -> int:
    lines = (sandbox.trunk / "vending.yaml").read_text().splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("path: subscriptions/prod", "path: subscriptions/dev/prod", "environments", ("overlap",)),
        ("path: subscriptions/prod", "path: subscriptions/dev", "environments", ("overlap",)),
        ("path: subscriptions/prod", "path: ../prod", "environments.prod.path", ("'..'",)),
        ("path: subscriptions/prod", "path: subscriptions/../../etc", "environments.prod.path", ("'..'",)),
        ("path: subscriptions/prod", "path: /srv/prod", "environments.prod.path", ("relative path",)),
        ("path: subscriptions/prod", "path: clusters/prod", "environments.prod.path", ("reserved",)),
        ("path: subscriptions/prod", "path: subscriptions/prod/", "environments.prod.path", ("trailing",)),
        ("state:", "statez:", "statez", ("unknown key 'statez'", "did you mean 'state'?")),
        ("approval: manual", "approval: manuall", "environments.prod.approval", ("'auto' or 'manual'",)),
        ("workload: DevTest", "workload: Dev", "environments.dev.workload", ("Production",)),
        ("  prod:", "  Prod:", "environments", ("'Prod'",)),
        ("- '@example/platform-admins'", "- admins", "admins[0]", ("@org/team",)),
        ("ref: v0.1.0", "ref: ../v1", "module.ref", ("git tag",)),
        ("organization: example", "organisation: example", "organisation", ("did you mean 'organization'",)),
    ],
)
def test_config_errors(sandbox: Sandbox, old: str, new: str, field: str, words: tuple[str, ...]) -> None:
    _break_config(sandbox, old, new)
    line = _line(sandbox, new.strip()) if field != "environments" else _line(sandbox, "environments:")
    before = sandbox.snapshot()
    result = sandbox.cli("validate", sandbox.write(request_data()), "--trunk", sandbox.trunk)
    assert result.code == 2
    lines = [text for text in result.stderr.splitlines() if text.startswith("vending.yaml:")]
    assert lines, result.stderr
    matching = [text for text in lines if f": {field}: " in text]
    assert matching, f"no {field!r} in {lines}"
    assert matching[0].startswith(f"vending.yaml:{line}: ")
    for word in words:
        assert word in matching[0]
    assert "Traceback" not in result.stderr
    sandbox.assert_untouched((before[0], before[1] | {"app-dev.yaml"}))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("organization: [\n", "invalid YAML"),
        ("- a\n", "but it is a list"),
        ("a: 1\na: 2\n", "duplicate key"),
    ],
)
def test_config_not_a_mapping(sandbox: Sandbox, text: str, word: str) -> None:
    (sandbox.trunk / "vending.yaml").write_text(text, encoding="utf-8")
    commit_all(sandbox.trunk, "break")
    result = sandbox.cli("validate", sandbox.write(request_data()), "--trunk", sandbox.trunk)
    assert result.code == 2
    assert result.stderr.startswith("vending.yaml")
    assert word in result.stderr


def test_config_missing_in_remote(sandbox: Sandbox) -> None:
    git(sandbox.trunk, "rm", "-q", "vending.yaml")
    git(sandbox.trunk, "commit", "-qm", "drop config")
    bare = sandbox.root / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(sandbox.trunk), str(bare)], check=True)
    result = sandbox.cli("validate", sandbox.write(request_data()), "--trunk", bare)
    assert result.code == 2
    assert "vending.yaml: not found" in result.stderr
    assert list(sandbox.tmp.iterdir()) == []

"""A damaged trunk: bytes that are not UTF-8, the wrong JSON shape, symlinks, a file where a folder belongs and
the reverse. Every command that reads the trunk stops with exit 2 and names the damaged file: never exit 1,
never a traceback, never a read outside the clone, nothing committed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from testing.cli import run_cli
from testing.requests import request_data, write_request
from testing.trunks import git, init_trunk

DEV, PROD = "@example/platform-dev", "@example/platform-prod"
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "requests"
NOT_UTF8 = b"\xff\xfe not utf-8 \xc3\x28\n"
APP = "subscriptions/dev/app-dev"
RANGES = "subscriptions/prod/_networks/10.20/ranges.json"
SECRET_TEXT = "outside the trunk: vending must never read this"

Damage = Callable[[Path, Path], None]
"""Damages the trunk working tree (first argument); the second is a folder outside the trunk."""


def _bytes(path: str, data: bytes = NOT_UTF8) -> Damage:
    def damage(trunk: Path, _outside: Path) -> None:
        (trunk / path).write_bytes(data)

    return damage


def _symlink(path: str, *, folder: bool) -> Damage:
    def damage(trunk: Path, outside: Path) -> None:
        target = trunk / path
        if folder:
            decoy = outside / "decoy"
            shutil.copytree(target, decoy)
            (decoy / "request.yaml").write_text(SECRET_TEXT)
            shutil.rmtree(target)
            target.symlink_to(decoy, target_is_directory=True)
        else:
            (outside / "decoy.txt").write_text(SECRET_TEXT)
            target.unlink()
            target.symlink_to(outside / "decoy.txt")

    return damage


def _file_for_folder(path: str) -> Damage:
    def damage(trunk: Path, _outside: Path) -> None:
        shutil.rmtree(trunk / path)
        (trunk / path).write_text("a file where a folder belongs\n")

    return damage


def _folder_for_file(path: str) -> Damage:
    def damage(trunk: Path, _outside: Path) -> None:
        (trunk / path).unlink()
        (trunk / path / "inside").mkdir(parents=True)
        (trunk / path / "inside" / "x.txt").write_text("x\n")

    return damage


TOMBSTONE = "subscriptions/dev/_decommissioned/a8/platform-management.json"
STATUS = "status/dev/27/app-dev.json"
DAMAGES: dict[str, tuple[Damage, str]] = {
    "CODEOWNERS not UTF-8": (_bytes("CODEOWNERS"), "CODEOWNERS"),
    "vending.yaml not UTF-8": (_bytes("vending.yaml"), "vending.yaml"),
    "request.yaml not UTF-8": (_bytes(f"{APP}/request.yaml"), f"{APP}/request.yaml"),
    "facts.json not UTF-8": (_bytes(f"{APP}/facts.json"), f"{APP}/facts.json"),
    "facts.json a list": (_bytes(f"{APP}/facts.json", b'["workload", "DevTest"]\n'), f"{APP}/facts.json"),
    "ranges.json not UTF-8": (_bytes(RANGES), RANGES),
    "ranges.json a non-CIDR": (_bytes(RANGES, b'{"ranges": [["not-a-cidr", "payments-prod"]]}\n'), RANGES),
    "ranges.json an object for a list": (_bytes(RANGES, b'{"ranges": {"a": 1}}\n'), RANGES),
    "tombstone not UTF-8": (_bytes(TOMBSTONE), TOMBSTONE),
    "tombstone a list": (_bytes(TOMBSTONE, b"[1, 2]\n"), TOMBSTONE),
    "tombstone a symlink": (_symlink(TOMBSTONE, folder=False), TOMBSTONE),
    "kustomization not UTF-8": (_bytes("subscriptions/dev/kustomization.yaml"), "subscriptions/dev/kustomization.yaml"),
    "status record not UTF-8": (_bytes(STATUS), STATUS),
    "subscription folder a symlink": (_symlink(APP, folder=True), APP),
    "request.yaml a symlink": (_symlink(f"{APP}/request.yaml", folder=False), f"{APP}/request.yaml"),
    "CODEOWNERS a symlink": (_symlink("CODEOWNERS", folder=False), "CODEOWNERS"),
    "subscription folder a file": (_file_for_folder(APP), APP),
    "facts.json a folder": (_folder_for_file(f"{APP}/facts.json"), f"{APP}/facts.json"),
}

READS: dict[str, set[str]] = {
    "validate": {"vending.yaml", f"{APP}/facts.json", APP, RANGES},
    "render": {"vending.yaml", f"{APP}/facts.json", APP, RANGES},
    "submit": {"vending.yaml", "CODEOWNERS", f"{APP}/facts.json", f"{APP}/request.yaml", APP, RANGES},
    "decommission": {"vending.yaml", "CODEOWNERS", f"{APP}/facts.json", f"{APP}/request.yaml", APP},
    "check": {"vending.yaml", "CODEOWNERS", *{path for _, path in DAMAGES.values()}} - {STATUS},
    "codeowners which": {"CODEOWNERS"},
    "list": {"vending.yaml", f"{APP}/facts.json", f"{APP}/request.yaml", APP, TOMBSTONE, STATUS},
    "show": {"vending.yaml", f"{APP}/facts.json", f"{APP}/request.yaml", APP, TOMBSTONE, STATUS},
}
"""The damaged files each command reads: it must name them (exit 2); any other damage must not make it fail
with exit 1."""


def _commands(trunk: Path, request: Path, out: Path) -> dict[str, list[str | Path]]:
    return {
        "validate": ["validate", request, "--trunk", trunk],
        "render": ["render", request, "--trunk", trunk, "--out", out],
        "submit": ["submit", request, "--trunk", trunk, "--as", DEV, "--skip-azure-checks"],
        "decommission": [
            "decommission",
            "app-dev",
            "--trunk",
            trunk,
            "--as",
            DEV,
            "--confirm",
            "app-dev",
            "--requested-by",
            "bob@contoso.com",
        ],
        "check": ["check", "--trunk", trunk],
        "codeowners which": ["codeowners", "which", f"{APP}/main.tf", "--trunk", trunk],
        "list": ["list", "--trunk", trunk],
        "show": ["show", "app-dev", "--trunk", trunk],
    }


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """app-dev and payments-prod live, platform-management decommissioned, a status record for app-dev."""
    trunk = init_trunk(tmp_path_factory.mktemp("healthy") / "trunk")
    for identity, request in ((DEV, "app-dev"), (DEV, "platform-management"), (PROD, "payments-prod")):
        done = run_cli(
            "submit", EXAMPLES / f"{request}.yaml", "--trunk", trunk, "--as", identity, "--skip-azure-checks"
        )
        assert done.code == 0, done.stderr
    args = ("--as", DEV, "--confirm", "platform-management", "--requested-by", "bob@contoso.com")
    assert run_cli("decommission", "platform-management", "--trunk", trunk, *args).code == 0
    (trunk / STATUS).parent.mkdir(parents=True)
    (trunk / STATUS).write_text('{"name": "app-dev", "environment": "dev", "state": "ready", "since": "2026"}\n')
    _commit(trunk, "status")
    return trunk


def _commit(trunk: Path, message: str) -> None:
    git(trunk, "add", "-A")
    git(trunk, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", message)


def _damaged_copy(healthy: Path, tmp_path: Path, damage: Damage) -> Path:
    trunk = tmp_path / "trunk"
    shutil.copytree(healthy, trunk, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    damage(trunk, outside)
    _commit(trunk, "damage")
    return trunk


def _update_request(folder: Path) -> Path:
    """An update of app-dev whose network falls in the damaged ranges' block 10.20.0.0/16."""
    data = request_data("app-dev", displayName="App team (dev) renamed")
    data["network"] = {"addressSpace": ["10.20.8.0/24"], "hubPeering": False}
    return write_request(folder, data)


@pytest.mark.parametrize("command", sorted(READS))
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_damage_is_named_with_exit_2(healthy: Path, tmp_path: Path, damage: str, command: str) -> None:
    make_damage, damaged_path = DAMAGES[damage]
    trunk = _damaged_copy(healthy, tmp_path, make_damage)
    tip = git(trunk, "rev-parse", "HEAD")
    args = _commands(trunk, _update_request(tmp_path / "requests"), tmp_path / "out")[command]
    result = run_cli(*args, "--output", "json")
    assert result.code != 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert SECRET_TEXT not in result.stdout + result.stderr
    if damaged_path in READS[command]:
        assert result.code == 2 or (command == "check" and result.code == 6), result.stdout + result.stderr
        assert damaged_path in result.stdout, result.stdout
        assert git(trunk, "rev-parse", "HEAD") == tip, "nothing is committed to a damaged trunk"


def test_a_symlink_out_of_the_trunk_is_never_followed(healthy: Path, tmp_path: Path) -> None:
    trunk = _damaged_copy(healthy, tmp_path, _symlink(f"{APP}/request.yaml", folder=False))
    result = run_cli("show", "app-dev", "--trunk", trunk)
    assert result.code == 2
    assert f"{APP}/request.yaml: a symlink" in result.stderr
    assert "repair it with a commit; 'vending check' lists what is damaged" in result.stderr
    assert os.path.islink(trunk / APP / "request.yaml")


@pytest.mark.parametrize(
    "damage", ["request.yaml not UTF-8", "subscription folder a symlink", "request.yaml a symlink", "tombstone a list"]
)
@pytest.mark.parametrize("command", ["list", "show"])
def test_damage_read_from_a_url_is_named_too(healthy: Path, tmp_path: Path, damage: str, command: str) -> None:
    """From a URL the files are read from git objects, not a checkout: the same damage, the same answer."""
    make_damage, damaged_path = DAMAGES[damage]
    trunk = _damaged_copy(healthy, tmp_path, make_damage)
    git(tmp_path, "clone", "--quiet", "--bare", str(trunk), str(tmp_path / "remote.git"))
    url = f"file://{tmp_path / 'remote.git'}"
    args = ["list", "--trunk", url] if command == "list" else ["show", "app-dev", "--trunk", url]
    result = run_cli(*args, "--output", "json")
    assert result.code == 2, result.stdout + result.stderr
    assert result.json()["findings"][0]["file"] == damaged_path

"""Rendering over a trunk's life: determinism, module arguments against the module, a module ref
change, and the deletion policy fixed when a subscription is vended."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from module.module_spec import argument_problems, load_module_variables
from render_support import FLEET, GOLDEN_DIR, REPO, read_tree, vended_trunk, write_request
from testing.cli import cli_argv, run_cli
from testing.requests import request_data
from testing.trunks import make_trunk, write_trunk_layout

from vending.check import check_trunk
from vending.render.selfcheck import module_arguments
from vending.render.subscription import render_subscription
from vending.render.trunkfiles import derived_files, layout_files, subscription_layout_files
from vending.render_requests import render_requests
from vending.request.model import Request
from vending.request.yamlio import dump_yaml
from vending.trunk.config import CONFIG_FILE, load_config
from vending.trunk.state import read_state, shard_of
from vending.version import INTERFACE_VERSION

TIMESTAMP = re.compile(r"\b20\d\d-\d\d-\d\d(?:[T ]\d\d:\d\d)?")


def _requests(tmp_path: Path) -> list[Path]:
    return [write_request(tmp_path / "requests", {k: v for k, v in d.items() if v is not None}) for d in FLEET]


# ---- determinism --------------------------------------------------------------------------------


def test_rendering_twice_is_byte_identical(tmp_path: Path) -> None:
    trunk = tmp_path / "trunk"
    write_trunk_layout(trunk)
    paths = _requests(tmp_path)
    assert run_cli("render", *paths, "--trunk", trunk, "--out", tmp_path / "a").code == 0
    assert run_cli("render", *reversed(paths), "--trunk", trunk, "--out", tmp_path / "b").code == 0
    first, second = read_tree(tmp_path / "a"), read_tree(tmp_path / "b")
    assert first == second
    assert not [path for path, data in first.items() if TIMESTAMP.search(data.decode())]


def test_separate_processes_with_different_hash_seeds_agree(tmp_path: Path) -> None:
    trunk = tmp_path / "trunk"
    write_trunk_layout(trunk)
    paths = [str(p) for p in _requests(tmp_path)]
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = cli_argv("render", *paths)
        subprocess.run([*command, "--trunk", str(trunk), "--out", str(out)], check=True, env=env, capture_output=True)
        trees.append(read_tree(out))
    assert trees[0] == trees[1] and trees[0]


def test_parallel_and_sequential_batches_are_identical(tmp_path: Path) -> None:
    trunk = tmp_path / "trunk"
    write_trunk_layout(trunk)
    paths = [write_request(tmp_path / "requests", request_data(f"app-{i:03d}", tags={"n": str(i)})) for i in range(210)]
    render_requests(paths, trunk, tmp_path / "seq", INTERFACE_VERSION, workers=1)
    render_requests(paths, trunk, tmp_path / "par", INTERFACE_VERSION, workers=2)
    assert read_tree(tmp_path / "seq") == read_tree(tmp_path / "par")


# ---- module arguments against the module ---------------------------------------------------------


def _rendered_main_tfs() -> list[Path]:
    return sorted(GOLDEN_DIR.glob("*/expected/**/main.tf"))


@pytest.fixture(scope="module")
def module_variables() -> dict[str, dict[str, Any]]:
    variables: dict[str, dict[str, Any]] = load_module_variables(REPO)
    return variables


@pytest.mark.parametrize("path", _rendered_main_tfs(), ids=lambda p: p.relative_to(GOLDEN_DIR).parts[0])
def test_golden_arguments_fit_the_module(path: Path, module_variables: dict[str, dict[str, Any]]) -> None:
    arguments = module_arguments(path.read_text(encoding="utf-8"))
    arguments.pop("source")
    assert argument_problems(arguments, module_variables) == []
    flux = yaml.safe_load((path.parent / "terraform.yaml").read_text(encoding="utf-8"))
    if "vars" in flux["spec"]:
        assert {v["name"]: v["value"] for v in flux["spec"]["vars"]} == arguments


def test_fleet_arguments_fit_the_module(tmp_path: Path, module_variables: dict[str, dict[str, Any]]) -> None:
    trunk = vended_trunk(tmp_path)
    for path in sorted(trunk.glob("subscriptions/*/*/main.tf")):
        arguments = module_arguments(path.read_text(encoding="utf-8"))
        arguments.pop("source")
        assert argument_problems(arguments, module_variables) == [], path


def test_argument_check_catches_a_mismatch(module_variables: dict[str, dict[str, Any]]) -> None:
    arguments = module_arguments(next(iter(_rendered_main_tfs())).read_text(encoding="utf-8"))
    arguments.pop("source")
    arguments["owner"] = arguments.pop("owners")
    arguments["cancel_on_destroy"] = "true"
    problems = argument_problems(arguments, module_variables)
    assert "owner: not a variable of the module" in problems
    assert "owners: required variable not given" in problems
    assert any(p.startswith("cancel_on_destroy:") for p in problems)


# ---- module ref change ------------------------------------------------------------------------------


def _edit_config(trunk: Path, change: dict[str, Any]) -> None:
    path = trunk / CONFIG_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for dotted, value in change.items():
        *parents, last = dotted.split(".")
        target = data
        for key in parents:
            target = target[key]
        target[last] = value
    path.write_text(dump_yaml(data), encoding="utf-8")


def _render_trunk(trunk: Path) -> dict[str, str]:
    config = load_config(trunk)
    files = derived_files(config, INTERFACE_VERSION)
    entries = []
    for path in sorted(trunk.glob("subscriptions/*/*/request.yaml")):
        request = Request.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        entry = read_state(trunk, config).find(request.name)
        assert entry is not None, f"{request.name} has no recorded facts"
        files.update(render_subscription(request, config, INTERFACE_VERSION, entry.deletion).files)
        files.update(subscription_layout_files(config, entry, INTERFACE_VERSION))
        entries.append(entry)
    return {**files, **layout_files(config, entries, INTERFACE_VERSION)}


def test_module_ref_change_moves_source_and_every_subscription_together(tmp_path: Path) -> None:
    trunk = vended_trunk(tmp_path)
    before = _render_trunk(trunk)
    _edit_config(trunk, {"module.ref": "v0.2.0"})
    after = _render_trunk(trunk)
    assert sorted(before) == sorted(after)
    source = yaml.safe_load(after["clusters/main/vending/sources/module-source.yaml"])
    assert source["spec"]["ref"] == {"tag": "v0.2.0"}
    subscriptions = sorted(p.rsplit("/", 1)[0] for p in after if p.endswith("/main.tf"))
    assert len(subscriptions) == len(FLEET)
    for directory in subscriptions:
        assert module_arguments(after[f"{directory}/main.tf"])["source"].endswith("?ref=v0.2.0")
        old, new = (yaml.safe_load(files[f"{directory}/terraform.yaml"]) for files in (before, after))
        assert new["metadata"]["annotations"]["vending.dev/module-ref"] == "v0.2.0"
        assert new["spec"] == old["spec"], "a module upgrade must not change the object's spec"
    assert not [path for path, text in after.items() if "v0.1.0" in text]


def test_module_ref_change_is_reported_by_check_until_rerendered(tmp_path: Path) -> None:
    trunk = vended_trunk(tmp_path)
    assert check_trunk(trunk, INTERFACE_VERSION) == []
    _edit_config(trunk, {"module.ref": "v0.2.0"})
    stale = {finding.file for finding in check_trunk(trunk, INTERFACE_VERSION)}
    assert "clusters/main/vending/sources/module-source.yaml" in stale
    assert {f"{d}/main.tf" for d in ("subscriptions/dev/app-dev", "subscriptions/prod/payments-prod")} <= stale
    for path, text in _render_trunk(trunk).items():
        (trunk / path).write_text(text, encoding="utf-8")
    assert check_trunk(trunk, INTERFACE_VERSION) == []


# ---- deletion policy fixed at vend time ------------------------------------------------------------


def _flux(root: Path, env: str, name: str) -> dict[str, Any]:
    flux: dict[str, Any] = yaml.safe_load((root / "subscriptions" / env / name / "terraform.yaml").read_text())
    return flux


def _cancels(root: Path, env: str, name: str) -> bool:
    flux = _flux(root, env, name)
    arguments = module_arguments((root / "subscriptions" / env / name / "main.tf").read_text(encoding="utf-8"))
    cancels = flux["spec"]["destroyResourcesOnDeletion"]
    assert arguments["cancel_on_destroy"] is cancels
    assert {v["name"]: v["value"] for v in flux["spec"]["vars"]}["cancel_on_destroy"] is cancels
    assert flux["metadata"]["annotations"]["vending.dev/deletion-policy"] == ("cancel" if cancels else "retain")
    assert ("kustomize.toolkit.fluxcd.io/prune" in flux["metadata"]["annotations"]) is not cancels
    return bool(cancels)


@pytest.mark.parametrize(("env", "old", "new"), [("dev", "cancel", "retain"), ("prod", "retain", "cancel")])
def test_recorded_deletion_policy_wins_over_a_changed_environment(tmp_path: Path, env: str, old: str, new: str) -> None:
    trunk = vended_trunk(tmp_path)
    existing = "app-dev" if env == "dev" else "payments-prod"
    assert _cancels(trunk, env, existing) is (old == "cancel")
    _edit_config(trunk, {f"environments.{env}.deletion": new})
    fields = {"managementGroup": "mg-corp-prod", "budget": FLEET[-1]["budget"]} if env == "prod" else {}
    changed = write_request(tmp_path / "again", {**request_data(existing, env, **fields), "displayName": "Renamed"})
    fresh = write_request(tmp_path / "again", request_data(f"fresh-{env}", env, **fields))
    out = tmp_path / "out"
    result = render_requests([changed, fresh], trunk, out, INTERFACE_VERSION)
    assert result.findings == []
    assert _cancels(out, env, existing) is (old == "cancel")
    assert _cancels(out, env, f"fresh-{env}") is (new == "cancel")
    for name, policy in ((existing, old), (f"fresh-{env}", new)):
        facts = json.loads((out / "subscriptions" / env / name / "facts.json").read_text(encoding="utf-8"))
        assert facts["deletionPolicy"] == policy


def test_check_rerenders_with_the_recorded_policy(tmp_path: Path) -> None:
    trunk = vended_trunk(tmp_path)
    _edit_config(trunk, {"environments.dev.deletion": "retain"})
    findings = check_trunk(trunk, INTERFACE_VERSION)
    # Every environment's Kustomization orphans what it applied, whatever the environment's policy: a changed
    # policy changes no file until a subscription is vended under it.
    assert findings == []


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_decommission_reports_the_recorded_policy(tmp_path: Path) -> None:
    """After a cancel→retain flip, decommissioning a subscription vended under cancel still cancels it
    (its object keeps destroyResourcesOnDeletion), so the report, commit and tombstone must say cancel."""
    remote = make_trunk(tmp_path)
    request = write_request(tmp_path / "requests", request_data("app-dev"))
    assert (
        run_cli("submit", request, "--trunk", remote, "--as", "@example/platform-dev", "--skip-azure-checks").code == 0
    )
    work = tmp_path / "work"
    _git(tmp_path, "clone", "--quiet", str(remote), str(work))
    _edit_config(work, {"environments.dev.deletion": "retain"})
    _git(work, "-c", "user.name=admin", "-c", "user.email=admin@example.com", "commit", "--quiet", "-am", "flip")
    _git(work, "push", "--quiet", "origin", "HEAD:main")
    result = run_cli(
        "--output",
        "json",
        "decommission",
        "app-dev",
        "--trunk",
        remote,
        "--as",
        "@example/platform-dev",
        "--confirm",
        "app-dev",
        "--requested-by",
        "bob@contoso.com",
    )
    assert result.code == 0, result.stderr
    report = yaml.safe_load(result.stdout)
    assert report["deletionPolicy"] == "cancel"
    assert "Deletion policy cancel" in _git(remote, "log", "-1", "--format=%B", "main")
    tombstone = json.loads(
        _git(remote, "show", f"main:subscriptions/dev/_decommissioned/{shard_of('app-dev')}/app-dev.json")
    )
    assert tombstone["deletionPolicy"] == "cancel"

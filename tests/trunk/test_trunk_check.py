"""``vending check``: a clean trunk passes; hand edits, stale renders, missing or extra files, kustomization and
CODEOWNERS inconsistencies, duplicate names and overlapping networks are each found (exit 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from trunk_support import (
    checkout,
    git,
    network,
    shard_path,
    submit_args,
    vend,
    write_request,
)

from vending.render.subscription import render_subscription
from vending.request.model import Request
from vending.trunk.config import load_config
from vending.trunk.state import shard_of
from vending.version import INTERFACE_VERSION

APP = "subscriptions/dev/team-a"


@pytest.fixture
def tree(remote: Path, requests_dir: Path, tmp_path: Path) -> Path:
    """A working tree of a trunk with two vended subscriptions."""
    requests = [
        write_request(requests_dir, "team-a", network=network(1)),
        write_request(requests_dir, "team-b", network=network(2)),
    ]
    assert vend(*submit_args(remote, *requests)).code == 0
    return checkout(remote, tmp_path / "tree")


def _findings(tree: Path) -> list[dict[str, Any]]:
    run = vend("--output", "json", "check", "--trunk", tree)
    assert run.code == 6, run.stdout
    document = run.json()
    assert document["clean"] is False
    findings: list[dict[str, Any]] = document["findings"]
    return findings


def _rewrite(tree: Path, request_path: str, **changes: Any) -> None:
    """Change a vended request by hand and re-render its files, as a careful hand edit would."""
    data = {**yaml.safe_load((tree / request_path).read_text()), **changes}
    data = {key: value for key, value in data.items() if value is not None}
    rendered = render_subscription(Request.model_validate(data), load_config(tree), INTERFACE_VERSION)
    for path, text in rendered.files.items():
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        (tree / path).write_text(text)


def test_clean_trunk_passes_on_a_working_tree(tree: Path) -> None:
    run = vend("--output", "json", "check", "--trunk", tree)
    assert run.code == 0
    assert run.json() == {"clean": True, "findings": []}
    text = vend("check", "--trunk", tree)
    assert text.code == 0 and "clean" in text.stderr


def test_clean_trunk_passes_on_a_bare_repository(remote: Path, tree: Path) -> None:
    assert vend("check", "--trunk", remote).code == 0
    assert vend("check", "--trunk", f"file://{remote}").code == 0


def test_a_new_trunk_is_clean(remote: Path) -> None:
    assert vend("check", "--trunk", remote).code == 0


def test_hand_edit_is_found(tree: Path) -> None:
    main_tf = tree / APP / "main.tf"
    main_tf.write_text(main_tf.read_text().replace("westeurope", "eastus"))
    findings = _findings(tree)
    assert [(f["file"], "edited by hand" in f["message"]) for f in findings] == [(f"{APP}/main.tf", True)]


def test_stale_render_is_found(tree: Path) -> None:
    flux = tree / APP / "terraform.yaml"
    flux.write_text(flux.read_text().replace("interface 0.1.0, module v0.1.0", "interface 0.0.9, module v0.0.1"))
    findings = _findings(tree)
    assert len(findings) == 1
    assert findings[0]["file"] == f"{APP}/terraform.yaml"
    assert "stale render (interface 0.0.9, module v0.0.1)" in findings[0]["message"]


def test_missing_shard_entry_is_found(tree: Path) -> None:
    shard = tree / shard_path("team-a")
    shard.write_text("".join(line for line in shard.read_text().splitlines(keepends=True) if "team-a" not in line))
    findings = _findings(tree)
    assert [f["file"] for f in findings] == [shard_path("team-a")]


def test_extra_shard_entry_is_found(tree: Path) -> None:
    shard = tree / shard_path("team-a")
    shard.write_text(shard.read_text() + "- ../../team-gone\n")
    assert [f["file"] for f in _findings(tree)] == [shard_path("team-a")]


def test_environment_kustomization_edited_by_hand_is_found(tree: Path) -> None:
    kustomization = tree / "subscriptions/dev/kustomization.yaml"
    kustomization.write_text(kustomization.read_text().replace("- _shards/00\n", ""))
    assert [f["file"] for f in _findings(tree)] == ["subscriptions/dev/kustomization.yaml"]


def test_network_shard_mismatch_is_found(tree: Path) -> None:
    ranges = tree / "subscriptions/dev/_networks/10.100/ranges.json"
    ranges.write_text(ranges.read_text().replace("10.100.1.0/24", "10.100.9.0/24"))
    assert [f["file"] for f in _findings(tree)] == ["subscriptions/dev/_networks/10.100/ranges.json"]


def test_network_shard_nothing_derives_is_found_and_fixed(tree: Path) -> None:
    stray = tree / "subscriptions/dev/_networks/10.7/ranges.json"
    stray.parent.mkdir(parents=True)
    stray.write_text('{"ranges": [["10.7.0.0/24", "team-x"]], "schemaVersion": 1}\n')
    findings = _findings(tree)
    assert [(f["file"], "extra file" in f["message"]) for f in findings] == [(str(stray.relative_to(tree)), True)]
    assert vend("check", "--trunk", tree, "--fix").code == 0
    assert not stray.exists() and not stray.parent.exists()
    assert vend("check", "--trunk", tree).code == 0


@pytest.mark.parametrize("file", ["main.tf", "terraform.yaml"])
def test_missing_file_is_found(tree: Path, file: str) -> None:
    (tree / APP / file).unlink()
    findings = _findings(tree)
    assert [(f["file"], f["message"].split(":")[0]) for f in findings] == [(f"{APP}/{file}", "missing")]


def test_missing_request_is_found(tree: Path) -> None:
    (tree / APP / "request.yaml").unlink()
    files = {f["file"] for f in _findings(tree)}
    assert f"{APP}/request.yaml" in files


def test_extra_file_is_found(tree: Path) -> None:
    (tree / APP / "notes.txt").write_text("hello\n")
    findings = _findings(tree)
    assert [(f["file"], "extra file" in f["message"]) for f in findings] == [(f"{APP}/notes.txt", True)]


def test_codeowners_inconsistent_with_config_is_found(tree: Path) -> None:
    config = tree / "vending.yaml"
    config.write_text(config.read_text().replace("'@example/platform-dev'", "'@example/dev-team'"))
    findings = _findings(tree)
    assert "CODEOWNERS" in {f["file"] for f in findings}


def test_codeowners_edited_by_hand_is_found(tree: Path) -> None:
    owners = tree / "CODEOWNERS"
    owners.write_text(owners.read_text() + "/subscriptions/dev/team-a/ @someone\n")
    assert [f["file"] for f in _findings(tree)] == ["CODEOWNERS"]


def test_stale_facts_are_found(tree: Path) -> None:
    facts = tree / APP / "facts.json"
    facts.write_text(facts.read_text().replace('"DevTest"', '"Production"', 1))
    assert [f["file"] for f in _findings(tree)] == [f"{APP}/facts.json"]


def test_tombstone_of_a_live_name_is_found(tree: Path) -> None:
    tomb = tree / f"subscriptions/prod/_decommissioned/{shard_of('team-a')}/team-a.json"
    tomb.parent.mkdir(parents=True)
    tomb.write_text('{"date": "2026-01-01T00:00:00+00:00"}\n')
    findings = _findings(tree)
    assert [(f["file"], f["field"]) for f in findings] == [("team-a", "name")]
    assert "names are never reused" in findings[0]["message"]


def test_duplicate_name_across_environments_is_found(tree: Path) -> None:
    (tree / "subscriptions/prod/team-a").mkdir(parents=True)
    (tree / "subscriptions/prod/team-a/request.yaml").write_text((tree / APP / "request.yaml").read_text())
    _rewrite(tree, "subscriptions/prod/team-a/request.yaml", environment="prod", network=None)
    findings = _findings(tree)
    assert any(
        f["file"] == "team-a" and "duplicate" in f["message"] and "'dev'" in f["message"] and "'prod'" in f["message"]
        for f in findings
    )


def test_overlapping_networks_written_by_hand_are_found(tree: Path) -> None:
    _rewrite(tree, f"{APP}/request.yaml", network={"addressSpace": ["10.100.0.0/16"], "hubPeering": False})
    findings = _findings(tree)
    overlaps = [f for f in findings if f["field"] == "network.addressSpace"]
    assert len(overlaps) == 1
    assert overlaps[0]["file"] == "team-a" and "10.100.0.0/16 overlaps 10.100.2.0/24" in overlaps[0]["message"]
    assert "'team-b'" in overlaps[0]["message"]


def test_request_filed_in_the_wrong_directory_is_found(tree: Path) -> None:
    git(tree, "mv", APP, "subscriptions/dev/team-z")
    files = {f["file"] for f in _findings(tree)}
    assert "subscriptions/dev/team-z/request.yaml" in files


def test_damaged_request_is_reported_not_crashed(tree: Path) -> None:
    (tree / APP / "request.yaml").write_text("name: [unclosed\n")
    files = {f["file"] for f in _findings(tree)}
    assert f"{APP}/request.yaml" in files


def test_text_output_lists_findings_on_stderr(tree: Path) -> None:
    (tree / APP / "notes.txt").write_text("hello\n")
    run = vend("check", "--trunk", tree)
    assert run.code == 6
    assert f"{APP}/notes.txt: extra file" in run.stderr
    assert "1 finding(s)" in run.stderr


def test_unreachable_trunk_exits_5(tmp_path: Path) -> None:
    assert vend("check", "--trunk", tmp_path / "nothing.git").code == 5

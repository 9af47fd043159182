"""The sharded trunk layout: what each vend, update and decommission commit touches, that none of it grows
with the fleet, and that two writers of different names rarely touch the same file."""

from __future__ import annotations

import subprocess
from pathlib import Path

from testing.trunks import make_trunk
from trunk_support import (
    DEV,
    changed_files,
    commits,
    exists,
    network,
    push_admin_change,
    shard_path,
    show,
    submit_args,
    tip,
    vend,
    write_request,
)

from vending.render.trunkfiles import layout_files, subscription_layout_files
from vending.trunk.config import load_config_text
from vending.trunk.state import Entry, shard_of
from vending.version import INTERFACE_VERSION

SEEDED = 2000


def _own_files(name: str, *extra: str) -> list[str]:
    files = [f"subscriptions/dev/{name}/{file}" for file in ("facts.json", "kustomization.yaml", "main.tf")]
    files += [f"subscriptions/dev/{name}/{file}" for file in ("request.yaml", "terraform.yaml")]
    return sorted([*files, shard_path(name), *extra])


def _added_bytes(remote: Path, commit: str) -> dict[str, int]:
    """The size of each blob the commit adds, by path."""
    lines = subprocess.run(
        ["git", "diff-tree", "-r", "--no-commit-id", f"{commit}^", commit],
        cwd=remote,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    sizes: dict[str, int] = {}
    for line in lines:
        meta, path = line.split("\t", 1)
        blob = meta.split()[3]
        if set(blob) != {"0"}:
            size = subprocess.run(["git", "cat-file", "-s", blob], cwd=remote, capture_output=True, text=True)
            sizes[path] = int(size.stdout)
    return sizes


def _seeded_entry(index: int) -> Entry:
    """One of the seeded fleet: a /24 spread over 10.0.0.0/8 the way an address plan hands them out."""
    cidr = f"10.{index % 200}.{50 + index // 200}.0/24"
    return Entry(f"seeded-{index:05d}", "dev", "DevTest", billing_scope="/x", address_space=(cidr,), deletion="cancel")


def _seed(remote: Path, work: Path, count: int) -> None:
    """Record ``count`` subscriptions in the dev environment's layout (facts, shards, network shards)."""
    config = load_config_text(show(remote, "vending.yaml"))
    entries = [_seeded_entry(index) for index in range(count)]
    files: dict[str, str | None] = dict(layout_files(config, entries, INTERFACE_VERSION))
    for entry in entries:
        files.update(subscription_layout_files(config, entry, INTERFACE_VERSION))
    push_admin_change(remote, work, files, f"Seed {count} subscriptions")


def test_vend_touches_only_its_own_folder_its_shard_and_its_network_block(remote: Path, requests_dir: Path) -> None:
    request = write_request(requests_dir, "team-a", network=network(1))
    assert vend(*submit_args(remote, request)).code == 0
    assert changed_files(remote, tip(remote)) == _own_files("team-a", "subscriptions/dev/_networks/10.100/ranges.json")
    assert "subscriptions/dev/kustomization.yaml" not in changed_files(remote, tip(remote))


def test_update_touches_only_what_changed(remote: Path, requests_dir: Path) -> None:
    assert vend(*submit_args(remote, write_request(requests_dir, "team-a", network=network(1)))).code == 0
    renamed = write_request(requests_dir, "team-a", network=network(1), displayName="Team A renamed")
    assert vend(*submit_args(remote, renamed)).code == 0
    assert changed_files(remote, tip(remote)) == [
        "subscriptions/dev/team-a/main.tf",
        "subscriptions/dev/team-a/request.yaml",
        "subscriptions/dev/team-a/terraform.yaml",
    ]
    moved = write_request(requests_dir, "team-a", network=network(300), displayName="Team A renamed")
    assert vend(*submit_args(remote, moved)).code == 0
    assert changed_files(remote, tip(remote)) == [
        "subscriptions/dev/_networks/10.100/ranges.json",
        "subscriptions/dev/_networks/10.101/ranges.json",
        "subscriptions/dev/team-a/facts.json",
        "subscriptions/dev/team-a/main.tf",
        "subscriptions/dev/team-a/request.yaml",
        "subscriptions/dev/team-a/terraform.yaml",
    ]
    assert not exists(remote, "subscriptions/dev/_networks/10.100/ranges.json")
    assert '"team-a"' in show(remote, "subscriptions/dev/_networks/10.101/ranges.json")
    assert vend("check", "--trunk", remote).code == 0


def test_decommission_touches_its_folder_its_shard_its_blocks_and_its_tombstone(
    remote: Path, requests_dir: Path
) -> None:
    requests = [write_request(requests_dir, "team-a", network=network(1)), write_request(requests_dir, "team-b")]
    assert vend(*submit_args(remote, *requests)).code == 0
    run = vend(
        "decommission",
        "team-a",
        "--trunk",
        remote,
        "--as",
        DEV,
        "--confirm",
        "team-a",
        "--requested-by",
        "bob@contoso.com",
    )
    assert run.code == 0, run.stderr
    tombstone = f"subscriptions/dev/_decommissioned/{shard_of('team-a')}/team-a.json"
    network_block = "subscriptions/dev/_networks/10.100/ranges.json"
    assert changed_files(remote, tip(remote)) == _own_files("team-a", tombstone, network_block)
    assert vend("check", "--trunk", remote).code == 0


def test_what_a_vend_adds_does_not_grow_with_the_fleet(tmp_path: Path, requests_dir: Path) -> None:
    empty, seeded = make_trunk(tmp_path / "empty"), make_trunk(tmp_path / "seeded")
    _seed(seeded, tmp_path / "seeding", SEEDED)
    request = write_request(requests_dir, "team-new", network=network(1))
    sizes = []
    for remote in (empty, seeded):
        before = len(commits(remote))
        run = vend(*submit_args(remote, request))
        assert run.code == 0, run.stderr
        assert len(commits(remote)) == before + 1
        sizes.append(_added_bytes(remote, tip(remote)))
    small, large = sizes
    assert sorted(small) == sorted(large) == _own_files("team-new", "subscriptions/dev/_networks/10.100/ranges.json")
    ratio = sum(large.values()) / sum(small.values())
    print(f"vend commit adds {sum(small.values())} B to an empty trunk, {sum(large.values())} B at {SEEDED}")
    assert ratio <= 1.2


def test_two_names_in_different_shards_touch_disjoint_files(remote: Path, requests_dir: Path) -> None:
    first, second = "team-a", next(f"team-{i}" for i in range(100) if shard_of(f"team-{i}") != shard_of("team-a"))
    assert vend(*submit_args(remote, write_request(requests_dir, first))).code == 0
    first_files = set(changed_files(remote, tip(remote)))
    assert vend(*submit_args(remote, write_request(requests_dir, second))).code == 0
    assert first_files.isdisjoint(changed_files(remote, tip(remote)))

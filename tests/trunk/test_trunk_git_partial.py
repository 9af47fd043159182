"""Reads and writes proportional to the change: clones from a URL are partial (no file contents beyond what
is checked out) and sparse; a local path is cloned by hard links; a server that refuses filters still works."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.trunks import git
from trunk_support import exists, network, submit_args, vend, write_request

from vending.trunk import repository
from vending.trunk.landing import focus_on
from vending.trunk.workdir import Reading, private_clone, read_trunk

NAMES = ("team-a", "team-b")


@pytest.fixture
def fleet(remote: Path, requests_dir: Path) -> Path:
    """The remote with two subscriptions in dev, each with a network."""
    paths = [write_request(requests_dir, name, network=network(i)) for i, name in enumerate(NAMES)]
    run = vend(*submit_args(remote, *paths))
    assert run.code == 0, run.stderr
    return remote


def _missing_blobs(root: Path) -> int:
    listed = git(root, "rev-list", "--objects", "--missing=print", "HEAD")
    return sum(1 for line in listed.splitlines() if line.startswith("?"))


def test_reading_indexes_from_a_file_url_fetches_and_checks_out_no_subscription(fleet: Path) -> None:
    with read_trunk(fleet.as_uri(), "main", Reading.INDEXES) as root:
        assert (root / "vending.yaml").is_file()
        assert [p.name for p in (root / "subscriptions/dev").iterdir() if p.is_dir()] == []
        assert any((root / "subscriptions/dev").iterdir())
        assert _missing_blobs(root) >= 3 * len(NAMES)


def test_reading_the_root_from_a_bare_path_checks_out_no_environment(fleet: Path) -> None:
    with read_trunk(str(fleet), "main", Reading.ROOT) as root:
        assert (root / "vending.yaml").is_file() and (root / "CODEOWNERS").is_file()
        assert not (root / "subscriptions").exists()


def test_reading_everything_from_a_file_url_checks_out_every_subscription(fleet: Path) -> None:
    with read_trunk(fleet.as_uri(), "main") as root:
        assert all((root / f"subscriptions/dev/{name}/main.tf").is_file() for name in NAMES)


def test_a_server_refusing_filters_is_read_in_full_without_error(fleet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repository, "FILTERING_UPLOAD_PACK", "git -c uploadpack.allowFilter=false upload-pack")
    with read_trunk(fleet.as_uri(), "main", Reading.INDEXES) as root:
        assert (root / "vending.yaml").is_file()
        assert _missing_blobs(root) == 0


@pytest.mark.parametrize("as_url", [True, False], ids=["file-url", "bare-path"])
def test_validate_against_a_remote_trunk_sees_its_subscriptions(fleet: Path, tmp_path: Path, as_url: bool) -> None:
    trunk = fleet.as_uri() if as_url else str(fleet)
    fresh = write_request(tmp_path, "team-c", network=network(7))
    assert vend("validate", fresh, "--trunk", trunk).code == 0
    overlapping = write_request(tmp_path, "team-d", network=network(0))
    run = vend("validate", overlapping, "--trunk", trunk)
    assert run.code == 2 and "team-a" in run.stdout + run.stderr


def test_submit_and_decommission_through_a_file_url(fleet: Path, requests_dir: Path) -> None:
    url = fleet.as_uri()
    run = vend(*submit_args(url, write_request(requests_dir, "team-c")))
    assert run.code == 0, run.stderr
    assert exists(fleet, "subscriptions/dev/team-c/main.tf")
    assert exists(fleet, "subscriptions/dev/team-a/main.tf")


def test_a_submit_clone_from_a_url_holds_only_the_contents_it_focuses_on(fleet: Path) -> None:
    with private_clone(fleet.as_uri(), "main") as clone:
        focus_on(clone, ["team-a"])
        assert (clone.root / "subscriptions/dev/team-a/main.tf").is_file()
        assert not (clone.root / "subscriptions/dev/team-b").exists()
        assert _missing_blobs(clone.root) >= 3

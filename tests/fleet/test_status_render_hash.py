"""The render hash: every rendered object carries it, it follows the subscription's files, and a trunk
rendered before it existed is a stale render that ``vending check --fix`` re-renders."""

from __future__ import annotations

import shutil
from pathlib import Path

from testing.cli import run_cli
from testing.trunks import git

FLUX = "subscriptions/dev/app-dev/terraform.yaml"


def working_copy(remote: Path, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    git(tmp_path, "clone", "--quiet", str(remote), str(work))
    return work


def test_a_trunk_rendered_before_the_annotation_is_a_stale_render(fleet_trunk: Path, tmp_path: Path) -> None:
    work = working_copy(fleet_trunk, tmp_path)
    flux = work / FLUX
    current = flux.read_text(encoding="utf-8")
    flux.write_text("".join(line for line in current.splitlines(True) if "render-hash" not in line), encoding="utf-8")
    result = run_cli("check", "--trunk", work)
    assert result.code == 6
    assert f"{FLUX}: stale render (rendered before the vending.dev/render-hash annotation)" in result.stderr
    assert run_cli("check", "--trunk", work, "--fix").code == 0
    assert flux.read_text(encoding="utf-8") == current
    assert run_cli("check", "--trunk", work).code == 0


def test_the_hash_follows_the_request(fleet_trunk: Path, tmp_path: Path) -> None:
    work = working_copy(fleet_trunk, tmp_path)
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    request = work / "subscriptions/dev/app-dev/request.yaml"
    shutil.copy(request, tmp_path / "app-dev.yaml")
    assert run_cli("render", tmp_path / "app-dev.yaml", "--trunk", work, "--out", out_a).code == 0
    assert (out_a / FLUX).read_text(encoding="utf-8") == (work / FLUX).read_text(encoding="utf-8")
    changed = request.read_text(encoding="utf-8").replace("App team (dev)", "App team, renamed")
    (tmp_path / "app-dev.yaml").write_text(changed, encoding="utf-8")
    assert run_cli("render", tmp_path / "app-dev.yaml", "--trunk", work, "--out", out_b).code == 0

    def digest(root: Path) -> str:
        (line,) = [x for x in (root / FLUX).read_text(encoding="utf-8").splitlines() if "render-hash" in x]
        return line.split(":", 1)[1].strip()

    assert digest(out_a).startswith("sha256:") and len(digest(out_a)) == len("sha256:") + 16
    assert digest(out_a) != digest(out_b)

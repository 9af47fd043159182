"""``vending render --out`` never mixes its files with what a folder already holds."""

from __future__ import annotations

from pathlib import Path

from testing.cli import run_cli
from testing.requests import request_data, write_request
from testing.trunks import make_trunk


def test_render_refuses_a_non_empty_out_folder(tmp_path: Path) -> None:
    trunk = make_trunk(tmp_path)
    request = write_request(tmp_path / "requests", request_data())
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run_cli("render", request, "--trunk", trunk, "--out", out)
    assert result.code == 2, result
    assert f"{out}: --out: directory is not empty" in result.stderr
    assert sorted(p.name for p in out.rglob("*")) == ["notes.txt"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_render_refusal_in_json(tmp_path: Path) -> None:
    trunk = make_trunk(tmp_path)
    request = write_request(tmp_path / "requests", request_data())
    out = tmp_path / "out"
    (out / "subscriptions").mkdir(parents=True)
    result = run_cli("render", request, "--trunk", trunk, "--out", out, "--output", "json")
    assert result.code == 2
    assert result.json()["findings"][0]["field"] == "--out"
    assert [p.name for p in out.rglob("*")] == ["subscriptions"]


def test_render_into_an_empty_or_new_folder(tmp_path: Path) -> None:
    trunk = make_trunk(tmp_path)
    request = write_request(tmp_path / "requests", request_data())
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (empty, tmp_path / "new"):
        result = run_cli("render", request, "--trunk", trunk, "--out", out)
        assert result.code == 0, result.stderr
        assert (out / "subscriptions" / "dev" / "app-dev" / "request.yaml").is_file()

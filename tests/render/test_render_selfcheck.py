"""The self-checks catch a broken renderer (exit 1, nothing written), and bad input never reaches
rendering (exit 2, nothing written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from render_support import write_request
from testing.cli import run_cli
from testing.requests import request_data
from testing.trunks import trunk_config_data, write_trunk_layout

from vending.errors import RenderBugError
from vending.render import hcl
from vending.render.selfcheck import check_rendered
from vending.render.subscription import render_subscription
from vending.request.model import Request
from vending.trunk.config import TrunkConfig
from vending.version import INTERFACE_VERSION

CONFIG = TrunkConfig.model_validate(trunk_config_data())


def _no_quote_escaping(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace("\n", "\\n").replace("${", "\\u0024{") + '"'


def _no_template_escaping(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _render_and_check(data: dict[str, object]) -> None:
    request = Request.model_validate(data)
    rendered = render_subscription(request, CONFIG, INTERFACE_VERSION)
    check_rendered(rendered, request.normalized("DevTest"))


@pytest.mark.parametrize(
    ("broken", "data"),
    [
        (_no_quote_escaping, request_data(displayName='App "core"')),
        (_no_quote_escaping, request_data(tags={"owner": 'x" evil = "y'})),
        (_no_template_escaping, request_data(displayName="App ${var.secret}")),
        (_no_template_escaping, request_data(ticket="%{ if true }x%{ endif }")),
    ],
    ids=["quote-display", "quote-tag", "interpolation", "directive"],
)
def test_broken_hcl_escaping_is_a_render_bug(
    monkeypatch: pytest.MonkeyPatch, broken: object, data: dict[str, object]
) -> None:
    _render_and_check(data)
    monkeypatch.setattr(hcl, "hcl_string", broken)
    with pytest.raises(RenderBugError) as raised:
        _render_and_check(data)
    assert raised.value.exit_code == 1
    assert any(f.field == "main.tf" for f in raised.value.findings), raised.value.findings


def test_vars_that_differ_from_main_tf_are_a_render_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    from vending.render import flux, subscription

    real = flux.terraform_object

    def drifting(*args: object, **kwargs: object) -> dict[str, object]:
        obj = real(*args, **kwargs)  # type: ignore[arg-type]
        obj["spec"]["vars"][0]["value"] = "someone-else"
        return obj

    monkeypatch.setattr(subscription, "terraform_object", drifting)
    with pytest.raises(RenderBugError) as raised:
        _render_and_check(request_data())
    assert [f.message for f in raised.value.findings] == ["vars differ from the module arguments of main.tf"]


def test_broken_escaping_exits_1_through_the_cli_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trunk, out = tmp_path / "trunk", tmp_path / "out"
    write_trunk_layout(trunk)
    good = write_request(tmp_path / "requests", request_data("good-dev"))
    bad = write_request(tmp_path / "requests", request_data("bad-dev", displayName='say "hi"'))
    monkeypatch.setattr(hcl, "hcl_string", _no_quote_escaping)
    result = run_cli("render", good, bad, "--trunk", trunk, "--out", out)
    assert result.code == 1
    assert not out.exists()
    assert "bad-dev" in result.stderr


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"displayName": "a|b"}, "displayName"),
        ({"tags": {"a/b": "x"}}, "tags"),
        ({"environment": "staging"}, "environment"),
        ({"extra": 1}, "unknown key 'extra'"),
    ],
)
def test_bad_request_exits_2_and_writes_nothing(tmp_path: Path, fields: dict[str, Any], message: str) -> None:
    trunk, out = tmp_path / "trunk", tmp_path / "out"
    write_trunk_layout(trunk)
    good = write_request(tmp_path / "requests", request_data("good-dev"))
    bad = write_request(tmp_path / "requests", request_data("bad-dev", **fields))
    before = sorted(p for p in trunk.rglob("*"))
    result = run_cli("render", good, bad, "--trunk", trunk, "--out", out)
    assert result.code == 2
    assert not out.exists()
    assert sorted(p for p in trunk.rglob("*")) == before
    err = result.stderr
    assert "bad-dev.yaml" in err and message in err and "nothing written" in err


def test_bad_request_json_report(tmp_path: Path) -> None:
    trunk, out = tmp_path / "trunk", tmp_path / "out"
    write_trunk_layout(trunk)
    bad = write_request(tmp_path / "requests", request_data("bad-dev", ticket=""))
    result = run_cli("--output", "json", "render", bad, "--trunk", trunk, "--out", out)
    assert result.code == 2
    document = result.json()
    assert document["files"] == []
    [result] = document["results"]
    assert result["valid"] is False and result["file"] == str(bad)
    assert [error["field"] for error in result["errors"]] == ["ticket"]
    assert not out.exists()

"""How ``vending validate`` reports: every finding of every file at once, text and JSON, exit codes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from request_support import Sandbox
from testing.cli import run_subprocess
from testing.requests import request_data

from vending.version import INTERFACE_VERSION


def three_bad_files(sandbox: Sandbox) -> list[Path]:
    return [
        sandbox.write(request_data(name="Bad-Name", displayName="a|b")),
        sandbox.write_text("broken.yaml", "name: [unclosed\n"),
        sandbox.write(request_data(name="app-three", tagz={}, budget={"amount": 0})),
    ]


def test_all_findings_of_all_files_together(sandbox: Sandbox) -> None:
    good = sandbox.write(request_data())
    bad = three_bad_files(sandbox)
    result = sandbox.cli("validate", bad[0], good, *bad[1:], "--trunk", sandbox.trunk)
    assert result.code == 2
    err = result.stderr
    for expected in (
        f"{bad[0]}:2: name:",
        f"{bad[0]}:3: displayName:",
        f"{bad[1]}:2: invalid YAML",
        "tagz: unknown key 'tagz'; did you mean 'tags'?",
        "budget.amount: Input should be greater",
        "budget.timeGrain: is required",
        "budget.contactEmails: is required",
    ):
        assert expected in err, f"{expected!r} not in:\n{err}"
    assert result.stdout == f"{good}: ok (app-dev)\n"
    assert err.splitlines()[-1] == "1 valid, 3 invalid"
    assert "Traceback" not in err


def test_json_shape(sandbox: Sandbox) -> None:
    good = sandbox.write(request_data(), "renamed.yaml")
    bad = three_bad_files(sandbox)
    result = sandbox.cli("--output", "json", "validate", good, *bad, "--trunk", sandbox.trunk)
    assert result.code == 2
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert list(document) == ["results"]
    results = document["results"]
    assert [r["file"] for r in results] == [str(p) for p in (good, *bad)]
    for item in results:
        assert set(item) == {"file", "name", "valid", "errors", "warnings"}
        for finding in item["errors"] + item["warnings"]:
            assert set(finding) == {"field", "message", "line"}
            assert isinstance(finding["field"], str) and isinstance(finding["message"], str)
            assert finding["line"] is None or isinstance(finding["line"], int)
    first = results[0]
    assert (first["name"], first["valid"], first["errors"]) == ("app-dev", True, [])
    assert first["warnings"] == [{"field": "name", "line": 2, "message": first["warnings"][0]["message"]}]
    assert "renamed.yaml" in first["warnings"][0]["message"]
    assert [r["valid"] for r in results[1:]] == [False, False, False]
    assert results[1]["name"] is None
    assert {e["field"] for e in results[1]["errors"]} == {"name", "displayName"}
    assert results[2]["errors"] == [{"field": "", "message": results[2]["errors"][0]["message"], "line": 2}]
    assert {"tagz", "budget.amount"} <= {e["field"] for e in results[3]["errors"]}


@pytest.mark.parametrize("style", [["--output", "json"], ["--output=json"]])
def test_json_valid_is_one_document(sandbox: Sandbox, style: list[str]) -> None:
    path = sandbox.write(request_data())
    result = sandbox.cli(*style, "validate", path)
    assert result.code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "results": [{"file": str(path), "name": "app-dev", "valid": True, "errors": [], "warnings": []}]
    }


def test_json_config_error_is_one_document(sandbox: Sandbox) -> None:
    config = sandbox.trunk / "vending.yaml"
    config.write_text(config.read_text() + "bogus: 1\n", encoding="utf-8")
    result = sandbox.cli("--output", "json", "validate", sandbox.write(request_data()), "--trunk", sandbox.trunk)
    assert result.code == 2
    document = json.loads(result.stdout)
    assert document["error"] == "vending.yaml is not valid"
    assert document["findings"][0]["file"] == "vending.yaml"
    assert document["findings"][0]["field"] == "bogus"


def test_usage_errors_exit_2(sandbox: Sandbox) -> None:
    assert sandbox.cli("validate").code == 2
    assert sandbox.cli("validate", "x.yaml", "--bogus").code == 2
    assert sandbox.cli("--output", "xml", "validate", "x.yaml").code == 2
    result = sandbox.cli("frobnicate")
    assert result.code == 2
    assert "Traceback" not in result.stderr


def _boom(*_: object) -> None:
    raise RuntimeError("boom")


def test_internal_error_without_debug(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vending.request.load.load_request", _boom)
    result = sandbox.cli("validate", sandbox.write(request_data()))
    assert result.code == 1
    assert result.stderr == "internal error: RuntimeError: boom (rerun with --debug for details)\n"
    assert "Traceback" not in result.stderr


def test_internal_error_with_debug(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vending.request.load.load_request", _boom)
    result = sandbox.cli("--debug", "validate", sandbox.write(request_data()))
    assert result.code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: boom" in result.stderr


def test_user_error_with_debug_still_exit_2(sandbox: Sandbox) -> None:
    path = sandbox.write(request_data(name="Bad"))
    result = sandbox.cli("--debug", "validate", path)
    assert result.code == 2
    assert f"{path}:2: name:" in result.stderr


# ---- as a separate process --------------------------------------------------------------------------------


def _env(sandbox: Sandbox) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(sandbox.tmp), "PYTHONPATH": os.pathsep.join(sys.path)}


def test_subprocess_text(sandbox: Sandbox) -> None:
    before = sandbox.snapshot()
    bad = sandbox.write(request_data(displayName="x\ny"))
    before = (before[0], before[1] | {bad.name})
    result = run_subprocess("validate", bad, "--trunk", sandbox.trunk, cwd=sandbox.cwd, env=_env(sandbox))
    assert result.code == 2
    assert f"{bad}:3: displayName: must not contain control characters" in result.stderr
    assert "Traceback" not in result.stderr
    sandbox.assert_untouched(before)


def test_subprocess_json(sandbox: Sandbox) -> None:
    bad = three_bad_files(sandbox)
    remote = sandbox.trunk.as_uri()
    result = run_subprocess("--output", "json", "validate", *bad, "--trunk", remote, cwd=sandbox.cwd, env=_env(sandbox))
    assert result.code == 2
    assert result.stderr == ""
    assert len(json.loads(result.stdout)["results"]) == 3
    assert list(sandbox.tmp.iterdir()) == []


def test_subprocess_version(sandbox: Sandbox) -> None:
    result = run_subprocess("--version", cwd=sandbox.cwd, env=_env(sandbox))
    assert result.code == 0
    assert result.stdout.strip().endswith(INTERFACE_VERSION)

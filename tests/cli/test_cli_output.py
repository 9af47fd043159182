"""Every command with ``--output json``, in-process: exactly one JSON object on stdout, valid against
the schema shipped for its document (vending/schemas/output/), on success and on failure."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from vending.cli.main import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "requests"
DEV = "@example/platform-dev"
CI_VARIABLES = ("GITHUB_ACTIONS", "TF_BUILD", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_ACTOR", "GITHUB_ACTOR_ID")


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    def document(self) -> dict[str, Any]:
        """The one JSON object on stdout (fails when there is anything else)."""
        return single_document(self.stdout)


def single_document(stdout: str) -> dict[str, Any]:
    document, end = json.JSONDecoder().raw_decode(stdout.lstrip())
    assert stdout.lstrip()[end:].strip() == "", f"more than one JSON document on stdout: {stdout!r}"
    assert isinstance(document, dict), "the document is not a JSON object"
    return document


def run(*args: str | Path) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return Run(code, out.getvalue(), err.getvalue())


def output_schema(name: str) -> dict[str, Any]:
    text = (files("vending") / "schemas" / "output" / f"{name}.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def assert_matches(result: Run, schema_name: str, code: int) -> dict[str, Any]:
    assert result.code == code, result.stderr
    document = result.document()
    Draft202012Validator(output_schema(schema_name)).validate(document)
    return document


@pytest.fixture(autouse=True)
def _plain_host(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in CI_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def trunk(tmp_path: Path) -> Path:
    path = tmp_path / "trunk"
    assert_matches(run("init", path, "--output", "json"), "init", 0)
    return path


@pytest.fixture
def bad_request(tmp_path: Path) -> Path:
    text = (EXAMPLES / "app-dev.yaml").read_text().replace("name: app-dev", "name: Bad_Name")
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return path


# ---- init, validate, render ---------------------------------------------------------------------


def test_init(tmp_path: Path) -> None:
    document = assert_matches(run("--output", "json", "init", tmp_path / "t"), "init", 0)
    assert "vending.yaml" in document["files"]


@pytest.mark.parametrize("org", ["example", "-bad-"])
def test_init_failures(tmp_path: Path, org: str) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "file").write_text("x")
    document = assert_matches(run("init", tmp_path / "full", "--org", org, "--output", "json"), "error", 2)
    assert document["exitCode"] == 2 and document["findings"]


def test_validate(bad_request: Path) -> None:
    good = assert_matches(run("validate", EXAMPLES / "app-dev.yaml", "--output", "json"), "validate", 0)
    assert good["results"][0]["valid"] is True
    bad = assert_matches(run("--output", "json", "validate", bad_request), "validate", 2)
    assert bad["results"][0]["errors"][0]["field"] == "name"


def test_validate_unreachable_trunk(tmp_path: Path) -> None:
    result = run("validate", EXAMPLES / "app-dev.yaml", "--trunk", tmp_path / "none.git", "--output", "json")
    assert_matches(result, "error", 5)


def test_render(trunk: Path, tmp_path: Path, bad_request: Path) -> None:
    out = tmp_path / "out"
    document = assert_matches(
        run("render", EXAMPLES / "app-dev.yaml", "--trunk", trunk, "--out", out, "--output", "json"), "render", 0
    )
    assert document["files"]
    refused = run("--output", "json", "render", bad_request, "--trunk", trunk, "--out", tmp_path / "out2")
    assert not assert_matches(refused, "render", 2)["files"]


# ---- submit, decommission, check ----------------------------------------------------------------


def _submit(trunk: Path, *requests: Path) -> Run:
    return run("--output", "json", "submit", *requests, "--trunk", trunk, "--as", DEV, "--skip-azure-checks")


def test_submit_and_decommission(trunk: Path) -> None:
    submitted = assert_matches(_submit(trunk, EXAMPLES / "app-dev.yaml"), "submit", 0)
    assert submitted["results"][0]["status"] == "committed"
    again = assert_matches(_submit(trunk, EXAMPLES / "app-dev.yaml"), "submit", 0)
    assert again["results"][0]["status"] == "unchanged"
    args = ("decommission", "app-dev", "--trunk", trunk, "--as", DEV, "--requested-by", "bob@contoso.com")
    refused = assert_matches(run(*args, "--confirm", "other", "--output", "json"), "error", 4)
    assert refused["error"]
    planned = assert_matches(run(*args, "--confirm", "app-dev", "--dry-run", "--output", "json"), "decommission", 0)
    assert planned["status"] == "planned" and planned["diff"]
    done = assert_matches(run(*args, "--confirm", "app-dev", "--output", "json"), "decommission", 0)
    assert done["status"] == "committed"


def test_submit_failures(trunk: Path, bad_request: Path) -> None:
    rejected = assert_matches(_submit(trunk, bad_request), "submit", 2)
    assert rejected["results"][0]["status"] == "rejected"
    bad_identity = run("submit", EXAMPLES / "app-dev.yaml", "--trunk", trunk, "--as", "nobody", "--output", "json")
    assert_matches(bad_identity, "error", 2)


def test_check(trunk: Path) -> None:
    assert assert_matches(run("check", "--trunk", trunk, "--output", "json"), "check", 0)["clean"] is True
    assert _submit(trunk, EXAMPLES / "app-dev.yaml").code == 0
    rendered = next((trunk / "subscriptions" / "dev" / "app-dev").glob("*.tf"))
    rendered.write_text(rendered.read_text() + "# edited by hand\n")
    drift = assert_matches(run("--output", "json", "check", "--trunk", trunk), "check", 6)
    assert drift["findings"]
    missing = run("check", "--trunk", trunk.parent / "none", "--fix", "--output", "json")
    assert_matches(missing, "error", 2)


# ---- codeowners, interface ----------------------------------------------------------------------


def test_codeowners(trunk: Path, tmp_path: Path) -> None:
    assert_matches(run("codeowners", "lint", trunk / "CODEOWNERS", "--output", "json"), "codeowners-lint", 0)
    (tmp_path / "BAD").write_text("* alice\n")
    assert_matches(run("--output", "json", "codeowners", "lint", tmp_path / "BAD"), "codeowners-lint", 2)
    assert_matches(run("--output", "json", "codeowners", "lint", tmp_path / "missing"), "error", 2)
    which = run("codeowners", "which", "subscriptions/dev/x/main.tf", "--trunk", trunk, "--output", "json")
    assert assert_matches(which, "codeowners-which", 0)["owners"] == [DEV]
    outside = run("codeowners", "--output", "json", "which", "../x", "--trunk", trunk)
    assert_matches(outside, "error", 2)


def test_interface_schema() -> None:
    for args in (["interface", "schema", "--output", "json"], ["interface", "schema"]):
        document = assert_matches(run(*args), "interface-schema", 0)
        Draft202012Validator.check_schema(document)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_interface_check() -> None:
    result = run("interface", "check", "--against", "HEAD", "--repo", REPO, "--output", "json")
    assert result.code in (0, 2), result.stderr
    assert_matches(result, "interface-check", result.code)
    missing = run("--output", "json", "interface", "check", "--against", "no-such-ref-x", "--repo", REPO)
    assert_matches(missing, "error", 2)


# ---- emulator, demo -----------------------------------------------------------------------------


def test_emulator(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "vending", "--output", "json", "emulator", "--ca-dir", str(tmp_path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as process:
        assert process.stdout is not None
        first = process.stdout.readline()
        process.terminate()
        rest = process.stdout.read()
    assert process.returncode == 0
    document = single_document(first + rest)
    Draft202012Validator(output_schema("emulator")).validate(document)
    assert_matches(run("emulator", "--port", "70000", "--output", "json"), "error", 2)


@pytest.mark.slow
def test_demo(tmp_path: Path) -> None:
    document = assert_matches(run("--output", "json", "demo", "--keep", tmp_path / "demo"), "demo", 0)
    assert document["clean"] is True and document["kept"] == str(tmp_path / "demo")
    assert {result["status"] for result in document["results"]} == {"committed", "rejected"}
    assert_matches(run("demo", "--keep", tmp_path / "demo", "--bogus", "--output", "json"), "error", 2)


# ---- usage errors, internal errors, the CI host ---------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--output", "json"],
        ["--output", "json", "frobnicate"],
        ["frobnicate", "--output", "json"],
        ["validate", "--output", "json"],
        ["validate", "x.yaml", "--bogus", "--output=json"],
        ["--output", "json", "check"],
        ["check", "--trunk", "t", "--branch", "--output", "json"],
        ["codeowners", "lint", "--output", "json"],
        ["interface", "nothing", "--output", "json"],
        ["submit", "x.yaml", "--trunk", "t", "--as", DEV, "--workdir", __file__, "--output", "json"],
    ],
)
def test_usage_errors(args: list[str]) -> None:
    document = assert_matches(run(*args), "error", 2)
    assert document["findings"] == []


def test_usage_error_text_stays_click_s() -> None:
    result = run("validate", "x.yaml", "--bogus")
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.startswith("Usage: vending validate [OPTIONS] REQUESTS...")
    assert "Error: No such option '--bogus'." in result.stderr


def _boom(*_: object, **__: object) -> None:
    raise RuntimeError("boom")


def test_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vending.request.load.load_request", _boom)
    result = run("validate", EXAMPLES / "app-dev.yaml", "--output", "json")
    document = assert_matches(result, "error", 1)
    assert document["error"] == "internal error: RuntimeError: boom"
    assert "rerun with --debug" in result.stderr


def test_failure_after_the_document_keeps_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vending.reporting.emit.emit_host_report", _boom)
    result = run("validate", EXAMPLES / "app-dev.yaml", "--output", "json")
    assert result.code == 1
    Draft202012Validator(output_schema("validate")).validate(result.document())
    assert "internal error: RuntimeError: boom" in result.stderr


@pytest.mark.parametrize(("variable", "value"), [("GITHUB_ACTIONS", "true"), ("TF_BUILD", "True")])
def test_ci_host_commands_stay_off_stdout(
    bad_request: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("AGENT_TEMPDIRECTORY", str(tmp_path))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    result = run("validate", bad_request, "--output", "json")
    assert_matches(result, "validate", 2)
    assert "::error" in result.stderr or "##vso[task.logissue" in result.stderr


def test_every_command_has_a_schema() -> None:
    from vending.cli.main import COMMANDS

    shipped = {path.name.removesuffix(".schema.json") for path in (files("vending") / "schemas" / "output").iterdir()}
    documents = {"codeowners-lint", "codeowners-which", "interface-schema", "interface-check", "error"}
    assert shipped == (set(COMMANDS) - {"codeowners", "interface"}) | documents
    for name in shipped:
        Draft202012Validator.check_schema(output_schema(name))

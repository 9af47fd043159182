"""No credential in a trunk URL (userinfo, an access token in the query) reaches stdout, stderr or a CI
host's files, whichever command quotes the URL, in text and in JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from testing.cli import run_cli
from testing.requests import request_data, write_request

from vending.errors import Finding
from vending.reporting.redact import MASK, redact, redact_finding, redact_value

SECRET = "s3cret"
TOKEN = "t0ps3cret"
CREDENTIALED = [
    f"https://user:{SECRET}@127.0.0.1:1/x.git",
    f"file:///nonexistent/vending/x.git?access_token={TOKEN}",
    f"https://{TOKEN}@127.0.0.1:1/x.git?sig={SECRET}",
]


def _commands(trunk: str, request: Path, out: Path) -> dict[str, list[str]]:
    return {
        "validate": ["validate", "--trunk", trunk, str(request)],
        "render": ["render", "--trunk", trunk, "--out", str(out), str(request)],
        "check": ["check", "--trunk", trunk],
        "submit": ["submit", "--trunk", trunk, "--as", "@example/platform", "--skip-azure-checks", str(request)],
        "decommission": [
            "decommission",
            "app-dev",
            "--trunk",
            trunk,
            "--as",
            "@example/platform",
            "--confirm",
            "app-dev",
            "--requested-by",
            "bob@contoso.com",
        ],
        "codeowners which": ["codeowners", "which", "subscriptions/x", "--trunk", trunk],
    }


COMMANDS = list(_commands("", Path(), Path()))


@pytest.fixture(autouse=True)
def _no_git_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    monkeypatch.setenv("GIT_ASKPASS", "true")


@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize("trunk", CREDENTIALED)
@pytest.mark.parametrize("command", COMMANDS)
def test_no_command_prints_the_credentials_of_a_trunk_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, trunk: str, output: str
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    request = write_request(tmp_path, request_data())
    result = run_cli("--output", output, *_commands(trunk, request, tmp_path / "out")[command])
    assert result.code in (2, 5), (result.code, result.stdout, result.stderr)
    shown = result.stdout + result.stderr + (summary.read_text() if summary.exists() else "")
    assert "127.0.0.1" in shown or "nonexistent" in shown, shown  # the URL is named, only its secrets are not
    assert SECRET not in shown
    assert TOKEN not in shown
    if output == "json":
        assert isinstance(result.json(), dict)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://user:pw@host/x.git", "https://***@host/x.git"),
        ("trunk 'ssh://git@host/x' is", "trunk 'ssh://***@host/x' is"),
        ("https://u:p%40ss@host", "https://***@host"),
        ("https://a:b@c@d/x", "https://***@d/x"),
        ("file:///x.git?access_token=abc&page=2", "file:///x.git?access_token=***&page=2"),
        ("https://h/b?sv=1&sig=AbC%2F&se=2", "https://h/b?sv=1&sig=***&se=2"),
        ("https://h/?client_secret=x#id_token=y", "https://h/?client_secret=***#id_token=***"),
        ("https://h/?X-Amz-Signature=abc", "https://h/?X-Amz-Signature=***"),
    ],
)
def test_redact_masks_userinfo_and_secret_parameters(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text", ["alice@example.com wrote", "git@github.com:org/repo.git", "?api-version=2021-10-01&$top=5", "a = b"]
)
def test_redact_leaves_text_without_url_secrets_alone(text: str) -> None:
    assert redact(text) == text


def test_redact_reaches_every_string_of_a_document_and_a_finding() -> None:
    document = {"trunk": "https://u:pw@h/x", "list": ["https://t@h", 3, None], "https://k:v@h": True}
    assert redact_value(document) == {
        "trunk": f"https://{MASK}@h/x",
        "list": [f"https://{MASK}@h", 3, None],
        f"https://{MASK}@h": True,
    }
    finding = redact_finding(Finding("https://u:pw@h/x", "", "cannot reach https://u:pw@h/x"))
    assert "pw" not in finding.render()

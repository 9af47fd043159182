"""Commit messages: every value that enters one is checked where it enters, and every commit vending makes
parses back, with ``git interpret-trailers --parse`` and ``%(trailers:unfold)``, to exactly the trailers
it meant."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testing.cli import run_cli
from testing.requests import request_data, write_request
from testing.trunks import git, make_trunk

from vending.errors import InputError
from vending.request.hygiene import message_text
from vending.trunk.messages import Action, Subject, decommission_change, subscription_change

DEV = "@example/platform-dev"
VERSION_TRAILER = "Vending-Interface"


def parse_trailers(text: str, cwd: Path) -> list[tuple[str, str]]:
    done = subprocess.run(
        ["git", "interpret-trailers", "--parse"], input=text, capture_output=True, text=True, check=True, cwd=cwd
    )
    return [(key, value) for key, value in (line.split(": ", 1) for line in done.stdout.splitlines() if line)]


def logged_trailers(remote: Path, commit: str) -> list[tuple[str, str]]:
    text = git(remote, "log", "-1", "--format=%(trailers:unfold)", commit)
    return [(key, value) for key, value in (line.split(": ", 1) for line in text.splitlines() if line)]


def every_reading(remote: Path, commit: str) -> list[list[tuple[str, str]]]:
    message = git(remote, "log", "-1", "--format=%B", commit)
    return [parse_trailers(message, remote), logged_trailers(remote, commit)]


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return make_trunk(tmp_path)


# --- refused where they enter ---------------------------------------------------------------------------

HOSTILE_REASONS = [
    "ok\n\nRequested-By: mallory@evil.example",
    "ok\nVending-Identity: @example/platform-admins",
    "ok\rTicket: CHG-0",
    "Signed-off-by: Mallory <m@evil.example>",
    "fine --- Requested-By: m@evil.example",
    "---",
    "co-authored-by: x",
    "a\u2028b",
    "a\x00b",
    "tab\tseparated",
    "\u202eevil",
    "x" * 501,
]


@pytest.mark.parametrize("reason", HOSTILE_REASONS)
@pytest.mark.parametrize("option", ["--reason", "--ticket"])
def test_decommission_refuses_hostile_free_text(remote: Path, option: str, reason: str) -> None:
    before = git(remote, "rev-parse", "main")
    result = run_cli(
        "decommission", "platform-management", "--trunk", remote, "--as", DEV, "--confirm", "platform-management",
        "--requested-by", "bob@contoso.com", option, reason,
    )  # fmt: skip
    assert result.code == 2, result.stderr
    assert f"{option}: " in result.stderr
    assert git(remote, "rev-parse", "main") == before


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--requested-by", "bob@contoso.com\nVending-Identity: @example/platform-admins"),
        ("--requested-by", "not an email"),
        ("--author", "Ev\re <eve@contoso.com>"),
        ("--author", "Eve\u202e <eve@contoso.com>"),
        ("--author", "Eve <eve@contoso.com\nx>"),
        ("--committer-email", "bot@contoso.com\nRequested-By: m@evil.example"),
        ("--as", "@example/platform-dev\x00"),
    ],
)
def test_decommission_refuses_hostile_people(remote: Path, option: str, value: str) -> None:
    before = git(remote, "rev-parse", "main")
    args = {"--as": DEV, "--requested-by": "bob@contoso.com", option: value}
    flat = [word for pair in args.items() for word in pair]
    result = run_cli(
        "decommission", "platform-management", "--trunk", remote, "--confirm", "platform-management", *flat
    )
    assert result.code == 2, result.stderr
    assert f"{option}: " in result.stderr
    assert git(remote, "rev-parse", "main") == before


@pytest.mark.parametrize("option", ["--author", "--committer-email"])
def test_submit_refuses_hostile_people(remote: Path, tmp_path: Path, option: str) -> None:
    value = "Eve <eve@contoso.com>\nRequested-By: m@evil.example" if option == "--author" else "a\rb@contoso.com"
    request = write_request(tmp_path, request_data())
    before = git(remote, "rev-parse", "main")
    result = run_cli("submit", request, "--trunk", remote, "--as", DEV, "--skip-azure-checks", option, value)
    assert result.code == 2, result.stderr
    assert f"{option}: " in result.stderr
    assert git(remote, "rev-parse", "main") == before


def test_a_ticket_shaped_like_a_trailer_is_refused_in_the_request(remote: Path, tmp_path: Path) -> None:
    request = write_request(tmp_path, request_data(ticket="CHG-1 Requested-By: mallory@evil.example"))
    result = run_cli("submit", request, "--trunk", remote, "--as", DEV, "--skip-azure-checks")
    assert result.code == 2
    assert "ticket: must not contain 'Requested-By:' (it reads like a git trailer)" in result.stderr


# --- what is accepted parses back exactly ------------------------------------------------------------------


def _render_hash(flux_text: str) -> str:
    (line,) = [line for line in flux_text.splitlines() if "vending.dev/render-hash:" in line]
    return line.split(":", 1)[1].strip()


def test_every_commit_parses_back_to_its_intended_trailers(remote: Path, tmp_path: Path) -> None:
    display = "Ops: Payments -- Team (west) #1 é"
    ticket = "OPS-42: migrate (see #12) 100%"
    request = write_request(tmp_path, request_data(displayName=display, ticket=ticket))
    vended = run_cli("submit", request, "--trunk", remote, "--as", DEV, "--skip-azure-checks")
    assert vended.code == 0, vended.stderr
    reason = "Cost: review (#12) -- retired: yes"
    gone = run_cli(
        "decommission", "app-dev", "--trunk", remote, "--as", DEV, "--confirm", "app-dev",
        "--requested-by", "carol@contoso.com", "--reason", reason, "--ticket", "CHG-7: close",
    )  # fmt: skip
    assert gone.code == 0, gone.stderr
    version = dict(parse_trailers(git(remote, "log", "-1", "--format=%B", "main~2"), remote))[VERSION_TRAILER]
    common = [("Vending-Request", "app-dev"), (VERSION_TRAILER, version)]
    checks = [("Azure-Checks", "skipped")]
    intended = {
        "main~1": [
            *common,
            ("Requested-By", "alice@contoso.com"),
            ("Vending-Identity", DEV),
            *checks,
            ("Ticket", ticket),
            (
                "Vending-Render-Hash",
                _render_hash(git(remote, "show", "main~1:subscriptions/dev/app-dev/terraform.yaml")),
            ),
        ],
        "main": [
            *common,
            ("Requested-By", "carol@contoso.com"),
            ("Vending-Identity", DEV),
            *checks,
            ("Ticket", "CHG-7: close"),
        ],
    }
    for commit, trailers in intended.items():
        assert every_reading(remote, commit) == [trailers, trailers]
    assert reason in git(remote, "log", "-1", "--format=%b", "main")


@settings(max_examples=200, deadline=None)
@given(reason=st.text(max_size=80), ticket=st.text(max_size=40), display=st.text(max_size=40))
def test_any_accepted_value_parses_back_exactly(
    tmp_path_factory: pytest.TempPathFactory, reason: str, ticket: str, display: str
) -> None:
    """Whatever ``message_text`` lets through, git reads exactly the intended trailers back."""
    cwd = tmp_path_factory.getbasetemp()
    if message_text(ticket, limit=128) is not None or not ticket.strip():
        ticket = "CHG-1"
    if message_text(reason, limit=500) is not None:
        reason = ""
    subject = Subject("app-dev", "dev", "bob@contoso.com", DEV, "0.1.0")
    try:
        changes = [
            decommission_change(subject, "cancel", reason, ticket),
            subscription_change(subject, Action.UPDATE, display, "passed", ticket),
        ]
        messages = [change.message() for change in changes]
    except InputError:
        return
    for change, message in zip(changes, messages, strict=True):
        assert parse_trailers(message, cwd) == list(change.trailers.items())

"""Commit messages as the contract fixes them: trailers, subject, author from the CI host or the CLI,
committer the pipeline identity."""

from __future__ import annotations

from pathlib import Path

import pytest
from trunk_support import (
    DEV,
    EXAMPLES,
    PROD,
    git,
    message,
    submit_args,
    tip,
    trailers,
    vend,
    write_request,
)


def _person(remote: Path, commit: str, who: str) -> str:
    fmt = {"author": "%an <%ae>", "committer": "%cn <%ce>"}[who]
    return git(remote, "log", "-1", f"--format={fmt}", commit).strip()


def _render_hash(remote: Path, path: str) -> str:
    """The ``vending.dev/render-hash`` annotation of a rendered Terraform object on main."""
    text = git(remote, "show", f"main:{path}")
    (line,) = [line for line in text.splitlines() if "vending.dev/render-hash:" in line]
    return line.split(":", 1)[1].strip()


def test_trailers_are_exactly_the_contract(remote: Path, requests_dir: Path) -> None:
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a", requestedBy="carol@contoso.com")))
    assert run.code == 0
    commit = tip(remote)
    assert trailers(remote, commit) == [
        ("Vending-Request", "team-a"),
        ("Vending-Interface", "0.1.0"),
        ("Requested-By", "carol@contoso.com"),
        ("Vending-Identity", DEV),
        ("Azure-Checks", "skipped"),
        ("Vending-Render-Hash", _render_hash(remote, "subscriptions/dev/team-a/terraform.yaml")),
    ]
    assert message(remote, commit).splitlines()[0] == "Vend team-a in dev"


def test_ticket_trailer_when_given(remote: Path) -> None:
    run = vend(*submit_args(remote, EXAMPLES / "payments-prod.yaml", identity=PROD))
    assert run.code == 0, run.stderr
    assert trailers(remote, tip(remote)) == [
        ("Vending-Request", "payments-prod"),
        ("Vending-Interface", "0.1.0"),
        ("Requested-By", "bob@contoso.com"),
        ("Vending-Identity", PROD),
        ("Azure-Checks", "skipped"),
        ("Ticket", "CHG-20261126-042"),
        ("Vending-Render-Hash", _render_hash(remote, "subscriptions/prod/payments-prod/terraform.yaml")),
    ]


def test_update_subject_and_trailers(remote: Path, requests_dir: Path) -> None:
    assert vend(*submit_args(remote, write_request(requests_dir, "team-a"))).code == 0
    assert vend(*submit_args(remote, write_request(requests_dir, "team-a", displayName="New"))).code == 0
    assert message(remote, tip(remote)).splitlines()[0] == "Update team-a in dev"
    assert dict(trailers(remote, tip(remote)))["Vending-Request"] == "team-a"


def test_default_author_is_the_requester_and_committer_the_identity(remote: Path, requests_dir: Path) -> None:
    assert vend(*submit_args(remote, write_request(requests_dir, "team-a"))).code == 0
    assert _person(remote, tip(remote), "author") == "alice <alice@contoso.com>"
    assert _person(remote, tip(remote), "committer") == f"{DEV} <vending@users.noreply.github.com>"


def test_author_from_the_cli(remote: Path, requests_dir: Path) -> None:
    run = vend(
        *submit_args(remote, write_request(requests_dir, "team-a")),
        "--author",
        "Carol Ops <carol@ex.org>",
        "--committer-email",
        "bot@ex.org",
    )
    assert run.code == 0
    assert _person(remote, tip(remote), "author") == "Carol Ops <carol@ex.org>"
    assert _person(remote, tip(remote), "committer") == f"{DEV} <bot@ex.org>"


def test_invalid_author_is_rejected(remote: Path, requests_dir: Path) -> None:
    head = tip(remote)
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")), "--author", "no email here")
    assert run.code == 2
    assert "--author" in run.stderr
    assert tip(remote) == head


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {"GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "octocat", "GITHUB_ACTOR_ID": "583231"},
            "octocat <583231+octocat@users.noreply.github.com>",
        ),
        ({"GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "octocat"}, "octocat <octocat@users.noreply.github.com>"),
        ({"GITHUB_ACTIONS": "True", "GITHUB_ACTOR": "octocat"}, "octocat <octocat@users.noreply.github.com>"),
        (
            {"TF_BUILD": "True", "BUILD_REQUESTEDFOR": "Dana Dev", "BUILD_REQUESTEDFOREMAIL": "dana@contoso.com"},
            "Dana Dev <dana@contoso.com>",
        ),
        ({"GITHUB_ACTOR": "octocat"}, "alice <alice@contoso.com>"),
    ],
)
def test_author_from_the_ci_host(
    remote: Path,
    requests_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str],
    expected: str,
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "outputs.txt"))
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")))
    assert run.code == 0, run.stderr
    assert _person(remote, tip(remote), "author") == expected
    assert _person(remote, tip(remote), "committer") == f"{DEV} <vending@users.noreply.github.com>"


def test_cli_author_wins_over_the_ci_host(
    remote: Path, requests_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "outputs.txt"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_ACTOR", "octocat")
    run = vend(*submit_args(remote, write_request(requests_dir, "team-a")), "--author", "Erin <erin@ex.org>")
    assert run.code == 0
    assert _person(remote, tip(remote), "author") == "Erin <erin@ex.org>"

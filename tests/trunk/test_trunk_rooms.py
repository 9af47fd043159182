"""The trunk package's rooms: commit words are built from plain values (the import rules are in tests/architecture)."""

from __future__ import annotations

from vending.reporting.host import CiAuthor, environment_author
from vending.trunk.messages import Action, Subject, decommission_change, subscription_change


def test_trailers_of_a_vend_and_a_decommission() -> None:
    subject = Subject("team-a", "dev", "alice@contoso.com", "@example/platform-dev", "0.1.0")
    vend = subscription_change(subject, Action.CREATE, "Team A", "passed", "CHG-1").message()
    assert vend.startswith("Vend team-a in dev\n\n")
    assert vend.endswith(
        "Vending-Request: team-a\nVending-Interface: 0.1.0\nRequested-By: alice@contoso.com\n"
        "Vending-Identity: @example/platform-dev\nAzure-Checks: passed\nTicket: CHG-1\n"
    )
    gone = decommission_change(subject, "retain", "not needed").message()
    assert gone.startswith("Decommission team-a from dev\n\nReason: not needed\n\nDeletion policy retain:")
    assert "Azure-Checks: skipped\n" in gone and "Ticket" not in gone


def test_ci_author_is_matched_case_insensitively() -> None:
    assert environment_author({"GITHUB_ACTIONS": "TRUE", "GITHUB_ACTOR": "octo", "GITHUB_ACTOR_ID": "7"}) == CiAuthor(
        "octo", "7+octo@users.noreply.github.com"
    )
    assert environment_author({"TF_BUILD": "true", "BUILD_REQUESTEDFOR": "Dana"}) == CiAuthor(
        "Dana", "azure-devops@users.noreply.local"
    )
    assert environment_author({"GITHUB_ACTOR": "octo"}) is None

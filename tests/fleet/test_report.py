"""``vending report``: a synthetic history with known commit and status times, whose figures are asserted
exactly; the inventory from the trunk as it is; text, Markdown and JSON (validated against its schema)."""

from __future__ import annotations

import json
import os
import subprocess
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from testing.cli import run_cli
from testing.trunks import git

from vending.trunk.records import StatusRecord, record_path

WINDOW = ("--since", "2027-01-01", "--until", "2027-01-31")


def commit_at(work: Path, when: str, message: str, records: tuple[StatusRecord, ...] = ()) -> None:
    """One commit dated ``when`` (author and committer), writing ``records`` (none: an empty commit)."""
    for record in records:
        target = work / record_path(record.environment, record.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(record.text(), encoding="utf-8")
    git(work, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "commit", "--quiet", "--allow-empty", "-m", message], cwd=work, env=env, check=True)


def change(name: str, verb: str, render_hash: str | None) -> str:
    digest = f"\nVending-Render-Hash: {render_hash}" if render_hash else ""
    return f"{verb} {name} in dev\n\nVending-Request: {name}\nVending-Identity: @example/platform-dev{digest}\n"


def state(name: str, value: str, since: str, render_hash: str | None) -> StatusRecord:
    return StatusRecord(name=name, environment="dev", state=value, since=since, renderHash=render_hash)


RECORDING = "Record the status of 1 subscription\n\nVending-Identity: @example/platform-admins\n"


@pytest.fixture
def history(remote: Path, tmp_path: Path) -> Path:
    """January 2027 on top of the fleet trunk:

    - ``a`` vended 01-01 00:00 (render H1), recorded ready since 00:30: lead 1,800 s;
    - ``a`` updated 01-02 00:00 (H2), recorded failed since 00:10, then ready since 02:10: lead 7,800 s, a
      failure, a restore of 7,200 s;
    - ``b`` vended 01-03 00:00 without a render hash, recorded ready (no hash) since 00:15: lead 900 s;
    - ``c`` vended 01-04 00:00 (H4), recorded failed since 00:05 and never ready: a failure, no deployment;
    - ``d`` vended 02-10 (after the window) and ready: outside every figure.
    """
    work = tmp_path / "work"
    git(tmp_path, "clone", "--quiet", str(remote), str(work))
    git(work, "config", "user.name", "Test"), git(work, "config", "user.email", "test@example.com")
    steps: list[tuple[str, str, tuple[StatusRecord, ...]]] = [
        ("2027-01-01T00:00:00Z", change("a", "Vend", "sha256:h1"), ()),
        ("2027-01-01T01:00:00Z", RECORDING, (state("a", "ready", "2027-01-01T00:30:00Z", "sha256:h1"),)),
        ("2027-01-02T00:00:00Z", change("a", "Update", "sha256:h2"), ()),
        ("2027-01-02T01:00:00Z", RECORDING, (state("a", "failed", "2027-01-02T00:10:00Z", "sha256:h2"),)),
        ("2027-01-02T03:00:00Z", RECORDING, (state("a", "ready", "2027-01-02T02:10:00Z", "sha256:h2"),)),
        ("2027-01-03T00:00:00Z", change("b", "Vend", None), ()),
        ("2027-01-03T00:20:00Z", RECORDING, (state("b", "ready", "2027-01-03T00:15:00Z", None),)),
        ("2027-01-04T00:00:00Z", change("c", "Vend", "sha256:h4"), ()),
        ("2027-01-04T00:30:00Z", RECORDING, (state("c", "failed", "2027-01-04T00:05:00Z", "sha256:h4"),)),
        ("2027-02-10T00:00:00Z", change("d", "Vend", "sha256:h5"), ()),
        ("2027-02-10T01:00:00Z", RECORDING, (state("d", "ready", "2027-02-10T00:30:00Z", "sha256:h5"),)),
    ]
    for when, message, records in steps:
        commit_at(work, when, message, records)
    git(work, "push", "--quiet", "origin", "HEAD:main")
    return remote


def report_document(remote: Path, *args: str) -> dict[str, Any]:
    result = run_cli("report", "--trunk", remote, *args, "--output", "json")
    assert result.code == 0, result.stderr
    document: dict[str, Any] = result.json()
    schema = json.loads((files("vending") / "schemas" / "output" / "report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(document)
    return document


def test_metrics_of_a_known_history(history: Path) -> None:
    document = report_document(history, *WINDOW)
    assert document["since"] == "2027-01-01T00:00:00Z"
    assert document["until"] == "2027-02-01T00:00:00Z"
    assert document["deployments"] == 3
    assert document["leadTimeSeconds"] == {"median": 1800.0, "p90": 7800.0}
    assert document["changeFailureRate"] == 0.5
    assert document["failures"] == 2
    assert document["timeToRestoreSeconds"] == {"median": 7200.0}


def test_inventory_is_the_trunk_as_it_is(history: Path) -> None:
    inventory = report_document(history, *WINDOW)["inventory"]
    assert inventory["environments"] == {"dev": 1, "prod": 1}
    assert inventory["managementGroups"] == {"mg-corp-dev": 1, "mg-corp-prod": 1}
    assert sum(inventory["moduleRefs"].values()) == 2
    assert "unknown" not in inventory["moduleRefs"]
    assert inventory["withoutBudget"] == 1


def test_an_empty_window_measures_nothing(history: Path) -> None:
    document = report_document(history, "--since", "2026-06-01", "--until", "2026-06-30")
    assert document["deployments"] == 0
    assert document["leadTimeSeconds"] == {"median": None, "p90": None}
    assert document["changeFailureRate"] is None


def test_text_and_markdown(history: Path) -> None:
    text = run_cli("report", "--trunk", history, *WINDOW)
    assert text.code == 0, text.stderr
    assert "Deployments" in text.stdout and "30m 0s (1800 s)" in text.stdout
    markdown = run_cli("report", "--trunk", history, *WINDOW, "--markdown")
    assert markdown.stdout.startswith("## Subscription vending: 2027-01-01T00:00:00Z to 2027-02-01T00:00:00Z")
    assert "| Change failure rate | 50.0% (2 failed) |" in markdown.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [(("--since", "yesterday"), "--since"), (("--since", "2027-02-01", "--until", "2027-01-01"), "not before")],
)
def test_bad_dates_are_refused(fleet_trunk: Path, args: tuple[str, ...], words: str) -> None:
    result = run_cli("report", "--trunk", fleet_trunk, *args)
    assert result.code == 2
    assert words in result.stderr

"""The version rule: VERSION must be bumped enough (0.x rule included) and every bump needs a CHANGELOG section."""

from __future__ import annotations

from pathlib import Path

import pytest
from semver_support import Runner, action_inputs, git, release, released_repo, schema_properties, write_tree

from vending.semver_guard.bump import actual_bump, changelog_has_section, required_bump
from vending.semver_guard.difference import Level


def _breaking(files: dict[str, object]) -> None:
    action_inputs(files).pop("mode")


def _additive(files: dict[str, object]) -> None:
    action_inputs(files)["branch"] = {"required": False, "default": "main"}


def _fix(files: dict[str, object]) -> None:
    schema_properties(files)["name"]["description"] = "The alias, once more."


CHANGES = {"breaking": _breaking, "additive": _additive, "fix": _fix}


@pytest.mark.parametrize(
    ("released", "change", "bumped", "accepted"),
    [
        ("1.2.3", "breaking", "2.0.0", True),
        ("1.2.3", "breaking", "1.3.0", False),
        ("1.2.3", "breaking", "1.2.4", False),
        ("1.2.3", "additive", "1.3.0", True),
        ("1.2.3", "additive", "1.2.4", False),
        ("1.2.3", "fix", "1.2.4", True),
        ("1.2.3", "fix", "2.0.0", True),
        ("0.4.1", "breaking", "0.5.0", True),
        ("0.4.1", "breaking", "0.4.2", False),
        ("0.4.1", "breaking", "1.0.0", True),
        ("0.4.1", "additive", "0.5.0", True),
        ("0.4.1", "additive", "0.4.2", False),
        ("0.4.1", "fix", "0.4.2", True),
    ],
)
def test_bump_must_cover_the_changes(
    tmp_path: Path, run_check: Runner, released: str, change: str, bumped: str, accepted: bool
) -> None:
    root, files = released_repo(tmp_path, released)
    CHANGES[change](files)
    release(root, files, bumped)
    outcome = run_check(root, f"v{released}")
    document = outcome.document()
    assert (outcome.code, document["ok"]) == ((0, True) if accepted else (2, False)), document
    assert document["released"] == released
    assert document["version"] == bumped
    if not accepted:
        assert any("bump but the differences need a" in problem for problem in document["problems"])


def test_zero_x_breaking_change_needs_only_a_minor(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path, "0.4.1")
    _breaking(files)
    write_tree(root, files)
    document = run_check(root, "v0.4.1").document()
    assert (document["change"], document["required"], document["actual"]) == ("major", "minor", "none")
    assert document["problems"] == [
        "VERSION 0.4.1 -> 0.4.1 is a none bump but the differences need a minor bump: set VERSION to 0.5.0 "
        "(or higher) and add a CHANGELOG.md section"
    ]


def test_not_bumped_enough_names_the_version_to_use(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path)
    _breaking(files)
    release(root, files, "1.3.0")
    outcome = run_check(root, "v1.2.3", output="text")
    assert outcome.code == 2
    assert "set VERSION to 2.0.0" in outcome.err
    assert "change: major; required bump: major; actual bump: minor" in outcome.out
    assert "FAILED" in outcome.out


def test_bump_without_changelog_section_fails(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path)
    _breaking(files)
    release(root, files, "2.0.0", changelog=False)
    outcome = run_check(root, "v1.2.3")
    assert outcome.code == 2
    assert outcome.document()["problems"] == [
        "CHANGELOG.md has no section for 2.0.0: add a '## 2.0.0' heading listing the interface changes"
    ]


def test_bump_without_changes_still_needs_a_changelog_section(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path)
    release(root, files, "1.2.4", changelog=False)
    assert run_check(root, "v1.2.3").code == 2
    release(root, files, "1.2.4")
    outcome = run_check(root, "v1.2.3")
    assert outcome.code == 0
    assert outcome.document()["differences"] == []


def test_same_version_and_no_differences_passes(tmp_path: Path, run_check: Runner) -> None:
    root, _ = released_repo(tmp_path)
    outcome = run_check(root, "v1.2.3", output="text")
    assert outcome.code == 0
    assert outcome.out.splitlines() == [
        "interface check against v1.2.3: VERSION 1.2.3 -> 1.2.3",
        "no interface differences",
        "change: none; required bump: none; actual bump: none",
        "ok",
    ]
    assert outcome.err == ""


def test_version_going_backwards_fails(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path)
    release(root, files, "1.2.2")
    outcome = run_check(root, "v1.2.3")
    assert outcome.code == 2
    assert "VERSION went backwards: 1.2.3 at the release, 1.2.2 now" in outcome.document()["problems"]


def test_unknown_ref_is_invalid_input(tmp_path: Path, run_check: Runner) -> None:
    root, _ = released_repo(tmp_path)
    outcome = run_check(root, "v9.9.9", output="text")
    assert outcome.code == 2
    assert outcome.out == ""
    assert "error: --against v9.9.9: no such commit, tag or branch" in outcome.err


def test_unknown_ref_in_json_mode_prints_an_error_document(tmp_path: Path, run_check: Runner) -> None:
    root, _ = released_repo(tmp_path)
    outcome = run_check(root, "no-such-branch")
    assert outcome.code == 2
    assert "no such commit" in outcome.document()["error"]


def test_invalid_version_is_invalid_input(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path)
    files["VERSION"] = "next\n"
    write_tree(root, files)
    outcome = run_check(root, "v1.2.3", output="text")
    assert outcome.code == 2
    assert "VERSION 'next' is not a semantic version" in outcome.err


def test_not_a_repository(tmp_path: Path, run_check: Runner) -> None:
    outcome = run_check(tmp_path, "v1.2.3", output="text")
    assert outcome.code == 2
    assert "not a git repository" in outcome.err


def test_repo_defaults_to_the_one_around_the_current_directory(
    tmp_path: Path, run_check: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, files = released_repo(tmp_path)
    _breaking(files)
    write_tree(root, files)
    monkeypatch.chdir(root / "pipelines" / "github")
    outcome = run_check(None, "v1.2.3")
    assert outcome.code == 2
    assert outcome.document()["change"] == "major"


def test_the_ref_is_read_without_checking_it_out(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path)
    git(root, "commit", "--quiet", "--allow-empty", "-m", "later")
    _breaking(files)
    write_tree(root, files)
    head, status = git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain")
    run_check(root, "v1.2.3")
    assert (git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain")) == (head, status)


def test_a_template_new_since_the_ref_is_an_addition(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path)
    ado = root / "pipelines" / "azure-devops" / "vend.yml"
    git(root, "rm", "--quiet", str(ado))
    git(root, "commit", "--quiet", "-m", "release without Azure DevOps")
    git(root, "tag", "v1.2.4")
    write_tree(root, files)
    document = run_check(root, "v1.2.4").document()
    assert document["differences"] == [
        {
            "level": "minor",
            "area": "pipeline template",
            "where": "pipelines/azure-devops/vend.yml",
            "change": "template added",
        }
    ]


@pytest.mark.parametrize(
    ("change", "released", "expected"),
    [
        (Level.MAJOR, "1.0.0", Level.MAJOR),
        (Level.MINOR, "1.0.0", Level.MINOR),
        (Level.PATCH, "1.0.0", Level.PATCH),
        (Level.MAJOR, "0.3.0", Level.MINOR),
        (Level.MINOR, "0.3.0", Level.MINOR),
        (Level.PATCH, "0.3.0", Level.PATCH),
        (Level.NONE, "0.3.0", Level.NONE),
    ],
)
def test_required_bump(change: Level, released: str, expected: Level) -> None:
    import semver

    assert required_bump(change, semver.Version.parse(released)) == expected


def test_actual_bump() -> None:
    import semver

    def bump(old: str, new: str) -> Level | None:
        return actual_bump(semver.Version.parse(old), semver.Version.parse(new))

    assert [bump("1.2.3", new) for new in ("2.0.0", "1.3.0", "1.2.4", "1.2.3", "1.2.2")] == [
        Level.MAJOR,
        Level.MINOR,
        Level.PATCH,
        Level.NONE,
        None,
    ]


@pytest.mark.parametrize("heading", ["## 1.3.0", "## 1.3.0 — 2024-05-01", "## [1.3.0] - 2024-05-01", "### v1.3.0"])
def test_changelog_headings_accepted(heading: str) -> None:
    assert changelog_has_section(f"# Changelog\n\n{heading}\n\n- x\n", "1.3.0")


@pytest.mark.parametrize("text", ["# Changelog\n\n## 1.3.01\n", "# Changelog\n\nmentions 1.3.0 in text\n", ""])
def test_changelog_without_section(text: str) -> None:
    assert not changelog_has_section(text, "1.3.0")


def test_the_version_named_in_the_schema_is_not_a_difference(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path)
    schema = files["vending/schemas/request.schema.json"]
    schema["description"] = "A request for vending interface 1.2.3."
    write_tree(root, files)
    git(root, "commit", "--quiet", "--all", "-m", "describe")
    git(root, "tag", "--force", "v1.2.3")
    schema["description"] = "A request for vending interface 1.2.4."
    schema["$id"] = "https://vending.dev/schemas/request-1.2.4.json"
    release(root, files, "1.2.4")
    outcome = run_check(root, "v1.2.3")
    assert outcome.code == 0
    assert outcome.document()["differences"] == []

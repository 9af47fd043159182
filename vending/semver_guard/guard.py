"""The guard's verdict: compare the interface at a ref with the working tree and judge the version bump."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import semver

from vending.semver_guard.bump import actual_bump, changelog_has_section, parse_release, required_bump
from vending.semver_guard.compare import compare_interfaces
from vending.semver_guard.difference import Difference, Level, highest
from vending.semver_guard.extract import CHANGELOG_FILE, Interface, extract_interface, is_package_source
from vending.semver_guard.sources import WorkingTree, commit_tree


@dataclass(frozen=True)
class Verdict:
    """Differences found, the bump they need, the bump ``VERSION`` shows, and what is wrong."""

    against: str
    released: str
    current: str
    differences: list[Difference]
    required: Level
    actual: Level | None
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "against": self.against,
            "released": self.released,
            "version": self.current,
            "differences": [difference.as_dict() for difference in self.differences],
            "change": highest(self.differences).label,
            "required": self.required.label,
            "actual": self.actual.label if self.actual is not None else "backwards",
            "ok": self.ok,
            "problems": self.problems,
        }


def check_interface(root: Path, ref: str, *, cli_options: Mapping[str, Sequence[str]] | None = None) -> Verdict:
    """Compare ``ref`` with the working tree of the repository at ``root``. ``cli_options`` is the
    running CLI's option table, used only when ``root`` is the checkout the package runs from."""
    released_tree = commit_tree(root, ref)
    working_tree = WorkingTree(root)
    released = extract_interface(released_tree)
    live = is_package_source(root)
    current = extract_interface(working_tree, live=live, cli_options=cli_options if live else None)
    return judge(ref, released, current, working_tree.read(CHANGELOG_FILE))


def judge(ref: str, released: Interface, current: Interface, changelog: str | None) -> Verdict:
    old_version = parse_release(released.version, ref)
    new_version = parse_release(current.version, "working tree")
    differences = compare_interfaces(released, current)
    required = required_bump(highest(differences), old_version)
    actual = actual_bump(old_version, new_version)
    problems = _unknown_flags(current) + _bump_problems(old_version, new_version, required, actual)
    if new_version != old_version and not changelog_has_section(changelog, str(new_version)):
        problems.append(
            f"{CHANGELOG_FILE} has no section for {new_version}: add a '## {new_version}' heading "
            "listing the interface changes"
        )
    return Verdict(ref, str(old_version), str(new_version), differences, required, actual, problems)


def _bump_problems(
    old: semver.Version,
    new: semver.Version,
    required: Level,
    actual: Level | None,
) -> list[str]:
    if actual is None:
        return [f"VERSION went backwards: {old} at the release, {new} now"]
    if actual >= required:
        return []
    return [
        f"VERSION {old} -> {new} is a {actual.label} bump but the differences need a {required.label} "
        f"bump: set VERSION to {_next(old, required)} (or higher) and add a CHANGELOG.md section"
    ]


def _next(version: semver.Version, level: Level) -> semver.Version:
    if level is Level.MAJOR:
        return version.bump_major()
    if level is Level.MINOR:
        return version.bump_minor()
    return version.bump_patch()


def _unknown_flags(current: Interface) -> list[str]:
    if current.cli_options is None:
        return []
    return [
        f"the pipeline templates pass `{f'vending {command}'.strip()} {flag}` but the CLI has no such option"
        for command, flags in current.flags.items()
        for flag in flags
        if flag not in current.cli_options.get(command, [])
    ]

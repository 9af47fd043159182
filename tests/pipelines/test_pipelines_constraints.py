"""Both templates install vending with the exact dependency versions of pipelines/constraints.txt."""

from __future__ import annotations

import re
from importlib.metadata import requires

from packaging.requirements import Requirement
from pipeline_support import ACTION, ADO_TEMPLATE, REPO

CONSTRAINTS = REPO / "pipelines" / "constraints.txt"


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            assert re.fullmatch(r"==[\w.]+", str(requirement.specifier)), line
            pins[_normal(requirement.name)] = str(requirement.specifier)[2:]
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_runtime_dependency_is_pinned_exactly() -> None:
    runtime = [Requirement(text) for text in requires("vending") or []]
    names = {_normal(requirement.name) for requirement in runtime if requirement.marker is None}
    assert names
    assert names - set(_pins()) == set()


def test_pins_satisfy_the_declared_ranges() -> None:
    pins = _pins()
    for requirement in (Requirement(text) for text in requires("vending") or []):
        if requirement.marker is None:
            assert pins[_normal(requirement.name)] in requirement.specifier, requirement


def test_the_tool_itself_is_not_pinned() -> None:
    assert "vending" not in _pins()


def test_both_templates_install_with_the_constraints() -> None:
    action = ACTION.read_text(encoding="utf-8")
    assert '--constraint "$GITHUB_ACTION_PATH/../constraints.txt" "$GITHUB_ACTION_PATH/../.."' in action
    template = ADO_TEMPLATE.read_text(encoding="utf-8")
    assert '--constraint "$AGENT_BUILDDIRECTORY/vending-tool/pipelines/constraints.txt"' in template

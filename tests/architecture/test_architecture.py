"""The package's shape: named layers, no import circle, no upward import, git only in the trunk package.

The import graph is read from the source with ``ast``: every ``import`` counts, at module level or inside a
function (a lazy import is still a dependency), so a circle cannot hide behind a deferred import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "vending"
MAX_LINES = 350
MAX_ROOT_MODULES = 14

# Lower layers never import higher ones. Longest matching prefix wins.
LAYERS: dict[str, int] = {
    "vending": 0,
    "vending.errors": 0,
    "vending.version": 0,
    "vending.request": 1,
    "vending.codeowners": 1,
    "vending.reporting": 1,
    "vending.trunk.layout": 1,
    "vending.trunk.safe_read": 1,
    "vending.trunk.config": 2,
    "vending.trunk.state": 2,
    "vending.trunk.files": 2,
    "vending.trunk.records": 2,
    "vending.trunk.approvals": 2,
    "vending.render": 3,
    "vending.azure": 3,
    "vending.engine": 3,
    "vending.emulator": 3,
    "vending.trunk": 4,
    "vending.semver_guard": 5,
    "vending.fleet": 5,
    "vending.emulator.command": 6,
    "vending.emulator.__main__": 6,
    "vending.cli": 7,
    "vending.__main__": 8,
}
# Use cases live at the package root, between the rooms they compose and the CLI.
USE_CASE_LAYER = 5
LAYER_NAMES = {0: "base", 1: "leaf", 2: "trunk data", 3: "pure/adapter", 4: "trunk", 5: "use case", 6: "cmd", 7: "cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(name: str) -> int:
    matches = [prefix for prefix in LAYERS if name == prefix or name.startswith(prefix + ".")]
    best = max(matches, key=len)
    if best == "vending" and name.count(".") == 1:
        return USE_CASE_LAYER
    return LAYERS[best]


def imported(path: Path, known: set[str]) -> Iterator[str]:
    """The project's modules that ``path`` imports (a ``from pkg import mod`` names the module itself)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package, known)


def imports_in(text: str, package: str, known: set[str]) -> Iterator[str]:
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.split(".")[0] == "vending")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if base.split(".")[0] != "vending":
                continue
            children = [f"{base}.{alias.name}" for alias in node.names]
            found = [child for child in children if child in known]
            yield from found or [base]


def graph() -> dict[str, set[str]]:
    known = set(modules())
    return {
        name: {target for target in imported(path, known) if target in known and target != name}
        for name, path in modules().items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle() -> None:
    assert cycles(graph()) == []


def test_no_upward_import() -> None:
    upward = [
        f"{source} ({LAYER_NAMES.get(layer(source), layer(source))}) imports {target} "
        f"({LAYER_NAMES.get(layer(target), layer(target))})"
        for source, targets in graph().items()
        for target in sorted(targets)
        if layer(target) > layer(source) and not target.startswith(source + ".")
    ]
    assert upward == []


def test_git_runs_only_in_the_trunk_package() -> None:
    offenders = []
    for name, path in modules().items():
        if name.startswith("vending.trunk"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "git" for a in node.names):
                offenders.append(f"{name}: import git")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "git" and not node.level:
                offenders.append(f"{name}: from {node.module} import")
            elif isinstance(node, ast.Constant) and node.value == "git":
                offenders.append(f"{name}:{node.lineno}: runs 'git'")
    assert offenders == []


def test_modules_stay_small() -> None:
    large = {
        name: lines
        for name, path in modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert large == {}


def test_few_modules_at_the_package_root() -> None:
    root = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(root) <= MAX_ROOT_MODULES, root


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_cycle_finder_sees_circles(edges: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(edges) == expected


def test_layers_classify_known_modules() -> None:
    assert layer("vending.submit") == USE_CASE_LAYER
    assert layer("vending.trunk.layout") < layer("vending.trunk.repository")
    assert layer("vending.cli.main") > layer("vending.submit") > layer("vending.render.hcl")


def test_import_reader_resolves_relative_and_from_imports() -> None:
    known = {"vending.trunk.layout", "vending.trunk", "vending.errors"}
    text = "from vending.trunk import layout\nfrom . import layout as again\nfrom ..errors import X\nimport json\n"
    found = list(imports_in(text, "vending.trunk", known))
    assert found == ["vending.trunk.layout", "vending.trunk.layout", "vending.errors"]

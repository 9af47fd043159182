"""The trunk layout: the generated paths, read from ``vending/trunk/layout.py`` where each is spelled once."""

from __future__ import annotations

import ast
from collections.abc import Callable

from vending.semver_guard.sources import Tree

LAYOUT_FILE = "vending/trunk/layout.py"
"""The module that names every trunk path; read without importing it, so that a release's can be read too."""

# (role, constant in LAYOUT_FILE, path template around the constant's value(s)). A retired role stays listed
# (the 0.x "environment index") so that a comparison with a release that still generates it reports its removal.
LAYOUT_CONSTANTS: tuple[tuple[str, str, str], ...] = (
    ("config", "CONFIG_FILE", "{}"),
    ("codeowners", "CODEOWNERS_FILE", "{}"),
    ("environment kustomization", "KUSTOMIZATION_FILE", "<env path>/{}"),
    ("environment index", "INDEX_FILE", "<env path>/{}"),
    ("environment shards", "SHARDS_DIR", "<env path>/{}/<hh>/kustomization.yaml"),
    ("network shards", "NETWORKS_DIR", "<env path>/{}/<a>.<b>/ranges.json"),
    ("tombstones", "DECOMMISSIONED_DIR", "<env path>/{}/<hh>/<name>.json"),
    ("subscription files", "SUBSCRIPTION_FILES", "<env path>/<name>/{}"),
)

Lookup = Callable[[str], object]
"""The value of a constant of the layout module, or None."""


def module_constants(text: str) -> dict[str, object]:
    """Module-level string constants and tuples/lists of them, without importing the module."""
    constants: dict[str, object] = {}
    for node in ast.parse(text).body:
        target, value = _assignment(node)
        if target is not None and value is not None:
            evaluated = _evaluate(value, constants)
            if evaluated is not None:
                constants[target] = evaluated
    return constants


def _assignment(node: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id, node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, node.value
    return None, None


def _evaluate(node: ast.expr, known: dict[str, object]) -> object:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return known.get(node.id)
    if isinstance(node, ast.Tuple | ast.List):
        items = [_evaluate(item, known) for item in node.elts]
        return items if all(isinstance(item, str) for item in items) else None
    return None


def tree_lookup(tree: Tree) -> Lookup:
    """Read the layout constants from ``tree`` by parsing its layout module."""
    text = tree.read(LAYOUT_FILE)
    constants = module_constants(text) if text is not None else {}
    return constants.get


def imported_lookup(name: str) -> object:
    """Read the layout constants from the running package (the working tree it was installed from)."""
    from vending.trunk import layout

    value = getattr(layout, name, None)
    return list(value) if isinstance(value, tuple) else value


def layout_paths(lookup: Lookup) -> dict[str, list[str]]:
    """Role -> generated path templates; a role whose constant is missing is left out."""
    layout: dict[str, list[str]] = {}
    for role, name, template in LAYOUT_CONSTANTS:
        value = lookup(name)
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else None
        if values is not None:
            layout[role] = sorted(template.format(item) for item in values if isinstance(item, str))
    return layout

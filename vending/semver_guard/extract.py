"""Extract the versioned interface of one version of the repository as plain data."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from vending.errors import InputError
from vending.semver_guard.layout import imported_lookup, layout_paths, tree_lookup
from vending.semver_guard.sources import Tree
from vending.semver_guard.templates import (
    AZURE_DEVOPS,
    EXTRACTORS,
    SCRIPT,
    TEMPLATES,
    WORKFLOW,
    azure_devops_environments,
    load_template,
    shell_flags,
    shell_texts,
    workflow_environments,
    workflow_permissions,
)

SCHEMA_FILE = "vending/schemas/request.schema.json"
VERSION_FILE = "VERSION"
CHANGELOG_FILE = "CHANGELOG.md"


@dataclass(frozen=True)
class Interface:
    """What callers rely on, in one version of the repository."""

    version: str | None
    schema: dict[str, Any] | None
    templates: dict[str, dict[str, Any]]
    flags: dict[str, list[str]]
    permissions: dict[str, str]
    environments: dict[str, str]
    layout: dict[str, list[str]]
    cli_options: dict[str, list[str]] | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_package_source(root: Path) -> bool:
    """Whether ``root`` is the checkout the running ``vending`` package was imported from."""
    package_root = Path(__file__).resolve().parents[2]
    return package_root == root.resolve()


def extract_interface(
    tree: Tree, live: bool = False, *, cli_options: Mapping[str, Sequence[str]] | None = None
) -> Interface:
    """The interface in ``tree``. ``live`` takes the schema and layout from the running code;
    ``cli_options`` is the running CLI's option table (command -> options), handed in by the CLI."""
    documents = {
        name: load_template(text, f"{tree.label}:{path}")
        for name, path in TEMPLATES.items()
        if (text := tree.read(path)) is not None
    }
    version = _version(tree)
    return Interface(
        version=version,
        schema=_without_version(_live_schema() if live else _schema(tree), version),
        templates={name: EXTRACTORS[name](document) for name, document in documents.items()},
        flags=_flags(tree, documents),
        permissions=workflow_permissions(documents.get("github-workflow", {})),
        environments=_environments(documents),
        layout=layout_paths(imported_lookup if live else tree_lookup(tree)),
        cli_options={command: sorted(options) for command, options in cli_options.items()}
        if cli_options is not None
        else None,
    )


def _version(tree: Tree) -> str | None:
    text = tree.read(VERSION_FILE)
    return text.strip() if text is not None else None


def _schema(tree: Tree) -> dict[str, Any] | None:
    text = tree.read(SCHEMA_FILE)
    if text is None:
        return None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{tree.label}:{SCHEMA_FILE}: not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise InputError(f"{tree.label}:{SCHEMA_FILE}: expected a JSON object")
    return document


def _without_version(schema: dict[str, Any] | None, version: str | None) -> dict[str, Any] | None:
    """The schema with the version it names in its own description replaced by a placeholder."""
    description = schema.get("description") if schema is not None else None
    if schema is None or version is None or not isinstance(description, str):
        return schema
    return {**schema, "description": description.replace(version, "<version>")}


def _live_schema() -> dict[str, Any]:
    from vending.request.schema import request_json_schema

    return request_json_schema()


def _flags(tree: Tree, documents: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    texts = [text for text in [tree.read(SCRIPT)] if text is not None]
    texts += [text for document in documents.values() for text in shell_texts(document)]
    merged: dict[str, set[str]] = {}
    for text in texts:
        for command, used in shell_flags(text).items():
            merged.setdefault(command, set()).update(used)
    return {command: sorted(used) for command, used in sorted(merged.items())}


def _environments(documents: dict[str, dict[str, Any]]) -> dict[str, str]:
    found = {
        f"{WORKFLOW}:{where}": value
        for where, value in workflow_environments(documents.get("github-workflow", {})).items()
    }
    found.update(
        {
            f"{AZURE_DEVOPS}:{where}": value
            for where, value in azure_devops_environments(documents.get("azure-devops", {})).items()
        }
    )
    return found

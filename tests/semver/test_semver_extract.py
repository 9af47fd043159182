"""Extraction: this repository's own interface, the flag and constant parsers, schema normalisation."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from vending.cli.interface import option_table
from vending.cli.main import cli
from vending.semver_guard.compare import compare_interfaces
from vending.semver_guard.extract import extract_interface, is_package_source
from vending.semver_guard.guard import judge
from vending.semver_guard.layout import LAYOUT_CONSTANTS, imported_lookup, layout_paths, module_constants
from vending.semver_guard.schemadiff import compare_schemas, normalize
from vending.semver_guard.sources import WorkingTree, find_repo_root
from vending.semver_guard.templates import shell_flags

REPO = Path(__file__).resolve().parents[2]


def test_this_checkout_is_the_package_source() -> None:
    assert is_package_source(REPO)
    assert find_repo_root(REPO / "vending" / "semver_guard") == REPO


def test_live_interface_of_this_repository_is_consistent() -> None:
    live = extract_interface(WorkingTree(REPO), live=True, cli_options=option_table(cli))
    assert live.cli_options is not None
    assert set(live.templates) == {"github-action", "github-workflow", "azure-devops"}
    assert {"--trunk", "--as"} <= set(live.flags["submit"])
    assert live.permissions["id-token"] == "write"
    verdict = judge("itself", live, live, None)
    assert (verdict.differences, verdict.problems) == ([], [])


def test_live_and_parsed_layout_and_flags_agree() -> None:
    live = extract_interface(WorkingTree(REPO), live=True)
    parsed = extract_interface(WorkingTree(REPO), live=False)
    assert parsed.layout == live.layout
    assert parsed.flags == live.flags
    assert {role for role, *_ in LAYOUT_CONSTANTS} - set(live.layout) == {"environment index"}
    assert "<env path>/<name>/request.yaml" in live.layout["subscription files"]


def test_committed_schema_compares_equal_to_the_generated_one() -> None:
    live = extract_interface(WorkingTree(REPO), live=True)
    parsed = extract_interface(WorkingTree(REPO), live=False)
    assert live.schema is not None and parsed.schema is not None
    assert compare_schemas(parsed.schema, live.schema) == []
    assert [d for d in compare_interfaces(parsed, live) if d.area == "request schema"] == []


def test_flags_the_templates_pass_must_exist_on_the_cli() -> None:
    live = extract_interface(WorkingTree(REPO), live=True, cli_options=option_table(cli))
    broken = type(live)(**{**live.__dict__, "flags": {**live.flags, "submit": [*live.flags["submit"], "--nope"]}})
    verdict = judge("itself", live, broken, None)
    assert "the pipeline templates pass `vending submit --nope` but the CLI has no such option" in verdict.problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('submit_args=(--trunk "$T" --as "$I")', {"submit": {"--trunk", "--as"}}),
        ("submit_args+=(--dry-run)", {"submit": {"--dry-run"}}),
        ("global_args=(--output json)", {"": {"--output"}}),
        (
            "vending --output json validate --trunk=x --azure -- --not-a-flag",
            {"": {"--output"}, "validate": {"--trunk", "--azure"}},
        ),
        ("# submit_args=(--commented)", {}),
        ('pip install --quiet "$DIR/vending-tool"', {}),
        ('exec vending "${global_args[@]}" submit "${submit_args[@]}" -- "$@"', {}),
    ],
)
def test_shell_flags(text: str, expected: dict[str, set[str]]) -> None:
    assert shell_flags(text) == expected


def test_module_constants_resolve_names_without_importing() -> None:
    text = 'A = "a.yaml"\nB: str = "b"\nBOTH = (A, B)\nOTHER = compute()\nLIST = [A, OTHER]\n'
    assert module_constants(text) == {"A": "a.yaml", "B": "b", "BOTH": ["a.yaml", "b"]}


def test_imported_layout_matches_the_code() -> None:
    from vending.trunk.layout import SUBSCRIPTION_FILES

    layout = layout_paths(imported_lookup)
    assert layout["subscription files"] == sorted(f"<env path>/<name>/{name}" for name in SUBSCRIPTION_FILES)


def test_normalize_inlines_refs_and_nullable_alternatives() -> None:
    defs = {"Budget": {"type": "object", "properties": {"amount": {"type": "number"}}}}
    node = {"anyOf": [{"$ref": "#/$defs/Budget"}, {"type": "null"}], "default": None}
    assert normalize(node, defs) == {
        "type": "object",
        "properties": {"amount": {"type": "number"}},
        "default": None,
        "nullable": True,
    }


def test_recursive_refs_stop_at_the_cycle() -> None:
    schema: dict[str, Any] = {
        "$defs": {"Node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/Node"}}}},
        "type": "object",
        "properties": {"root": {"$ref": "#/$defs/Node"}},
    }
    assert compare_schemas(schema, schema) == []
    changed = copy.deepcopy(schema)
    changed["$defs"]["Node"]["properties"]["label"] = {"type": "string"}
    changed["$defs"]["Node"]["required"] = ["label"]
    assert [(d.where, d.change) for d in compare_schemas(schema, changed)] == [
        ("request.root.label", "required field added")
    ]


def test_unknown_keywords_are_treated_as_breaking() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {"type": "object", "properties": {"a": {"type": "string", "x-vending-rule": "strict"}}}
    [difference] = compare_schemas(old, new)
    assert (difference.where, difference.level.label) == ("request.a", "major")


def test_the_sharded_layout_is_reported_against_a_0x_release() -> None:
    released = (
        'INDEX_FILE = "index.json"\nKUSTOMIZATION_FILE = "kustomization.yaml"\n'
        'REQUEST_FILE = "request.yaml"\nTERRAFORM_FILE = "main.tf"\nFLUX_FILE = "terraform.yaml"\n'
        "SUBSCRIPTION_FILES = (REQUEST_FILE, TERRAFORM_FILE, FLUX_FILE)\n"
    )
    old = layout_paths(module_constants(released).get)
    new = layout_paths(imported_lookup)
    assert old["environment index"] == ["<env path>/index.json"] and "environment index" not in new
    assert new["environment shards"] == ["<env path>/_shards/<hh>/kustomization.yaml"]
    assert new["network shards"] == ["<env path>/_networks/<a>.<b>/ranges.json"]
    assert new["tombstones"] == ["<env path>/_decommissioned/<hh>/<name>.json"]
    assert set(new["subscription files"]) - set(old["subscription files"]) == {
        "<env path>/<name>/facts.json",
        "<env path>/<name>/kustomization.yaml",
    }

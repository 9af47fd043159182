"""Every row of the semver table: a synthetic change to a released tree, classified through the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from semver_support import (
    Files,
    Mutation,
    Runner,
    action_inputs,
    ado_parameter,
    released_repo,
    schema_properties,
    workflow_call,
    write_tree,
)

ACTION = "pipelines/github/action.yml"
WORKFLOW = ".github/workflows/vend.yml"
ADO = "pipelines/azure-devops/vend.yml"
SCHEMA = "vending/schemas/request.schema.json"


def _rename(mapping: dict[str, Any], old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


def _set(path: list[Any], value: Any) -> Mutation:
    """A mutation that sets files[path[0]][path[1]]...[path[-1]] = value."""

    def mutate(files: Files) -> None:
        target = files
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _edit_text(relative: str, old: str, new: str) -> Mutation:
    def mutate(files: Files) -> None:
        assert old in files[relative]
        files[relative] = files[relative].replace(old, new)

    return mutate


def _budget(files: Files) -> dict[str, Any]:
    budget: dict[str, Any] = files[SCHEMA]["$defs"]["Budget"]
    return budget


# (id, mutation, expected highest level, where the expected difference is, words in its change)
MAJOR_CASES: list[tuple[str, Mutation, str, str]] = [
    ("remove action input", lambda f: action_inputs(f).pop("mode"), f"{ACTION}:mode", "removed"),
    (
        "rename action input",
        lambda f: _rename(action_inputs(f), "mode", "run-mode"),
        f"{ACTION}:mode",
        "renamed to run-mode",
    ),
    ("remove ADO parameter", lambda f: f[ADO]["parameters"].pop(2), f"{ADO}:mode", "removed"),
    (
        "add required workflow input",
        lambda f: workflow_call(f)["inputs"].update(region={"type": "string", "required": True}),
        f"{WORKFLOW}:region",
        "required input added",
    ),
    (
        "add required secret",
        lambda f: workflow_call(f)["secrets"].update(ARM_TOKEN={"required": True}),
        f"{WORKFLOW}:ARM_TOKEN",
        "required input added",
    ),
    (
        "workflow input optional to required",
        lambda f: workflow_call(f)["inputs"]["dry-run"].update(required=True),
        f"{WORKFLOW}:dry-run",
        "became required",
    ),
    (
        "ADO parameter loses its default",
        lambda f: ado_parameter(f, "mode").pop("default"),
        f"{ADO}:mode",
        "became required",
    ),
    (
        "workflow input type",
        lambda f: workflow_call(f)["inputs"]["dry-run"].update(type="string"),
        f"{WORKFLOW}:dry-run",
        "type changed from boolean to string",
    ),
    (
        "ADO values narrowed",
        lambda f: ado_parameter(f, "mode").update(values=["submit"]),
        f"{ADO}:mode",
        "narrowed: validate",
    ),
    (
        "action default",
        lambda f: action_inputs(f)["mode"].update(default="validate"),
        f"{ACTION}:mode",
        "default changed",
    ),
    (
        "workflow default",
        lambda f: workflow_call(f)["inputs"]["dry-run"].update(default=True),
        f"{WORKFLOW}:dry-run",
        "default changed",
    ),
    (
        "remove workflow output",
        lambda f: workflow_call(f)["outputs"].pop("committed"),
        f"{WORKFLOW}:committed",
        "removed",
    ),
    (
        "rename action output",
        lambda f: _rename(f[ACTION]["outputs"], "results", "result"),
        f"{ACTION}:results",
        "removed",
    ),
    (
        "new permission",
        lambda f: f[WORKFLOW]["permissions"].update({"pull-requests": "write"}),
        "pull-requests",
        "none -> write",
    ),
    ("raised permission", lambda f: f[WORKFLOW]["permissions"].update(contents="write"), "contents", "read -> write"),
    (
        "job permissions",
        lambda f: f[WORKFLOW]["jobs"]["vend"].update(permissions={"id-token": "write", "contents": "write"}),
        "contents",
        "read -> write",
    ),
    (
        "new environment binding",
        _set([WORKFLOW, "jobs", "vend", "environment"], "production"),
        f"{WORKFLOW}:jobs.vend",
        "production",
    ),
    ("remove request field", lambda f: schema_properties(f).pop("ticket"), "request.ticket", "field removed"),
    (
        "rename request field",
        lambda f: _rename(schema_properties(f), "ticket", "changeTicket"),
        "request.ticket",
        "renamed to changeTicket",
    ),
    (
        "add required request field",
        lambda f: (
            schema_properties(f).update(costCenter={"type": "string"}),
            f[SCHEMA]["required"].append("costCenter"),
        ),
        "request.costCenter",
        "required field added",
    ),
    (
        "request field becomes required",
        lambda f: f[SCHEMA]["required"].append("tags"),
        "request.tags",
        "became required",
    ),
    (
        "request field type",
        lambda f: schema_properties(f)["displayName"].update(type="integer"),
        "request.displayName",
        "type changed",
    ),
    (
        "request enum narrowed",
        lambda f: _budget(f)["properties"]["timeGrain"]["enum"].remove("Annually"),
        "request.budget.timeGrain",
        "Annually no longer accepted",
    ),
    (
        "request maxLength narrowed",
        lambda f: schema_properties(f)["displayName"].update(maxLength=32),
        "request.displayName",
        "maxLength 64 -> 32",
    ),
    (
        "request pattern changed",
        lambda f: schema_properties(f)["name"].update(pattern="^[a-z]{3,20}$"),
        "request.name",
        "pattern changed",
    ),
    (
        "request no longer nullable",
        lambda f: schema_properties(f)["ticket"]["anyOf"].pop(1),
        "request.ticket",
        "no longer accepts null",
    ),
    (
        "request extra keys refused",
        lambda f: schema_properties(f)["tags"].update(additionalProperties=False),
        "request.tags",
        "additional properties restricted",
    ),
    (
        "request default",
        lambda f: schema_properties(f)["workload"].update(default="DevTest"),
        "request.workload",
        "default changed",
    ),
    (
        "nested required field added",
        lambda f: (
            _budget(f)["properties"].update(currency={"type": "string"}),
            _budget(f)["required"].append("currency"),
        ),
        "request.budget.currency",
        "required field added",
    ),
    (
        "layout: index moved",
        _edit_text("vending/trunk/layout.py", '"index.json"', '"state.json"'),
        "environment index: <env path>/index.json",
        "moved to <env path>/state.json",
    ),
    (
        "layout: terraform file renamed",
        _edit_text("vending/trunk/layout.py", '"main.tf"', '"sub.tf"'),
        "subscription files: <env path>/<name>/main.tf",
        "moved to <env path>/<name>/sub.tf",
    ),
    (
        "layout: codeowners constant gone",
        _edit_text("vending/trunk/layout.py", "CODEOWNERS_FILE", "OWNERS"),
        "codeowners: CODEOWNERS",
        "no longer generated",
    ),
    (
        "CLI flag removed",
        _edit_text("pipelines/vend.sh", ' --as "$VEND_IDENTITY"', ""),
        "vending submit --as",
        "removed",
    ),
    ("template removed", lambda f: f.pop(ADO), ADO, "template removed"),
]

MINOR_CASES: list[tuple[str, Mutation, str, str]] = [
    (
        "add optional action input",
        lambda f: action_inputs(f).update(branch={"required": False, "default": "main"}),
        f"{ACTION}:branch",
        "optional input added",
    ),
    (
        "add optional workflow input",
        lambda f: workflow_call(f)["inputs"].update(branch={"type": "string", "required": False, "default": "main"}),
        f"{WORKFLOW}:branch",
        "optional input added",
    ),
    (
        "add ADO parameter with default",
        lambda f: f[ADO]["parameters"].append({"name": "branch", "type": "string", "default": "main"}),
        f"{ADO}:branch",
        "optional input added",
    ),
    (
        "add output",
        lambda f: workflow_call(f)["outputs"].update(commits={"description": "SHAs."}),
        f"{WORKFLOW}:commits",
        "added",
    ),
    ("ADO values widened", lambda f: ado_parameter(f, "mode")["values"].append("plan"), f"{ADO}:mode", "widened: plan"),
    (
        "input becomes optional",
        lambda f: workflow_call(f)["inputs"]["requests"].update(required=False),
        f"{WORKFLOW}:requests",
        "became optional",
    ),
    (
        "required ADO parameter gets a default",
        lambda f: ado_parameter(f, "environment").update(default="dev"),
        f"{ADO}:environment",
        "default 'dev' added",
    ),
    (
        "required request field gets a default",
        lambda f: (
            f[SCHEMA]["required"].remove("displayName"),
            schema_properties(f)["displayName"].update(default="x"),
        ),
        "request.displayName",
        "default x added",
    ),
    (
        "deprecate action input",
        lambda f: action_inputs(f)["dry-run"].update(deprecationMessage="Use mode."),
        f"{ACTION}:dry-run",
        "deprecated",
    ),
    (
        "add optional request field",
        lambda f: schema_properties(f).update(costCenter={"type": "string"}),
        "request.costCenter",
        "optional field added",
    ),
    (
        "request enum widened",
        lambda f: schema_properties(f)["workload"]["anyOf"][0]["enum"].append("Sandbox"),
        "request.workload",
        "widened: Sandbox",
    ),
    (
        "request maxLength raised",
        lambda f: schema_properties(f)["displayName"].update(maxLength=80),
        "request.displayName",
        "maxLength 64 -> 80",
    ),
    (
        "request field becomes optional",
        lambda f: f[SCHEMA]["required"].remove("displayName"),
        "request.displayName",
        "became optional",
    ),
    (
        "deprecate request field",
        lambda f: schema_properties(f)["ticket"].update(deprecated=True),
        "request.ticket",
        "deprecated",
    ),
    ("permission dropped", lambda f: f[WORKFLOW]["permissions"].pop("contents"), "contents", "read -> none"),
    (
        "new generated file",
        _edit_text("vending/trunk/layout.py", "FLUX_FILE)", 'FLUX_FILE, "README.md")'),
        "subscription files: <env path>/<name>/README.md",
        "new generated path",
    ),
    (
        "CLI flag now passed",
        _edit_text("pipelines/vend.sh", '--as "$VEND_IDENTITY")', '--as "$V" --branch main)'),
        "vending submit --branch",
        "now passed by the templates",
    ),
]

PATCH_CASES: list[tuple[str, Mutation, str, str]] = [
    (
        "request description",
        lambda f: schema_properties(f)["name"].update(description="Alias."),
        "request.name",
        "description changed",
    ),
    (
        "input description",
        lambda f: action_inputs(f)["mode"].update(description="How."),
        f"{ACTION}:mode",
        "description changed",
    ),
    (
        "ADO display name",
        lambda f: ado_parameter(f, "mode").update(displayName="Mode"),
        f"{ADO}:mode",
        "description changed",
    ),
    (
        "output description",
        lambda f: f[ACTION]["outputs"]["results"].update(description="Results."),
        f"{ACTION}:results",
        "description changed",
    ),
    (
        "request schema id follows the version",
        lambda f: f[SCHEMA].update({"$id": "x"}) or schema_properties(f)["name"].update(title="Alias"),
        "request.name",
        "title changed",
    ),
]


def _params(cases: list[tuple[str, Mutation, str, str]], level: str) -> list[Any]:
    return [pytest.param(mutate, level, where, change, id=name) for name, mutate, where, change in cases]


ALL = _params(MAJOR_CASES, "major") + _params(MINOR_CASES, "minor") + _params(PATCH_CASES, "patch")


@pytest.mark.parametrize(("mutate", "level", "where", "change"), ALL)
def test_each_change_is_classified(
    tmp_path: Path, run_check: Runner, mutate: Mutation, level: str, where: str, change: str
) -> None:
    root, files = released_repo(tmp_path)
    mutate(files)
    write_tree(root, files)
    outcome = run_check(root, "v1.2.3")
    document = outcome.document()
    assert document["change"] == level, document["differences"]
    assert any(
        item["where"] == where and change in item["change"] and item["level"] == level
        for item in document["differences"]
    ), document["differences"]
    assert outcome.code == 2
    assert document["ok"] is False


def test_removed_input_renamed_field_and_changed_default_are_major(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path)
    action_inputs(files).pop("dry-run")
    _rename(schema_properties(files), "displayName", "title")
    workflow_call(files)["inputs"]["dry-run"]["default"] = True
    write_tree(root, files)
    document = run_check(root, "v1.2.3").document()
    majors = {(item["where"], item["change"]) for item in document["differences"] if item["level"] == "major"}
    assert (f"{ACTION}:dry-run", "removed") in majors
    assert ("request.displayName", "field renamed to title") in majors
    assert (f"{WORKFLOW}:dry-run", "default changed from 'false' to 'true'") in majors
    assert document["required"] == "major"


def test_unrelated_edits_are_not_differences(tmp_path: Path, run_check: Runner) -> None:
    root, files = released_repo(tmp_path)
    files["README.md"] = "Rewritten.\n"
    files["pipelines/vend.sh"] += "# a comment that mentions vending submit --nothing\n"
    files[ADO]["parameters"].reverse()
    files["vending/trunk/layout.py"] += "OTHER = 'x'\n"
    write_tree(root, files)
    outcome = run_check(root, "v1.2.3")
    assert outcome.code == 0, outcome.out
    assert outcome.document()["differences"] == []

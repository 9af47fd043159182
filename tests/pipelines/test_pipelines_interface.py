"""The GitHub action, the reusable workflow and the Azure DevOps template offer one interface.

They name the same concepts, agree on defaults, hand every input to the shared script through the
environment, pin the same release, and pass only flags that the CLI has.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pipeline_support import (
    ACTION,
    ADO_CONSUMER,
    ADO_TEMPLATE,
    GITHUB_CALLER,
    SCRIPT,
    WORKFLOW,
    command_line_flags,
    load_yaml,
    missing_flags,
    script_flags,
    vending_cli,
    version,
)

# concept: (composite action input, reusable workflow input or secret, Azure DevOps parameter, script env)
CONCEPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "requests": (("requests",), ("requests",), ("requests",), ("VEND_REQUESTS",)),
    "trunk": (("trunk",), ("trunk",), ("trunk",), ("VEND_TRUNK",)),
    "identity": (("identity",), ("identity",), ("identity",), ("VEND_IDENTITY",)),
    "branch": (("branch",), ("branch",), ("branch",), ("VEND_BRANCH",)),
    "mode": (("mode",), ("mode",), ("mode",), ("VEND_MODE",)),
    "dry run": (("dry-run",), ("dry-run",), ("dryRun",), ("VEND_DRY_RUN",)),
    "review binding": (("expect-diff",), ("expect-diff",), ("expectDiff",), ("VEND_EXPECT_DIFF",)),
    "skip Azure checks": (
        ("skip-azure-checks",),
        ("skip-azure-checks",),
        ("skipAzureChecks",),
        ("VEND_SKIP_AZURE_CHECKS",),
    ),
    "ARM endpoint": (("arm-endpoint",), ("arm-endpoint",), ("armEndpoint",), ("VEND_ARM_ENDPOINT",)),
    "Python version": (("python-version",), ("python-version",), ("pythonVersion",), ()),
    "trunk push token": (
        ("trunk-token",),
        ("TRUNK_TOKEN",),
        ("trunkToken",),
        ("VEND_TRUNK_TOKEN", "VEND_TRUNK_TOKEN_SCHEME", "VEND_ADO_ACCESS_TOKEN"),
    ),
    "host-verified environment": ((), (), (), ("VEND_ENVIRONMENT",)),
    "skip unchanged environments": ((), ("only-changed",), (), ()),
    "approval environment": ((), ("environment",), ("environment",), ()),
    "Azure identity": ((), ("client-id", "tenant-id", "subscription-id"), ("serviceConnection",), ()),
    "runner": ((), ("runs-on",), ("pool",), ()),
    "tool checkout": ((), (), ("toolRepository",), ()),
}
SHARED_DEFAULTS = {
    "branch": "main",
    "mode": "submit",
    "dry run": "false",
    "skip Azure checks": "false",
    "ARM endpoint": "",
    "Python version": "3.11",
}


# Set from what the host itself knows (the job's environment, the Azure DevOps job token), never from an
# input of the action.
HOST_SET = {"VEND_ENVIRONMENT", "VEND_ADO_ACCESS_TOKEN"}


def _column(index: int) -> set[str]:
    return {name for names in CONCEPTS.values() for name in names[index]}


def _action() -> dict[str, Any]:
    return dict(load_yaml(ACTION))


def _workflow_call() -> dict[str, Any]:
    return dict(load_yaml(WORKFLOW)["on"]["workflow_call"])


def _ado_parameters() -> dict[str, dict[str, Any]]:
    return {parameter["name"]: parameter for parameter in load_yaml(ADO_TEMPLATE)["parameters"]}


def _ado_job() -> dict[str, Any]:
    return dict(load_yaml(ADO_TEMPLATE)["stages"][0]["jobs"][0])


def _ado_steps() -> list[dict[str, Any]]:
    """The deployment steps, with the conditional branches flattened."""
    steps: list[dict[str, Any]] = []
    for step in _ado_job()["strategy"]["runOnce"]["deploy"]["steps"]:
        conditional = [value for key, value in step.items() if key.startswith("${{")]
        steps += [inner for branch in conditional for inner in branch] if conditional else [step]
    return steps


def _action_vend_step() -> dict[str, Any]:
    return next(step for step in _action()["runs"]["steps"] if step.get("id") == "vend")


def _workflow_steps() -> list[dict[str, Any]]:
    return list(load_yaml(WORKFLOW)["jobs"]["vend"]["steps"])


def _concept_of(index: int, name: str) -> str:
    return next(concept for concept, names in CONCEPTS.items() if name in names[index])


def test_action_inputs_are_the_shared_concepts() -> None:
    assert set(_action()["inputs"]) == _column(0)


def test_reusable_workflow_inputs_are_the_shared_concepts() -> None:
    call = _workflow_call()
    assert set(call["inputs"]) | set(call["secrets"]) == _column(1)


def test_azure_devops_parameters_are_the_shared_concepts() -> None:
    assert set(_ado_parameters()) == _column(2)


def test_defaults_agree_across_platforms() -> None:
    action, workflow, ado = _action()["inputs"], _workflow_call()["inputs"], _ado_parameters()
    for concept, expected in SHARED_DEFAULTS.items():
        names = CONCEPTS[concept]
        found = {
            "action": action[names[0][0]]["default"],
            "workflow": workflow[names[1][0]]["default"],
            "azure-devops": ado[names[2][0]]["default"],
        }
        assert {key: str(value).lower() for key, value in found.items()} == dict.fromkeys(found, expected)


def test_modes_agree_across_platforms() -> None:
    assert _ado_parameters()["mode"]["values"] == ["submit", "validate", "diff"]
    script = SCRIPT.read_text(encoding="utf-8")
    assert re.findall(r"^    (\w+)\) run_\w+ ;;$", script, flags=re.MULTILINE) == ["submit", "validate", "diff"]


def test_boolean_inputs_are_typed_where_the_platform_allows() -> None:
    workflow = _workflow_call()["inputs"]
    assert workflow["dry-run"]["type"] == workflow["skip-azure-checks"]["type"] == "boolean"
    ado = _ado_parameters()
    assert ado["dryRun"]["type"] == ado["skipAzureChecks"]["type"] == "boolean"
    assert ado["requests"]["type"] == "object"


def test_action_hands_every_input_to_the_script_environment() -> None:
    step = _action_vend_step()
    env = step["env"]
    assert set(env) == _column(3) - HOST_SET
    for variable, value in env.items():
        if isinstance(value, str) and value.startswith("${{"):
            name = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value)
            assert name is not None, value
            assert _concept_of(3, variable) == _concept_of(0, name.group(1))


def test_azure_devops_template_hands_every_parameter_to_the_script_environment() -> None:
    variables = dict(_ado_job()["variables"])
    for step in _ado_steps():
        if step.get("name") == "vend":
            variables.update(step["env"])
    # Azure DevOps tokens go out with the default scheme; the job token's bearer scheme is the script's.
    assert set(variables) == _column(3) - {"VEND_TRUNK_TOKEN_SCHEME"}
    assert variables["VEND_ENVIRONMENT"] == "$(Environment.Name)"
    assert variables["VEND_ADO_ACCESS_TOKEN"] == "$(System.AccessToken)"
    for variable, value in variables.items():
        name = re.fullmatch(r"\$\{\{ (?:join\(' ', )?parameters\.(\w+)\)? \}\}", str(value))
        if name is not None:
            assert _concept_of(3, variable) == _concept_of(2, name.group(1))


def test_script_reads_every_variable_the_templates_set() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    assert {variable for variable in _column(3) if f"${{{variable}" not in script} == set()


def test_reusable_workflow_passes_each_shared_input_to_the_action() -> None:
    step = next(step for step in _workflow_steps() if step.get("id") == "vend")
    passed = step["with"]
    assert set(passed) <= set(_action()["inputs"])
    for action_input, value in passed.items():
        # No fallback to github.token: it cannot push to another repository.
        source = re.fullmatch(r"\$\{\{ (inputs|secrets)\.([\w-]+) \}\}", value)
        assert source is not None, value
        assert _concept_of(0, action_input) == _concept_of(1, source.group(2))


def test_outputs_agree_across_platforms() -> None:
    expected = {"committed", "commits", "results", "diff-hash", "diff-markdown"}
    action_outputs = _action()["outputs"]
    assert set(action_outputs) == expected
    assert all(action_outputs[name]["value"] == f"${{{{ steps.vend.outputs.{name} }}}}" for name in expected)
    workflow_outputs = _workflow_call()["outputs"]
    # The comment stays inside the workflow (its comment job posts it); the binding goes out.
    assert {name: spec["value"] for name, spec in workflow_outputs.items()} == {
        name: f"${{{{ jobs.vend.outputs.{name} }}}}" for name in expected - {"diff-markdown"}
    }
    job_outputs = load_yaml(WORKFLOW)["jobs"]["vend"]["outputs"]
    assert job_outputs == {name: f"${{{{ steps.vend.outputs.{name} }}}}" for name in expected}
    script = SCRIPT.read_text(encoding="utf-8")
    assert "diff-hash=%s" in script and "diff-markdown<<%s" in script
    assert "##vso[task.setvariable variable=diffHash;isOutput=true]" in script


def test_every_pin_names_the_current_release() -> None:
    release = f"v{version()}"
    callers = [job["uses"] for job in load_yaml(GITHUB_CALLER)["jobs"].values() if "uses" in job]
    assert callers and set(callers) == {f"ORG/vending/.github/workflows/vend.yml@{release}"}
    repositories = load_yaml(ADO_CONSUMER)["resources"]["repositories"]
    assert [repo["ref"] for repo in repositories] == [f"refs/tags/{release}"]


def test_reusable_workflow_runs_the_action_from_its_own_commit() -> None:
    steps = {step.get("name"): step for step in _workflow_steps()}
    tool = steps["Check out vending at this workflow's commit"]["with"]
    assert tool["repository"] == "${{ steps.self.outputs.repository }}"
    assert tool["ref"] == "${{ steps.self.outputs.sha }}"
    vend_step = next(step for step in _workflow_steps() if step.get("id") == "vend")
    assert vend_step["uses"] == f"./{tool['path']}/pipelines/github"
    assert "ORG" not in WORKFLOW.read_text(encoding="utf-8")


def test_reusable_workflow_security_settings() -> None:
    document = load_yaml(WORKFLOW)
    assert document["permissions"] == {}
    jobs = document["jobs"]
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "changes": {"contents": "read"},
        "vend": {"contents": "read", "id-token": "write"},
        "comment": {"pull-requests": "write"},
    }
    assert "environment" not in jobs["changes"]
    job = jobs["vend"]
    assert job["environment"] == "${{ inputs.environment }}"
    assert job["if"] == "${{ needs.changes.outputs.changed == 'true' }}"
    assert job["concurrency"]["cancel-in-progress"] is False
    assert job["concurrency"]["group"].startswith("vending-${{ inputs.environment }}")
    login = next(step for step in job["steps"] if str(step.get("uses", "")).startswith("azure/login@"))
    assert {"client-id", "tenant-id", "subscription-id"} <= set(login["with"])


_USES = re.compile(r"^\s*(?:- )?uses: (\S+)(.*)$", re.MULTILINE)


@pytest.mark.parametrize("path", [WORKFLOW, ACTION], ids=["workflow", "action"])
def test_every_remote_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    uses = _USES.findall(path.read_text(encoding="utf-8"))
    remote = [(target, comment) for target, comment in uses if not target.startswith("./")]
    assert remote
    unpinned = [
        target + comment
        for target, comment in remote
        if not re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", target) or not re.fullmatch(r" # v\d+\.\d+\.\d+", comment)
    ]
    assert unpinned == []


def test_azure_devops_step_uses_workload_identity() -> None:
    task = next(step for step in _ado_steps() if step.get("task") == "AzureCLI@2")
    assert task["inputs"]["addSpnToEnvironment"] is True
    assert task["inputs"]["azureSubscription"] == "${{ parameters.serviceConnection }}"
    checkouts = [step["checkout"] for step in _ado_steps() if "checkout" in step]
    assert checkouts == ["self", "${{ parameters.toolRepository }}"]


def _scripts() -> list[str]:
    action_runs = [step["run"] for step in _action()["runs"]["steps"] if "run" in step]
    workflow_runs = [
        step["run"] for job in load_yaml(WORKFLOW)["jobs"].values() for step in job["steps"] if "run" in step
    ]
    caller_runs = [step["run"] for job in load_yaml(GITHUB_CALLER)["jobs"].values() for step in job.get("steps", [])]
    return action_runs + workflow_runs + caller_runs + _ado_scripts()


def _ado_scripts() -> list[str]:
    return [step["bash"] for step in _ado_steps() if "bash" in step]


def test_no_expression_is_pasted_into_a_script() -> None:
    scripts = _scripts()
    assert scripts
    assert [script for script in scripts if "${{" in script] == []
    # Azure DevOps expands $(macro) inside script text before bash runs it.
    assert [script for script in _ado_scripts() if "$(" in script] == []


def test_every_composite_run_step_sets_bash() -> None:
    runs = [step for step in _action()["runs"]["steps"] if "run" in step]
    assert runs and all(step.get("shell") == "bash" for step in runs)


def test_script_flags_exist_on_the_cli() -> None:
    flags = script_flags(SCRIPT.read_text(encoding="utf-8"))
    assert set(flags) == {"", "submit", "validate", "diff"}
    assert {"--trunk", "--as", "--branch", "--dry-run", "--skip-azure-checks", "--expect-diff"} <= flags["submit"]
    assert {"--trunk", "--branch", "--markdown", "--as"} <= flags["diff"]
    problems = missing_flags(vending_cli(), flags)
    if problems:
        pytest.fail("the pipeline templates pass flags the CLI lacks:\n" + "\n".join(problems))


def test_flag_introspection_reports_missing_commands_and_options() -> None:
    import click

    @click.group()
    @click.option("--output")
    def group(output: str) -> None:
        """A stand-in CLI."""

    @group.command("submit")
    @click.option("--trunk")
    @click.option("--dry-run/--no-dry-run")
    def submit(trunk: str, dry_run: bool) -> None:
        """A stand-in command."""

    line = "vending --output json submit --trunk=t --no-dry-run --as me a.yaml"
    assert command_line_flags(line, group) == {
        "": {"--output"},
        "submit": {"--trunk", "--no-dry-run", "--as"},
    }
    flags = {**command_line_flags(line, group), "check": {"--trunk"}}
    assert missing_flags(group, flags) == [
        "`vending check` is not registered on vending.cli.main.cli",
        "`vending submit`: no option --as",
    ]

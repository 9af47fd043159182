"""Synthetic released/working-tree pairs: a small repository holding every interface file, tagged."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Files = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What one run of the CLI did."""

    code: int
    out: str
    err: str

    def document(self) -> Any:
        return json.loads(self.out)


Runner = Callable[..., Outcome]

SCHEMA: dict[str, Any] = {
    "$id": "https://vending.dev/schemas/request-1.2.3.json",
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "$defs": {
        "Budget": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "amount": {"type": "number", "exclusiveMinimum": 0},
                "timeGrain": {"type": "string", "enum": ["Monthly", "Quarterly", "Annually"]},
            },
            "required": ["amount", "timeGrain"],
        }
    },
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]{1,48}[a-z0-9]$", "description": "The alias."},
        "displayName": {"type": "string", "minLength": 1, "maxLength": 64, "title": "Displayname"},
        "workload": {
            "anyOf": [{"type": "string", "enum": ["Production", "DevTest"]}, {"type": "null"}],
            "default": None,
            "title": "Workload",
        },
        "ticket": {
            "anyOf": [{"type": "string", "maxLength": 128}, {"type": "null"}],
            "default": None,
            "title": "Ticket",
        },
        "budget": {"anyOf": [{"$ref": "#/$defs/Budget"}, {"type": "null"}], "default": None},
        "tags": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 256}},
    },
    "required": ["name", "displayName"],
}

ACTION: dict[str, Any] = {
    "name": "vending",
    "description": "Vend subscriptions.",
    "inputs": {
        "requests": {"description": "Request files.", "required": True},
        "mode": {"description": "submit or validate.", "required": False, "default": "submit"},
        "dry-run": {"description": "Do not push.", "required": False, "default": "false"},
    },
    "outputs": {
        "committed": {"description": "Committed names.", "value": "${{ steps.vend.outputs.committed }}"},
        "results": {"description": "JSON results.", "value": "${{ steps.vend.outputs.results }}"},
    },
    "runs": {
        "using": "composite",
        "steps": [
            {"id": "vend", "shell": "bash", "run": 'bash "$GITHUB_ACTION_PATH/../vend.sh"'},
        ],
    },
}

WORKFLOW: dict[str, Any] = {
    "name": "vend",
    "on": {
        "workflow_call": {
            "inputs": {
                "requests": {"description": "Request files.", "type": "string", "required": True},
                "environment": {"description": "GitHub environment.", "type": "string", "required": True},
                "dry-run": {"description": "Do not push.", "type": "boolean", "required": False, "default": False},
            },
            "secrets": {"TRUNK_TOKEN": {"description": "Push token.", "required": False}},
            "outputs": {
                "committed": {"description": "Committed names.", "value": "${{ jobs.vend.outputs.committed }}"}
            },
        }
    },
    "permissions": {"id-token": "write", "contents": "read"},
    "jobs": {
        "vend": {
            "runs-on": "ubuntu-latest",
            "environment": "${{ inputs.environment }}",
            "steps": [{"id": "vend", "uses": "ORG/vending/pipelines/github@v1.2.3"}],
        }
    },
}

AZURE_DEVOPS: dict[str, Any] = {
    "parameters": [
        {"name": "requests", "displayName": "Request files", "type": "object", "default": []},
        {"name": "environment", "displayName": "Environment", "type": "string"},
        {
            "name": "mode",
            "displayName": "submit or validate",
            "type": "string",
            "default": "submit",
            "values": ["submit", "validate"],
        },
    ],
    "stages": [
        {
            "stage": "vending",
            "jobs": [
                {
                    "deployment": "vending",
                    "environment": "${{ parameters.environment }}",
                    "strategy": {
                        "runOnce": {"deploy": {"steps": [{"bash": 'bash "$AGENT_BUILDDIRECTORY/tool/vend.sh"'}]}}
                    },
                }
            ],
        }
    ],
}

SCRIPT = """#!/usr/bin/env bash
set -euo pipefail
global_args=(--output json)
submit_args=(--trunk "$VEND_TRUNK" --as "$VEND_IDENTITY")
if [[ ${VEND_DRY_RUN:-false} == true ]]; then submit_args+=(--dry-run); fi
exec vending "${global_args[@]}" submit "${submit_args[@]}" -- "${requests[@]}"
"""

CHANGELOG = "# Changelog\n\n## 1.2.3\n\n- Released.\n"


def baseline(version: str = "1.2.3") -> Files:
    """Every interface file of a release, as data where the file is structured."""
    return copy.deepcopy(
        {
            "VERSION": f"{version}\n",
            "CHANGELOG.md": CHANGELOG.replace("1.2.3", version),
            "README.md": "A project.\n",
            "vending/schemas/request.schema.json": SCHEMA,
            "pipelines/github/action.yml": ACTION,
            ".github/workflows/vend.yml": WORKFLOW,
            "pipelines/azure-devops/vend.yml": AZURE_DEVOPS,
            "pipelines/vend.sh": SCRIPT,
            "vending/trunk/layout.py": (
                'CONFIG_FILE = "vending.yaml"\nCODEOWNERS_FILE = "CODEOWNERS"\n'
                'INDEX_FILE = "index.json"\nKUSTOMIZATION_FILE = "kustomization.yaml"\n'
                'REQUEST_FILE = "request.yaml"\nTERRAFORM_FILE = "main.tf"\nFLUX_FILE = "terraform.yaml"\n'
                "SUBSCRIPTION_FILES = (REQUEST_FILE, TERRAFORM_FILE, FLUX_FILE)\n"
            ),
        }
    )


def write_tree(root: Path, files: Files) -> None:
    """Write ``files`` under ``root``; baseline files missing from ``files`` are deleted."""
    for relative in set(baseline()) - set(files):
        (root / relative).unlink(missing_ok=True)
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        elif relative.endswith(".json"):
            path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    command = [
        "git",
        "-c",
        "user.name=Release",
        "-c",
        "user.email=release@example.com",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "tag.gpgsign=false",
        *args,
    ]
    done = subprocess.run(command, cwd=root, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def released_repo(tmp_path: Path, version: str = "1.2.3") -> tuple[Path, Files]:
    """A repository whose only commit is tagged ``v<version>``; returns it and a copy of its files to edit."""
    root = tmp_path / "repo"
    root.mkdir()
    files = baseline(version)
    write_tree(root, files)
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", f"release {version}")
    git(root, "tag", f"v{version}")
    return root, copy.deepcopy(files)


def release(root: Path, files: Files, version: str, changelog: bool = True) -> None:
    """Set VERSION in the working tree, with a CHANGELOG section for it unless told otherwise."""
    files["VERSION"] = f"{version}\n"
    if changelog:
        files["CHANGELOG.md"] = files["CHANGELOG.md"].replace("# Changelog\n", f"# Changelog\n\n## {version}\n\n- x\n")
    write_tree(root, files)


Mutation = Callable[[Files], object]


def schema_properties(files: Files) -> dict[str, Any]:
    properties: dict[str, Any] = files["vending/schemas/request.schema.json"]["properties"]
    return properties


def action_inputs(files: Files) -> dict[str, Any]:
    inputs: dict[str, Any] = files["pipelines/github/action.yml"]["inputs"]
    return inputs


def workflow_call(files: Files) -> dict[str, Any]:
    call: dict[str, Any] = files[".github/workflows/vend.yml"]["on"]["workflow_call"]
    return call


def ado_parameter(files: Files, name: str) -> dict[str, Any]:
    parameters = files["pipelines/azure-devops/vend.yml"]["parameters"]
    found: dict[str, Any] = next(parameter for parameter in parameters if parameter["name"] == name)
    return found

"""The pipeline templates' interface: inputs/parameters, outputs, permissions and the flags they pass."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from vending.errors import InputError

ACTION = "pipelines/github/action.yml"
WORKFLOW = ".github/workflows/vend.yml"
AZURE_DEVOPS = "pipelines/azure-devops/vend.yml"
SCRIPT = "pipelines/vend.sh"
TEMPLATES = {"github-action": ACTION, "github-workflow": WORKFLOW, "azure-devops": AZURE_DEVOPS}
PERMISSION_LEVELS = {"none": 0, "read": 1, "write": 2}

_ARRAY = re.compile(r"\b([a-z]+)_args\+?=\((.*)\)")
_FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
_VENDING_CALL = re.compile(r"(?:^|[\s;&|(])vending\s+(.*)$")
_SHELL_KEYS = ("run", "bash", "script")
# Options of the ``vending`` group that take a value (``vending --output json submit``).
GROUP_VALUE_OPTIONS = frozenset({"--output"})


def load_template(text: str, source: str) -> dict[str, Any]:
    try:
        document = YAML(typ="safe").load(text)
    except YAMLError as exc:
        raise InputError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise InputError(f"{source}: expected a YAML mapping")
    return document


def normalize_default(value: object) -> str:
    """Defaults as the platforms pass them on: ``false`` and ``"false"`` are the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _spec(
    kind: str,
    kind_type: str,
    required: bool,
    entry: dict[str, Any],
    description_key: str,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "kind": kind,
        "type": kind_type,
        "required": required,
        "description": str(entry.get(description_key, "")).strip(),
    }
    if "default" in entry:
        spec["default"] = normalize_default(entry["default"])
    if entry.get("deprecationMessage"):
        spec["deprecated"] = True
    if isinstance(entry.get("values"), list):
        spec["values"] = [normalize_default(value) for value in entry["values"]]
    return spec


def _outputs(outputs: object) -> dict[str, dict[str, Any]]:
    if not isinstance(outputs, dict):
        return {}
    return {
        str(name): {"description": str((spec or {}).get("description", "")).strip()} for name, spec in outputs.items()
    }


def _entries(section: object) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(section, dict):
        for name, entry in section.items():
            yield str(name), entry if isinstance(entry, dict) else {}


def _github_inputs(section: object, kind: str, default_type: str) -> dict[str, dict[str, Any]]:
    return {
        name: _spec(
            kind, str(entry.get("type", default_type)), bool(entry.get("required", False)), entry, "description"
        )
        for name, entry in _entries(section)
    }


def action_interface(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "inputs": _github_inputs(document.get("inputs"), "input", "string"),
        "outputs": _outputs(document.get("outputs")),
    }


def workflow_interface(document: dict[str, Any]) -> dict[str, Any]:
    call = (document.get("on") or {}).get("workflow_call") or {}
    inputs = _github_inputs(call.get("inputs"), "input", "string")
    inputs.update(_github_inputs(call.get("secrets"), "secret", "secret"))
    return {"inputs": inputs, "outputs": _outputs(call.get("outputs"))}


def azure_devops_interface(document: dict[str, Any]) -> dict[str, Any]:
    inputs = {
        str(entry["name"]): _spec(
            "parameter", str(entry.get("type", "string")), "default" not in entry, entry, "displayName"
        )
        for entry in document.get("parameters") or []
        if isinstance(entry, dict) and "name" in entry
    }
    return {"inputs": inputs, "outputs": {}}


EXTRACTORS = {
    "github-action": action_interface,
    "github-workflow": workflow_interface,
    "azure-devops": azure_devops_interface,
}


def workflow_permissions(document: dict[str, Any]) -> dict[str, str]:
    """The permissions a caller must grant: per scope, the highest level any job needs."""
    top = document.get("permissions")
    needed: dict[str, str] = {}
    jobs = document.get("jobs") or {}
    for job in jobs.values() if isinstance(jobs, dict) else []:
        permissions = (job or {}).get("permissions", top)
        for scope, level in _permission_items(permissions):
            if PERMISSION_LEVELS.get(level, 2) > PERMISSION_LEVELS.get(needed.get(scope, "none"), 2):
                needed[scope] = level
    return dict(sorted(needed.items()))


def _permission_items(permissions: object) -> Iterator[tuple[str, str]]:
    if isinstance(permissions, dict):
        yield from ((str(scope), str(level)) for scope, level in permissions.items())
    elif permissions in ("read-all", "write-all"):
        yield "*", str(permissions).removesuffix("-all")


def workflow_environments(document: dict[str, Any]) -> dict[str, str]:
    """Each job's deployment environment: it decides approvals and the OIDC token subject."""
    return {
        f"jobs.{job_id}": normalize_default(job["environment"])
        for job_id, job in _entries(document.get("jobs"))
        if job.get("environment") is not None
    }


def azure_devops_environments(document: dict[str, Any]) -> dict[str, str]:
    """Each deployment job's environment: it decides approvals, checks and the exclusive lock."""
    found: dict[str, str] = {}
    for stage in document.get("stages") or []:
        for job in (stage or {}).get("jobs") or [] if isinstance(stage, dict) else []:
            if isinstance(job, dict) and job.get("environment") is not None:
                where = f"stages.{stage.get('stage', '?')}.jobs.{job.get('deployment', job.get('job', '?'))}"
                found[where] = normalize_default(job["environment"])
    return found


def shell_texts(node: object) -> Iterator[str]:
    """Every inline script of a pipeline file (``run``, ``bash``, ``script`` steps)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _SHELL_KEYS and isinstance(value, str):
                yield value
            else:
                yield from shell_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from shell_texts(item)


def shell_flags(text: str) -> dict[str, set[str]]:
    """Flags passed to ``vending``, keyed by subcommand (``""`` for the group's own options).

    Two forms are recognised: arrays named after the subcommand (``submit_args=(--trunk ...)``,
    ``global_args`` for the group) and literal ``vending [options] COMMAND [options]`` lines.
    """
    flags: dict[str, set[str]] = {}
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for match in _ARRAY.finditer(line):
            command = "" if match.group(1) == "global" else match.group(1)
            flags.setdefault(command, set()).update(_FLAG.findall(match.group(2)))
        call = _VENDING_CALL.search(re.split(r"\s#", line, maxsplit=1)[0])
        if call is not None:
            for command, used in _call_flags(call.group(1)).items():
                flags.setdefault(command, set()).update(used)
    return flags


def _call_flags(arguments: str) -> dict[str, set[str]]:
    try:
        words = shlex.split(arguments, comments=True)
    except ValueError:
        words = arguments.split()
    flags: dict[str, set[str]] = {}
    command = ""
    skip_value = False
    for word in words:
        if word == "--":
            break
        if word.startswith("--"):
            flag = word.split("=", 1)[0]
            flags.setdefault(command, set()).add(flag)
            skip_value = not command and flag in GROUP_VALUE_OPTIONS and "=" not in word
        elif not command and not skip_value and re.fullmatch(r"[a-z][a-z-]*", word):
            command = word
        else:
            skip_value = False
    return flags

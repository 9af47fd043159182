"""Self-checks on every render: what was written reads back as exactly what was meant."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import hcl2
import yaml
from lark.exceptions import LarkError

from vending.errors import Finding, RenderBugError
from vending.render.fluxschema import flux_schema_problems
from vending.render.hcl import HclLiteralError, hcl_unquote
from vending.render.subscription import FLUX_FILE, REQUEST_FILE, TERRAFORM_FILE, RenderedSubscription
from vending.yamlio import load_plain_yaml

DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$")
_BLOCK_MARK = "__is_block__"


def decode_hcl(value: Any) -> Any:
    """python-hcl2's view of a literal value, turned back into plain data; expressions are refused."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, str):
        return hcl_unquote(value)
    if isinstance(value, list):
        return [decode_hcl(item) for item in value]
    if isinstance(value, dict):
        return {(hcl_unquote(k) if k.startswith('"') else k): decode_hcl(v)
                for k, v in value.items() if k != _BLOCK_MARK}
    raise HclLiteralError(f"unexpected value {value!r}")


def module_arguments(tf_text: str) -> dict[str, Any]:
    """The arguments of ``module "subscription"`` in a rendered root configuration, as plain data."""
    parsed = hcl2.loads(tf_text)
    modules = parsed.get("module", [])
    if len(modules) != 1 or list(modules[0]) != ['"subscription"']:
        raise HclLiteralError(f"expected exactly one module \"subscription\", found {len(modules)}")
    arguments = decode_hcl(modules[0]['"subscription"'])
    if not isinstance(arguments, dict):
        raise HclLiteralError("module block is not a mapping")
    return arguments


def check_rendered(rendered: RenderedSubscription, normalized_request: dict[str, Any]) -> None:
    """Raise ``RenderBugError`` unless every file of the subscription reads back as intended."""
    problems = _problems(rendered, normalized_request)
    if problems:
        findings = [Finding(rendered.directory, field, message) for field, message in problems]
        raise RenderBugError(f"self-check failed for {rendered.name}", findings)


def _problems(rendered: RenderedSubscription, normalized_request: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    files = {path.rsplit("/", 1)[1]: text for path, text in rendered.files.items()}
    try:
        arguments = module_arguments(files[TERRAFORM_FILE])
        arguments.pop("source", None)
        if arguments != rendered.inputs:
            problems.append((TERRAFORM_FILE, "module arguments differ from the request's values"))
    except (LarkError, HclLiteralError, ValueError) as exc:
        problems.append((TERRAFORM_FILE, f"does not parse back as plain HCL: {exc}"))
    problems += _yaml_problems(files, rendered, normalized_request)
    problems += [(FLUX_FILE, p) for p in flux_schema_problems(rendered.flux_object)]
    problems += _flux_field_problems(rendered.flux_object)
    return problems


def _yaml_problems(files: dict[str, str], rendered: RenderedSubscription,
                   normalized_request: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    try:
        if load_plain_yaml(files[REQUEST_FILE]) != normalized_request:
            problems.append((REQUEST_FILE, "does not read back as the normalized request"))
        flux = load_plain_yaml(files[FLUX_FILE])
    except yaml.YAMLError as exc:
        return [(REQUEST_FILE, f"rendered YAML does not parse: {exc}")]
    if flux != rendered.flux_object:
        problems.append((FLUX_FILE, "does not read back as the object that was rendered"))
    variables = {item["name"]: item["value"] for item in flux["spec"].get("vars", [])}
    if "vars" in flux["spec"] and variables != rendered.inputs:
        problems.append((FLUX_FILE, "vars differ from the module arguments of main.tf"))
    return problems


def _flux_field_problems(flux: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    name = flux["metadata"]["name"]
    if len(name) > 63 or not DNS1123.fullmatch(name):
        problems.append(("metadata.name", f"{name!r} is not a DNS-1123 label of at most 63 characters"))
    for key in ("interval", "retryInterval", "maxRetryInterval"):
        value = flux["spec"].get(key)
        if value is not None and not DURATION.fullmatch(str(value)):
            problems.append((f"spec.{key}", f"{value!r} is not a Go duration"))
    return problems


def terraform_fmt_problems(files: dict[str, str], terraform: str | None = None) -> list[tuple[str, str]]:
    """Files that ``terraform fmt`` would change: one run for the whole batch, where terraform exists."""
    binary = terraform or shutil.which("terraform")
    tf_files = {path: text for path, text in files.items() if path.endswith(".tf")}
    if binary is None or not tf_files:
        return []
    with tempfile.TemporaryDirectory(prefix="vending-fmt-") as tmp:
        root = Path(tmp)
        for path, text in tf_files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        result = subprocess.run([binary, "fmt", "-check", "-list=true", "-recursive", "-no-color", tmp],
                                capture_output=True, text=True, check=False)
    listed = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    problems = [(str(Path(line).relative_to(tmp)) if line.startswith(tmp) else line,
                 "is not in terraform fmt canonical form") for line in listed]
    if result.returncode not in (0, 3) or (result.returncode == 3 and not problems):
        problems.append(("*.tf", f"terraform fmt failed: {result.stderr.strip()[:300]}"))
    return problems

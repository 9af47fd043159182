"""Self-checks on every render: what was written reads back as exactly what was meant."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml

from vending.errors import Finding, RenderBugError
from vending.render.fluxschema import flux_schema_problems
from vending.render.hcl import HclLiteralError
from vending.render.hclscan import Block, Refused, contains_expression, scan_hcl
from vending.render.inputs import MODULE_OUTPUTS
from vending.render.subscription import FLUX_FILE, REQUEST_FILE, TERRAFORM_FILE, RenderedSubscription
from vending.request.fields import DNS_LABEL_RE, DURATION_RE
from vending.request.yamlio import load_plain_yaml

EXPECTED_BLOCKS = [("terraform", ()), ("provider", ("azapi",)), ("module", ("subscription",))] + [
    ("output", (name,)) for name in MODULE_OUTPUTS
]


def module_arguments(tf_text: str) -> dict[str, Any]:
    """The arguments of ``module "subscription"`` in a rendered root configuration, as plain data. Raises
    ``HclLiteralError`` unless the file holds exactly the expected blocks and every argument is a literal."""
    root = read_hcl(tf_text)
    found = [(block.type, block.labels) for block in root.blocks]
    if root.body or found != EXPECTED_BLOCKS:
        raise HclLiteralError(f"unexpected top-level content: {found} {sorted(root.body)}")
    module = root.blocks[2]
    if module.blocks or contains_expression(module.body):
        raise HclLiteralError("module block holds nested blocks or non-literal values")
    return dict(module.body)


def read_hcl(tf_text: str) -> Block:
    """The file as plain data: by the fast reader of the rendered subset, else (anything outside it, or an
    error to explain) by python-hcl2's full grammar, imported only then."""
    try:
        return scan_hcl(tf_text)
    except Refused:
        from lark.exceptions import LarkError

        from vending.render.hcltree import parse_hcl

        try:
            return parse_hcl(tf_text)
        except LarkError as exc:
            raise HclLiteralError(str(exc)) from exc


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
    except (HclLiteralError, ValueError, IndexError) as exc:
        problems.append((TERRAFORM_FILE, f"does not parse back as plain HCL: {exc}"))
    problems += _yaml_problems(files, rendered, normalized_request)
    problems += [(FLUX_FILE, p) for p in flux_schema_problems(rendered.flux_object)]
    problems += _flux_field_problems(rendered.flux_object)
    return problems


def _yaml_problems(
    files: dict[str, str], rendered: RenderedSubscription, normalized_request: dict[str, Any]
) -> list[tuple[str, str]]:
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
    if not DNS_LABEL_RE.fullmatch(name):
        problems.append(("metadata.name", f"{name!r} is not a DNS-1123 label of at most 63 characters"))
    for key in ("interval", "retryInterval", "maxRetryInterval"):
        value = flux["spec"].get(key)
        if value is not None and not DURATION_RE.fullmatch(str(value)):
            problems.append((f"spec.{key}", f"{value!r} is not a Go duration"))
    return problems


def terraform_fmt_problems(
    files: dict[str, str], terraform: str | None = None, directory: Path | None = None
) -> list[tuple[str, str]]:
    """Files that ``terraform fmt`` would change: one run for the whole batch, where terraform exists.
    Checks ``files`` (written to a temporary directory), or the ``.tf`` files already under ``directory``."""
    binary = terraform or shutil.which("terraform")
    if binary is None:
        return []
    if directory is not None:
        return _fmt_run(binary, directory)
    tf_files = {path: text for path, text in files.items() if path.endswith(".tf")}
    if not tf_files:
        return []
    with tempfile.TemporaryDirectory(prefix="vending-fmt-") as tmp:
        for path, text in tf_files.items():
            target = Path(tmp) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return _fmt_run(binary, Path(tmp))


def _fmt_run(binary: str, root: Path) -> list[tuple[str, str]]:
    result = subprocess.run(
        [binary, "fmt", "-check", "-list=true", "-recursive", "-no-color", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    listed = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    problems = [(_relative(line, root), "is not in terraform fmt canonical form") for line in listed]
    if result.returncode not in (0, 3) or (result.returncode == 3 and not problems):
        problems.append(("*.tf", f"terraform fmt failed: {result.stderr.strip()[:300]}"))
    return problems


def _relative(line: str, root: Path) -> str:
    try:
        return str(Path(line).relative_to(root))
    except ValueError:
        return line

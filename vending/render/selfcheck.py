"""Self-checks on every render: what was written reads back as exactly what was meant."""

from __future__ import annotations

import os
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
from vending.render.subscription import (
    FLUX_FILE,
    REQUEST_FILE,
    TERRAFORM_FILE,
    RenderedSubscription,
    render_subscription,
)
from vending.request.fields import DNS_LABEL_RE, DURATION_RE
from vending.request.model import Request
from vending.request.yamlio import load_plain_yaml
from vending.trunk.approvals import Approval
from vending.trunk.config import TrunkConfig

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


class CheckedRender:
    """A picklable job for a process pool: render one request with the deletion policy it keeps (and the
    approval it still carries, if any), and find
    what of the render does not read back as meant (for :func:`require_proven` in the caller, so that the
    error is raised where its findings are)."""

    def __init__(self, config: TrunkConfig, interface_version: str) -> None:
        self.config, self.version = config, interface_version

    def __call__(self, job: tuple[Request, str, Approval | None]) -> tuple[RenderedSubscription, list[tuple[str, str]]]:
        request, deletion, approval = job
        rendered = render_subscription(request, self.config, self.version, deletion, approval)
        normalized = request.normalized(self.config.environments[request.environment].workload)
        return rendered, _problems(rendered, normalized)


def check_rendered(rendered: RenderedSubscription, normalized_request: dict[str, Any]) -> None:
    """Raise ``RenderBugError`` unless every file of the subscription reads back as intended."""
    require_proven(rendered, _problems(rendered, normalized_request))


def require_proven(rendered: RenderedSubscription, problems: list[tuple[str, str]]) -> None:
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
    with FormatCheck(binary) as check:
        for path, text in files.items():
            check.add(path, text)
        return check.problems()


class FormatCheck:
    """``terraform fmt`` over a batch's ``.tf`` files as they are planned: each file is written flat into a
    scratch directory at once (nothing kept in memory; in a memory file system where there is one) and
    every ``chunk`` files are checked by a run in the background, on another core, while planning goes on;
    a chunk's files are removed when its run is done. Does nothing where terraform is missing."""

    def __init__(self, terraform: str | None = None, *, chunk: int = 250, enabled: bool = True) -> None:
        self.binary = (terraform or shutil.which("terraform")) if enabled else None
        self.chunk = chunk
        self.root = Path(tempfile.mkdtemp(prefix="vending-fmt-", dir=_scratch())) if self.binary else None
        self.paths: dict[str, str] = {}
        self.runs: list[tuple[Path, subprocess.Popen[str]]] = []
        self.found: list[tuple[str, str]] = []

    def __enter__(self) -> FormatCheck:
        return self

    def __exit__(self, *exc: object) -> None:
        for _, run in self.runs:
            run.kill()
            run.wait()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)

    def add(self, path: str, text: str) -> None:
        if self.root is None or not path.endswith(".tf"):
            return
        index = len(self.paths)
        folder = self.root / str(index // self.chunk)
        if index % self.chunk == 0:
            folder.mkdir()
        name = f"{index}.tf"
        (folder / name).write_text(text, encoding="utf-8")
        self.paths[f"{folder.name}/{name}"] = path
        if index % self.chunk == self.chunk - 1:
            self._start(folder)

    def problems(self) -> list[tuple[str, str]]:
        """Every file of the batch that ``terraform fmt`` would change, by its trunk path."""
        if self.root is None:
            return []
        if len(self.paths) % self.chunk:
            self._start(self.root / str(len(self.paths) // self.chunk))
        while self.runs:
            self._reap(*self.runs.pop(0))
        return [(self.paths.get(path, path), message) for path, message in self.found]

    def require_canonical(self) -> None:
        """Raise ``RenderBugError`` unless every ``.tf`` of the batch is what ``terraform fmt`` writes."""
        problems = self.problems()
        if problems:
            raise RenderBugError("rendered Terraform is not canonical", [Finding(p, "", m) for p, m in problems])

    def _start(self, folder: Path) -> None:
        assert self.binary is not None
        done = [(folder_, run) for folder_, run in self.runs if run.poll() is not None]
        for item in done:
            self.runs.remove(item)
            self._reap(*item)
        command = [self.binary, "fmt", "-check", "-list=true", "-recursive", "-no-color", str(folder)]
        run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.runs.append((folder, run))

    def _reap(self, folder: Path, run: subprocess.Popen[str]) -> None:
        assert self.root is not None
        out, err = run.communicate()
        self.found += _fmt_listed(out, err, run.returncode, self.root)
        shutil.rmtree(folder, ignore_errors=True)


def _scratch() -> str | None:
    """A memory file system for short-lived scratch files, where the system has one (else the default)."""
    shm = Path("/dev/shm")  # noqa: S108 - only mkdtemp (a private directory) is made there
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def _fmt_run(binary: str, root: Path) -> list[tuple[str, str]]:
    result = subprocess.run(
        [binary, "fmt", "-check", "-list=true", "-recursive", "-no-color", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    return _fmt_listed(result.stdout, result.stderr, result.returncode, root)


def _fmt_listed(out: str, err: str, code: int, root: Path) -> list[tuple[str, str]]:
    listed = [line.strip() for line in out.splitlines() if line.strip()]
    problems = [(_relative(line, root), "is not in terraform fmt canonical form") for line in listed]
    if code not in (0, 3) or (code == 3 and not problems):
        problems.append(("*.tf", f"terraform fmt failed: {err.strip()[:300]}"))
    return problems


def _relative(line: str, root: Path) -> str:
    try:
        return str(Path(line).relative_to(root))
    except ValueError:
        return line

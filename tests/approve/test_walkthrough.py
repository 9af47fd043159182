"""docs/walkthrough.md as a platform team follows it on a laptop: every ```bash and ```console block runs, in
order, in one bash session (a local bare repository as the trunk, the local ARM emulator as Azure); every
file it asks to save is saved from its YAML block; every excerpt matches the trunk it produced. Blocks the
doc marks as not run (the hosted repository, the cluster) are only checked for what they are."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from testing.environment import clean_environment
from testing.trunks import git

pytestmark = pytest.mark.slow

DOC = Path(__file__).resolve().parents[2] / "docs" / "walkthrough.md"
MARKER = re.compile(r"^<!-- walkthrough: (.+) -->$")
FENCE = re.compile(r"^```(\w*)$")
PLAN = "plan-v0.1.0-4f2a9c1b7e"
APPROVAL = "subscriptions/prod/payments-prod/approval.json"


@dataclass(frozen=True)
class Block:
    info: str
    marker: str
    body: str
    line: int


def blocks(text: str) -> list[Block]:
    """The fenced blocks of the doc with the walkthrough marker right above each (empty when none)."""
    found: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if fence is None:
            index += 1
            continue
        end = lines.index("```", index + 1)
        above = MARKER.match(lines[index - 1]) if index else None
        marker = above.group(1) if above else ""
        found.append(Block(fence.group(1), marker, "\n".join(lines[index + 1 : end]) + "\n", index + 1))
        index = end + 1
    return found


def console_step(body: str, line: int) -> str:
    """Bash that runs each ``$ command`` and compares its stdout with the lines shown under it."""
    script: list[str] = []
    steps = re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]
    for step in steps:
        command, _, expected = step.partition("\n")
        script.append(f"actual=$({command})")
        script.append(f"expected={shlex.quote(expected.rstrip(chr(10)))}")
        script.append(
            f'[ "$actual" = "$expected" ] || {{ printf "line {line}: %s\\nprinted:\\n%s\\n" '
            f'{shlex.quote(command)} "$actual" >&2; exit 1; }}'
        )
    return "\n".join(script)


def file_step(path: str, body: str) -> str:
    """Bash that saves ``body`` as ``path``, as the reader is asked to."""
    folder = shlex.quote(str(Path(path).parent))
    return f"mkdir -p {folder}\ncat > {shlex.quote(path)} <<'WALKTHROUGH_EOF'\n{body}WALKTHROUGH_EOF"


def session_script(found: list[Block]) -> str:
    """The blocks a reader runs, in order, as one bash session that stops at the first failure."""
    parts = ["set -euo pipefail", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT"]
    for block in found:
        if block.marker.startswith("file "):
            parts.append(file_step(block.marker.removeprefix("file "), block.body))
        elif block.marker:
            continue
        elif block.info == "bash":
            parts.append(f"echo 'walkthrough: block at line {block.line}' >&2\n{block.body}")
        elif block.info == "console":
            parts.append(console_step(block.body, block.line))
    return "\n".join(parts) + "\n"


def is_subset(part: Any, whole: Any) -> bool:
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(k in whole and is_subset(v, whole[k]) for k, v in part.items())
    return bool(part == whole)


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the walkthrough ran in (its trunk is ``vending-tryout/subscriptions.git``)."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    home = tmp_path_factory.mktemp("walkthrough")
    env = {k: v for k, v in clean_environment().items() if not k.startswith("VENDING_ARM")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    script = session_script(blocks(DOC.read_text(encoding="utf-8")))
    done = subprocess.run(
        ["bash", "-c", script], cwd=home, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return home / "vending-tryout"


def trunk_text(walked: Path, path: str) -> str:
    return git(walked / "subscriptions.git", "show", f"main:{path}")


def test_the_walkthrough_ends_with_an_approved_prod_subscription(walked: Path) -> None:
    approval = json.loads(trunk_text(walked, APPROVAL))
    assert approval["planId"] == PLAN and approval["approvedBy"] == "@contoso/platform-prod"
    message = git(walked / "subscriptions.git", "log", "-1", "--format=%B", "main")
    assert f"Vending-Approval: {PLAN}" in message and "Requested-By: carol@contoso.com" in message


def test_excerpts_match_the_trunk_the_walkthrough_made(walked: Path) -> None:
    excerpts = [b for b in blocks(DOC.read_text(encoding="utf-8")) if b.marker.startswith("excerpt of trunk ")]
    assert len(excerpts) >= 3
    for block in excerpts:
        path = block.marker.removeprefix("excerpt of trunk ")
        actual = trunk_text(walked, path)
        if block.info == "yaml":
            assert is_subset(yaml.safe_load(block.body), yaml.safe_load(actual)), f"line {block.line}: {path}"
        else:
            lines = {" ".join(line.split()) for line in actual.splitlines()}
            assert {" ".join(line.split()) for line in block.body.splitlines() if line} <= lines, path


def test_blocks_not_run_are_the_hosted_repository_and_the_cluster() -> None:
    skipped = [b for b in blocks(DOC.read_text(encoding="utf-8")) if b.marker.startswith("not run")]
    assert {b.marker for b in skipped} == {"not run (your hosted repository)", "not run (on the cluster)"}
    for block in skipped:
        commands = [line for line in block.body.splitlines() if line and not line.startswith("#")]
        if "cluster" in block.marker:
            assert all(line.startswith("kubectl ") and "-n flux-system" in line for line in commands)
            assert "payments-prod" in block.body
        else:
            assert all(re.fullmatch(r"export TRUNK=https://\S+", line) for line in commands)


def test_every_block_is_run_or_marked() -> None:
    for block in blocks(DOC.read_text(encoding="utf-8")):
        runnable = block.info in ("bash", "console") and not block.marker
        assert runnable or block.marker, f"line {block.line}: a {block.info or 'plain'} block neither run nor marked"

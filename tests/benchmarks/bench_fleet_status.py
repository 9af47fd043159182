"""Print figures of ``vending status`` and ``vending report`` at fleet size: ``status`` over a trunk of 10,000
rendered subscriptions with a status file of 10,000 ``Terraform`` objects and their 10,000 outputs Secrets
(targets: <= 5 s, <= 200 MB peak RSS), and ``report`` over 20,000 commits (10,000 vends, 10,000 status
recordings; target <= 10 s). Each is also given as a ratio to plain git reading the same thing in the same
run: for ``status`` a depth-1 clone of the trunk plus ``git log``; for ``report`` the two ``git log`` runs
that print the commits with their trailers and the status records' blob ids.

Run: python tests/benchmarks/bench_fleet_status.py [--quick]
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_trunk import make_trunk

from vending.fleet.status import trunk_subscriptions
from vending.trunk.config import load_config
from vending.trunk.records import StatusRecord, record_path

ENV = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "TF_BUILD")}
REVISION = "v1.4.0@sha1:4cb9876f84af6e2bffc611f946371e5bc5c94ff9"
START = 1_767_225_600  # 2026-01-01T00:00:00Z


SELF_RSS = (
    "import re, sys\n"
    "from vending.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status', encoding='ascii').read()\n"
    "sys.stderr.write('SELF-RSS ' + re.search(r'VmHWM:\\s+(\\d+)', status).group(1) + '\\n')\n"
    "sys.exit(code)\n"
)
"""Runs vending and reports the peak RSS of its own Python process (VmHWM, which exec resets; ru_maxrss
would also count the benchmark's own memory at fork time), apart from the git processes it runs."""


def run_child(args: list[str | Path]) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    """Wall seconds and peak RSS (MB) of vending's own Python process."""
    command = [sys.executable, "-c", SELF_RSS, *(str(arg) for arg in args)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=ENV)
        _, status, _usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read().decode()
    own = [line for line in stderr.splitlines() if line.startswith("SELF-RSS ")]
    own_mb = int(own[-1].split()[1]) / 1024 if own else float("nan")
    done = subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status), stdout)
    return elapsed, own_mb, done


def terraform_object(name: str, digest: str | None, index: int) -> dict[str, Any]:
    """A ready object of the size the controller keeps: vending's spec with its vars, v0.16.5's status."""
    at = f"2026-11-30T{index % 24:02d}:{index % 60:02d}:00Z"
    conditions = [
        ("Plan", "True", "TerraformPlannedWithChanges", "Plan generated"),
        ("Apply", "True", "TerraformAppliedSucceed", "Applied successfully"),
        ("Output", "True", "TerraformOutputsWritten", "Outputs written"),
        ("Ready", "True", "TerraformOutputsWritten", f"Outputs written: {REVISION}"),
    ]
    variables = {
        "alias": name,
        "display_name": f"Generated subscription {index}",
        "billing_scope": "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321",
        "workload": "DevTest",
        "management_group_id": "mg-corp-dev",
        "location": "westeurope",
        "owners": [{"principalId": "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b", "principalType": "Group"}],
        "tags": {"costCenter": "cc-1234", "requestedBy": "alice@contoso.com"},
        "address_space": [f"10.{index // 256}.{index % 256}.0/24"],
        "hub_peering": True,
    }
    return {
        "apiVersion": "infra.contrib.fluxcd.io/v1alpha2",
        "kind": "Terraform",
        "metadata": {
            "name": name,
            "namespace": "flux-system",
            "generation": 1,
            "uid": f"00000000-0000-0000-0000-{index:012d}",
            "annotations": {"vending.dev/render-hash": digest or "", "vending.dev/module-ref": "v1.4.0"},
            "labels": {"app.kubernetes.io/managed-by": "vending", "vending.dev/environment": "dev"},
            "finalizers": ["finalizers.tf.contrib.fluxcd.io"],
        },
        "spec": {
            "interval": "10m",
            "approvePlan": "auto",
            "path": "./modules/subscription",
            "sourceRef": {"kind": "GitRepository", "name": "vending-module", "namespace": "flux-system"},
            "vars": [{"name": key, "value": value} for key, value in variables.items()],
            "writeOutputsToSecret": {"name": f"{name}-outputs", "outputs": ["subscription_id"]},
        },
        "status": {
            "observedGeneration": 1,
            "conditions": [
                {"type": t, "status": s, "reason": r, "message": m, "lastTransitionTime": at, "observedGeneration": 1}
                for t, s, r, m in conditions
            ],
            "plan": {"lastApplied": "plan-v1.4.0-4cb9876f84"},
            "lastAppliedRevision": REVISION,
            "lastAttemptedRevision": REVISION,
            "lastPlannedRevision": REVISION,
            "availableOutputs": ["management_group_id", "subscription_id", "subscription_resource_id"],
        },
    }


def outputs_secret(name: str, index: int) -> dict[str, Any]:
    values = {"subscription_id": f"00000000-0000-0000-0000-{index:012d}", "management_group_id": "mg-corp-dev"}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {"name": f"{name}-outputs", "namespace": "flux-system"},
        "data": {key: base64.b64encode(value.encode()).decode() for key, value in values.items()},
    }


def status_file(source: Path, target: Path) -> int:
    subscriptions = trunk_subscriptions(source, load_config(source))
    items: list[dict[str, Any]] = []
    for index, item in enumerate(subscriptions):
        items.append(terraform_object(item.name, item.render_hash, index))
        items.append(outputs_secret(item.name, index))
    target.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}), encoding="utf-8")
    return len(subscriptions)


def plain_read(remote: Path, base: Path) -> float:
    """A depth-1 clone of the trunk and its log: what plain git needs to read the trunk's files."""
    start = time.perf_counter()
    target = base / "plain"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{remote}", str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "log", "--format=%H %s"], check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    subprocess.run(["rm", "-rf", str(target)], check=True)
    return elapsed


def status_figures(remote: Path, source: Path, base: Path) -> None:
    path = base / "terraforms.json"
    count = status_file(source, path)
    megabytes = path.stat().st_size / 1e6
    seconds, own, done = run_child(["status", "--trunk", remote, "--from", path, "--output", "json"])
    assert done.returncode == 0, done.returncode
    counts = json.loads(done.stdout)["counts"]
    baseline = plain_read(remote, base)
    verdict = "ok" if seconds <= 5 and own <= 200 else "MISSED"
    print(
        f"status: {count} subscriptions, {count} objects + {count} Secrets ({megabytes:.1f} MB file), states {counts}"
    )
    memory = f"peak RSS {own:.0f} MB (VmHWM of the vending process)"
    print(f"  {seconds:.2f} s, {memory} (targets 5 s, 200 MB: {verdict})")
    print(f"  plain git (depth-1 clone + log): {baseline:.2f} s; ratio {seconds / baseline:.1f}x")


def fast_import_history(remote: Path, names: list[str]) -> int:
    """On top of main: per name a vend commit (with its trailers) and a recording of its ready status."""
    tip = subprocess.run(["git", "-C", str(remote), "rev-parse", "main"], check=True, capture_output=True, text=True)
    lines: list[bytes] = []
    parent = tip.stdout.strip()
    for index, name in enumerate(names):
        when = START + index * 600
        digest = f"sha256:{index:016x}"
        vend = (
            f"Vend {name} in dev\n\nVending-Request: {name}\nVending-Identity: @example/platform-dev\n"
            f"Vending-Render-Hash: {digest}\n"
        )
        record = StatusRecord(name, "dev", "ready", _stamp(when + 300), renderHash=digest).text()
        lines.append(_commit(parent, when, vend, None))
        lines.append(_commit(None, when + 400, "Record the status of 1 subscription\n", (name, record)))
        parent = None
    stream = b"".join(lines)
    subprocess.run(["git", "-C", str(remote), "fast-import", "--quiet"], input=stream, check=True)
    return 2 * len(names)


def _commit(parent: str | None, when: int, message: str, record: tuple[str, str] | None) -> bytes:
    text = message.encode()
    out = [
        b"commit refs/heads/main\n",
        f"committer bench <bench@example.com> {when} +0000\n".encode(),
        f"data {len(text)}\n".encode() + text + b"\n",
    ]
    if parent:
        out.append(f"from {parent}\n".encode())
    if record:
        name, body = record
        data = body.encode()
        out.append(f"M 100644 inline {record_path('dev', name)}\ndata {len(data)}\n".encode() + data + b"\n")
    return b"".join(out)


def _stamp(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def report_figures(remote: Path, names: list[str]) -> None:
    commits = fast_import_history(remote, names)
    window = ("--since", "2025-01-01", "--until", "2030-01-01")
    seconds, own, done = run_child(["report", "--trunk", remote, *window, "--output", "json"])
    assert done.returncode == 0, done.returncode
    document = json.loads(done.stdout)
    start = time.perf_counter()
    fmt = "--format=%H%x1f%ct%x1f%s%x1f%(trailers:key=Vending-Request,key=Vending-Render-Hash)"
    subprocess.run(["git", "-C", str(remote), "log", fmt, "main"], check=True, capture_output=True)
    subprocess.run(
        ["git", "-C", str(remote), "log", "--raw", "--format=%H %ct", "main", "--", "status"],
        check=True,
        capture_output=True,
    )
    baseline = time.perf_counter() - start
    verdict = "ok" if seconds <= 10 else "MISSED"
    print(
        f"report: {commits} new commits ({len(names)} vends, {len(names)} recordings), "
        f"deployments {document['deployments']}"
    )
    print(f"  {seconds:.2f} s, peak RSS {own:.0f} MB (VmHWM of the vending process) (target 10 s: {verdict})")
    print(
        f"  plain git log (commits with trailers + status blob ids): {baseline:.2f} s; ratio {seconds / baseline:.1f}x"
    )


def main() -> None:
    count = 1_000 if "--quick" in sys.argv else 10_000
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp:
        base = Path(tmp)
        start = time.perf_counter()
        remote, source = make_trunk(base, count)
        print(f"trunk of {count} subscriptions built in {time.perf_counter() - start:.0f} s")
        status_figures(remote, source, base)
        report_figures(remote, [f"sub-{index:05d}" for index in range(count)])


if __name__ == "__main__":
    main()

"""Print figures of ``vending list`` on a trunk of 10,000 subscriptions (target: <= 1 s), as a ratio to the
time ``git log`` needs to read the same history, measured in the same run.

Run: python tests/benchmarks/bench_fleet_list.py [--quick]

The trunk is made by ``vending init``, then one commit per subscription (``git fast-import``) adds its
normalized request.yaml, facts.json, a main.tf and terraform.yaml the size of real renders, and its
kustomization; a last commit adds the sharded layout files, a recorded status for every other subscription
and 100 tombstones. ``list`` runs as a user runs it (a child process, python start-up included) against the
working tree, the bare repository by path, and a ``file://`` URL (partial clone, sparse checkout).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vending.render.trunkfiles import layout_files
from vending.request.yamlio import dump_yaml
from vending.trunk.config import load_config
from vending.trunk.records import StatusRecord, record_path
from vending.trunk.state import Entry, json_text, paths_of
from vending.version import INTERFACE_VERSION

CLI = [sys.executable, "-m", "vending"]
EA = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
GUID = "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b"
RUNS = 3
FILLER = "# rendered file stand-in\n" + 'resource_line = "value"\n' * 60


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    command = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args]
    return subprocess.run(command, cwd=cwd, input=stdin, check=True, capture_output=True).stdout.decode()


def cidr(index: int) -> str:
    return f"10.{index // 256}.{index % 256}.0/24"


def request_text(name: str, index: int) -> str:
    data = {
        "interfaceVersion": INTERFACE_VERSION,
        "name": name,
        "displayName": f"Team {index} (dev)",
        "environment": "dev",
        "billingScope": EA,
        "managementGroup": "mg-corp-dev",
        "location": "westeurope",
        "owners": [{"principalId": GUID, "principalType": "Group"}],
        "requestedBy": "alice@contoso.com",
        "network": {"addressSpace": [cidr(index)], "hubPeering": False},
        "workload": "DevTest",
    }
    return dump_yaml(data, "# Rendered by vending: bench.\n")


def _blob(path: str, text: str) -> bytes:
    data = text.encode()
    return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"


def _commit(message: str, files: dict[str, str], stamp: int, parent: str | None) -> bytes:
    text = message.encode()
    head = f"commit refs/heads/main\ncommitter bench <bench@example.com> {stamp} +0000\ndata {len(text)}\n"
    body = head.encode() + text + b"\n" + (f"from {parent}\n".encode() if parent else b"")
    return body + b"".join(_blob(path, content) for path, content in files.items()) + b"\n"


def build(base: Path, count: int) -> Path:
    trunk = base / "trunk"
    subprocess.run([*CLI, "init", str(trunk)], check=True, capture_output=True)
    config = load_config(trunk)
    paths = paths_of(config, "dev")
    entries = [Entry(f"sub-{i:05d}", "dev", "DevTest", EA, None, (cidr(i),), "cancel") for i in range(count)]
    stream = []
    parent: str | None = git(trunk, "rev-parse", "HEAD").strip()
    for index, entry in enumerate(entries):
        folder = paths.subscription(entry.name)
        files = {
            f"{folder}/request.yaml": request_text(entry.name, index),
            f"{folder}/facts.json": entry.facts_text(),
            f"{folder}/main.tf": FILLER,
            f"{folder}/terraform.yaml": FILLER,
            f"{folder}/kustomization.yaml": "resources:\n- terraform.yaml\n",
        }
        trailers = f"\n\nVending-Request: {entry.name}\nRequested-By: alice@contoso.com\n"
        stream.append(_commit(f"Vend {entry.name} in dev{trailers}", files, 1_700_000_000 + index, parent))
        parent = None
    last = layout_files(config, entries, INTERFACE_VERSION)
    for entry in entries[::2]:
        record = StatusRecord(entry.name, "dev", "ready", "2026-01-01T00:00:00Z", subscriptionId=GUID)
        last[record_path("dev", entry.name)] = record.text()
    for index in range(100):
        last[paths.tombstone(f"gone-{index:03d}")] = json_text({"date": "2026-01-01T00:00:00Z", "subscriptionId": None})
    stream.append(_commit("layout, status and tombstones", last, 1_800_000_000, None))
    git(trunk, "fast-import", "--quiet", stdin=b"".join(stream))
    git(trunk, "reset", "--quiet", "--hard", "main")
    remote = base / "remote.git"
    git(base, "clone", "--quiet", "--bare", str(trunk), str(remote))
    return remote


TRAMPOLINE = """
import os, sys, time
null = os.open(os.devnull, os.O_WRONLY)
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
_, status, usage = os.wait4(pid, 0)
cpu = usage.ru_utime + usage.ru_stime
print(time.perf_counter() - start, cpu, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""
"""Runs one command; prints its wall seconds, CPU seconds (its children's too), peak RSS (KiB), exit code. A bare
interpreter of its own:
Linux counts the pages of the process that spawned a child in the child's peak, and this one is small."""


def run_child(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one child process, which must exit 0."""
    done = subprocess.run([sys.executable, "-S", "-c", TRAMPOLINE, *args], capture_output=True, text=True, check=True)
    seconds, cpu, kib, code = done.stdout.split()
    assert code == "0", f"{args} exited {code}: {done.stderr}"
    return float(seconds), float(cpu), int(kib) / 1024


def best(args: list[str]) -> tuple[float, float, float]:
    runs = [run_child(args) for _ in range(RUNS)]
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)


def main() -> None:
    count = 1_000 if "--quick" in sys.argv else 10_000
    keep = next((Path(arg.split("=", 1)[1]) for arg in sys.argv if arg.startswith("--keep=")), None)
    with tempfile.TemporaryDirectory(prefix="bench-list-") as tmp:
        base = keep or Path(tmp)
        started = time.perf_counter()
        remote = base / "remote.git" if keep and (base / "remote.git").is_dir() else build(base, count)
        print(f"trunk of {count} subscriptions, {count + 2} commits, ready in {time.perf_counter() - started:.1f} s")
        print(f"{'':<44} {'wall':>7}    {'CPU':>7}    {'peak RSS':>8}")
        log = best(["git", "-C", str(remote), "log", "--format=%H %s%n%(trailers)", "main"])
        names = best(["git", "-C", str(remote), "log", "--name-only", "--format=%H", "main"])
        print(f"{'git log (commits and trailers)':<44} {log[0]:7.3f} s  {log[1]:7.3f} s  {log[2]:7.1f} MB")
        print(
            f"{'git log --name-only (commits and trees)':<44} {names[0]:7.3f} s  {names[1]:7.3f} s  {names[2]:7.1f} MB"
        )
        for label, trunk in (
            ("vending list, working tree", str(base / "trunk")),
            ("vending list, bare repository by path", str(remote)),
            ("vending list, file:// URL", f"file://{remote}"),
        ):
            seconds, cpu, rss = best([*CLI, "list", "--trunk", trunk, "--output", "json"])
            verdict = "ok" if seconds <= 1.0 else "MISSED"
            ratios = f"x{seconds / log[0]:.1f} git log, x{seconds / names[0]:.2f} --name-only (wall)"
            print(f"{label:<44} {seconds:7.3f} s  {cpu:7.3f} s  {rss:7.1f} MB  {ratios}  target <= 1 s: {verdict}")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

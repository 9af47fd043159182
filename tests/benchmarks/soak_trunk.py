"""Soak the trunk: many writers submitting at once to one bare remote whose pre-receive hook rejects a share of
the pushes, some writers killed with SIGKILL mid-run and their batch run again. Prints whether every request
landed exactly once (commits per name, read from the ``Vending-Request`` trailers), the distribution of push
attempts per run, how many runs gave up (exit 5), the wall time, and whether ``vending check`` is clean.

Run: python tests/benchmarks/soak_trunk.py [--writers 20] [--requests 50] [--batch 5] [--reject 0.2]
                                          [--kills 10] [--seed 1] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CLI = [sys.executable, "-m", "vending"]
IDENTITY = "@example/platform-dev"
EA = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
ENV = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "TF_BUILD", "TF_BUILD_ID")}
REJECTING_HOOK = """#!{python}
import random, sys
sys.exit(1 if random.random() < {rate} else 0)
"""


@dataclass
class Tally:
    """What the writers saw, shared between their threads (under ``lock``)."""

    attempts: list[int] = field(default_factory=list)
    codes: Counter[int] = field(default_factory=Counter)
    kills: int = 0
    reruns: int = 0
    running: dict[int, subprocess.Popen[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def request(name: str, index: int) -> dict[str, object]:
    return {
        "interfaceVersion": "0.1.0",
        "name": name,
        "displayName": f"Soak {name}",
        "environment": "dev",
        "billingScope": EA,
        "managementGroup": "mg-corp-dev",
        "location": "westeurope",
        "owners": [{"principalId": "11111111-1111-1111-1111-111111111111", "principalType": "Group"}],
        "requestedBy": "soak@example.com",
        "network": {"addressSpace": [f"10.{100 + index // 256}.{index % 256}.0/24"], "hubPeering": False},
    }


def make_remote(base: Path, rate: float) -> Path:
    subprocess.run([*CLI, "init", str(base / "src")], check=True, capture_output=True, env=ENV)
    remote = base / "remote.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(base / "src"), str(remote)], check=True)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(REJECTING_HOOK.format(python=sys.executable, rate=rate))
    hook.chmod(0o755)
    return remote


def write_batches(base: Path, writers: int, per_writer: int, batch: int) -> list[list[list[Path]]]:
    """For each writer, its requests cut into the batches one process submits."""
    plan = []
    for w in range(writers):
        paths = []
        for r in range(per_writer):
            name, index = f"soak-{w}-{r}", w * per_writer + r
            path = base / "requests" / f"w{w}" / f"{name}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(request(name, index), sort_keys=False))
            paths.append(path)
        plan.append([paths[i : i + batch] for i in range(0, len(paths), batch)])
    return plan


def run_batch(remote: Path, paths: list[Path], tally: Tally) -> None:
    """Submit one batch until a run finishes (a killed run is run again, as a pipeline's retry would)."""
    argv = [*CLI, "--output", "json", "submit", *map(str, paths), "--trunk", str(remote), "--as", IDENTITY]
    while True:
        process = subprocess.Popen([*argv, "--skip-azure-checks"], stdout=subprocess.PIPE, text=True, env=ENV)
        with tally.lock:
            tally.running[process.pid] = process
        stdout, _ = process.communicate()
        with tally.lock:
            tally.running.pop(process.pid, None)
            tally.codes[process.returncode] += 1
            if process.returncode == 0 or process.returncode == 5:
                tally.attempts.append(int(json.loads(stdout)["attempts"]))
            if process.returncode == 0:
                return
            tally.reruns += 1


def killer(tally: Tally, kills: int, done: threading.Event, rng: random.Random) -> None:
    while tally.kills < kills and not done.wait(rng.uniform(0.5, 3.0)):
        with tally.lock:
            if not tally.running:
                continue
            victim = rng.choice(list(tally.running.values()))
            tally.kills += 1
        victim.send_signal(signal.SIGKILL)


def landed_per_name(remote: Path) -> Counter[str]:
    log = subprocess.run(
        ["git", "log", "--format=%(trailers:key=Vending-Request,valueonly)", "main"],
        cwd=remote,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return Counter(line.strip() for line in log.splitlines() if line.strip())


def percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def soak(args: argparse.Namespace, base: Path) -> bool:
    remote = make_remote(base, args.reject)
    plan = write_batches(base, args.writers, args.requests, args.batch)
    tally, done = Tally(), threading.Event()
    started = time.monotonic()
    kill_thread = threading.Thread(target=killer, args=(tally, args.kills, done, random.Random(args.seed)))
    kill_thread.start()
    threads = [
        threading.Thread(target=lambda batches=batches: [run_batch(remote, b, tally) for b in batches])
        for batches in plan
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    kill_thread.join()
    wall = time.monotonic() - started
    wanted = {f"soak-{w}-{r}" for w in range(args.writers) for r in range(args.requests)}
    landed = landed_per_name(remote)
    exactly_once = sum(1 for name in wanted if landed[name] == 1)
    check = subprocess.run([*CLI, "check", "--trunk", str(remote)], capture_output=True, text=True, env=ENV)
    shape = f"{args.writers} x {args.requests} (batches of {args.batch})"
    print(f"writers x requests: {shape}, pushes rejected: {args.reject:.0%}")
    print(f"runs: {sum(tally.codes.values())}, exit codes: {dict(sorted(tally.codes.items()))}")
    print(f"kill -9: {tally.kills}, batches run again: {tally.reruns}")
    print(
        f"landed exactly once: {exactly_once}/{len(wanted)}; duplicated: {sum(1 for n in landed if landed[n] > 1)}; "
        f"missing: {len(wanted - set(landed))}; unexpected: {len(set(landed) - wanted)}"
    )
    a = tally.attempts
    print(f"attempts per finished run: median {statistics.median(a)}, p99 {percentile(a, 0.99)}, max {max(a)}")
    print(f"attempts histogram: {dict(sorted(Counter(a).items()))}")
    print(f"wall time: {wall:.1f} s")
    print(f"vending check: exit {check.returncode}")
    return exactly_once == len(wanted) and len(landed) == len(wanted) and check.returncode == 0 and 5 not in tally.codes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="requests per writer")
    parser.add_argument("--batch", type=int, default=5, help="requests per submit process")
    parser.add_argument("--reject", type=float, default=0.2, help="share of pushes the remote rejects")
    parser.add_argument("--kills", type=int, default=10, help="submit processes killed with SIGKILL")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="vending-soak-"))
    try:
        ok = soak(args, base)
    finally:
        if args.keep:
            print(f"kept: {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

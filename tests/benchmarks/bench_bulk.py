"""Print bulk figures: one submit of M requests with networks into trunks of N subscriptions (rate, and the
rate at the largest N against the smallest), with the peak memory of the whole process tree.

Run: python tests/benchmarks/bench_bulk.py [--sizes 100,1000,10000] [--batch 1000] [--before SRC] [--reps 1]

Each trunk is made by ``vending init`` and seeded, in one ``git fast-import``, with the layout files of N dev
subscriptions (facts, kustomization, shards, network blocks), each with its own /24 handed out in order from
10.0.0.0/8 (a vend reads nothing else of the others). The batch's requests take /24s from 10.200.0.0 on.
With ``--before SRC`` (a checkout of an older version of the source), each run is repeated with that version
on the same trunk, alternating, so that both figures come from the same machine state.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml
from bench_trunk import CLI, ENV, IDENTITY, _sample_peaks, git, request_data

from vending.render.trunkfiles import layout_files, subscription_layout_files
from vending.trunk.config import load_config
from vending.trunk.state import Entry
from vending.version import INTERFACE_VERSION

EA = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
FIRST_NEW = 200 * 256


def cidr(index: int) -> str:
    return f"10.{index // 256}.{index % 256}.0/24"


def seeded_remote(base: Path, count: int) -> Path:
    """A bare trunk holding ``vending init``'s files and the layout of ``count`` subscriptions, one commit."""
    source = base / f"init-{count}"
    done = subprocess.run([*CLI, "init", str(source)], capture_output=True, text=True, env=ENV, check=False)
    assert done.returncode == 0, done.stderr
    config = load_config(source)
    entries = [Entry(f"sub-{i:05d}", "dev", "DevTest", EA, None, (cidr(i),), "cancel") for i in range(count)]
    files = {
        str(path.relative_to(source)): path.read_text(encoding="utf-8")
        for path in source.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(source).parts
    }
    files.update(layout_files(config, entries, INTERFACE_VERSION))
    for entry in entries:
        files.update(subscription_layout_files(config, entry, INTERFACE_VERSION))
    remote = base / f"remote-{count}.git"
    git(base, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    stream = bytearray(b"commit refs/heads/main\ncommitter bench <bench@example.com> 0 +0000\ndata 5\nseed\n")
    for path, text in sorted(files.items()):
        data = text.encode()
        stream += f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], input=bytes(stream), cwd=remote, check=True)
    return remote


def write_batch(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for offset in range(count):
        index = FIRST_NEW + offset
        data = request_data(f"new-{offset:05d}", index)
        data["network"] = {"addressSpace": [cidr(index)], "hubPeering": False}
        path = folder / f"new-{offset:05d}.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        paths.append(path)
    return paths


def one_run(remote: Path, start: str, requests: list[Path], source: str | None) -> tuple[float, dict[str, int]]:
    """Seconds and peak memory of one bulk submit, the trunk reset to ``start`` first."""
    git(remote, "update-ref", "refs/heads/main", start)
    env = dict(ENV, PYTHONPATH=source) if source else ENV
    command = [*CLI, "--output", "json", "submit", *map(str, requests), "--trunk", str(remote), "--as", IDENTITY]
    began = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--skip-azure-checks"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    peaks = {"vending": 0, "git": 0, "summed": 0}
    sampler = threading.Thread(target=_sample_peaks, args=(process, peaks), daemon=True)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - began
    sampler.join()
    assert process.returncode == 0, err[-2000:]
    landed = int(git(remote, "rev-list", "--count", f"{start}..main"))
    assert landed == len(requests), f"{landed} of {len(requests)} landed"
    return seconds, peaks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--before", default=None, help="source tree of the version to compare with")
    parser.add_argument("--reps", type=int, default=1)
    args = parser.parse_args()
    versions = {"now": None} if args.before is None else {"before": os.path.abspath(args.before), "now": None}
    rates: dict[str, dict[int, float]] = {version: {} for version in versions}
    with tempfile.TemporaryDirectory(prefix="bench-bulk-") as tmp:
        base = Path(tmp)
        requests = write_batch(base / "requests", args.batch)
        for size in (int(s) for s in args.sizes.split(",")):
            started = time.perf_counter()
            remote = seeded_remote(base, size)
            print(f"trunk of {size} subscriptions seeded in {time.perf_counter() - started:.1f} s")
            start = git(remote, "rev-parse", "main").strip()
            runs: dict[str, list[float]] = {version: [] for version in versions}
            for _ in range(args.reps):
                for version, source in versions.items():
                    seconds, peaks = one_run(remote, start, requests, source)
                    runs[version].append(seconds)
                    print(
                        f"  {version:>6}: {args.batch} requests in {seconds:.1f} s = {args.batch / seconds:.0f}/s; "
                        f"peak RSS vending {peaks['vending'] / 1024:.0f} MB, largest git {peaks['git'] / 1024:.0f} "
                        f"MB, summed PSS {peaks['summed'] / 1024:.0f} MB"
                    )
            for version in versions:
                rates[version][size] = args.batch / statistics.median(runs[version])
    for version, by_size in rates.items():
        small, large = min(by_size), max(by_size)
        print(
            f"{version}: "
            + ", ".join(f"{rate:.0f}/s at {size}" for size, rate in by_size.items())
            + f"; rate at {large} / rate at {small} = {by_size[large] / by_size[small]:.2f} (target >= 0.8; "
            "target >= 200/s at 10,000)"
        )


if __name__ == "__main__":
    sys.exit(main())

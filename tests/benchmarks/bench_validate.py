"""Print ``vending validate --trunk`` figures against a trunk holding 10,000 subscriptions.

Run: python tests/benchmarks/bench_validate.py [--profile] [--remote [--before DIR]]

``--remote`` instead gives each of the 10,000 subscriptions its directory of three files (as a real trunk
has) and compares ``validate --trunk`` of one request against the working tree, its bare clone by path and
by ``file://`` URL; ``--before DIR`` runs the same commands with the package in DIR (for instance an
exported older commit) first on the path, so both versions are measured in one run.

The trunk is made by ``vending init``; its two environments (dev, prod) then get the facts of 5,000
subscriptions each, every one with its own /24 in 10.0.0.0/8 (validation reads only facts and shards).
Requests use /24s of their own, so every request is valid and is checked against the ranges of its block.
Each figure is the best of a few runs, wall time; memory is the peak RSS of the child process (os.wait4) or, in-process,
the peak of Python allocations (tracemalloc, in a separate run so that tracing does not slow the timed one).
Targets: 1 request < 1 s, 1,000 requests < 5 s, memory < 300 MB.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from vending.cli.main import main as vending_main

SUBSCRIPTIONS = 10_000
RUNS = 3
BUDGET = {"amount": 100, "timeGrain": "Monthly", "thresholds": [80], "contactEmails": ["finops@contoso.com"]}
EA = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
OWNER = {"principalId": "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b", "principalType": "Group"}
CLI = [sys.executable, "-m", "vending"]
TESTS = Path(__file__).resolve().parents[1]


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
        check=True,
        capture_output=True,
    )


def cidr(index: int, base: int = 0) -> str:
    number = base + index
    return f"10.{number // 256}.{number % 256}.0/24"


def build_trunk(root: Path) -> Path:
    from vending.render.trunkfiles import layout_files
    from vending.trunk.config import load_config
    from vending.trunk.state import Entry
    from vending.version import INTERFACE_VERSION

    trunk = root / "trunk"
    subprocess.run([*CLI, "init", str(trunk)], check=True, capture_output=True)
    config = load_config(trunk)
    entries = [
        Entry(f"sub-{offset + i:05d}", env, workload, EA, None, (cidr(offset + i),), "retain")
        for env, workload, offset in (("dev", "DevTest", 0), ("prod", "Production", SUBSCRIPTIONS // 2))
        for i in range(SUBSCRIPTIONS // 2)
    ]
    files = layout_files(config, entries, INTERFACE_VERSION)
    files.update({f"{config.environments[e.environment].path}/{e.name}/facts.json": e.facts_text() for e in entries})
    for path, text in files.items():
        (trunk / path).parent.mkdir(parents=True, exist_ok=True)
        (trunk / path).write_text(text, encoding="utf-8")
    git(trunk, "add", "-A")
    git(trunk, "commit", "-qm", "10,000 subscriptions")
    return trunk


def write_requests(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        env = "prod" if i % 2 else "dev"
        data: dict[str, Any] = {
            "interfaceVersion": "0.1.0",
            "name": f"req-{i:04d}",
            "displayName": f"Request {i}",
            "environment": env,
            "billingScope": EA,
            "managementGroup": f"mg-corp-{env}",
            "location": "westeurope",
            "owners": [OWNER],
            "requestedBy": "alice@contoso.com",
            "tags": {"costCenter": str(4000 + i)},
            "network": {"addressSpace": [cidr(i, 50_000)]},
        }
        if env == "prod":
            data["budget"] = BUDGET
        path = folder / f"req-{i:04d}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        paths.append(str(path))
    return paths


def run_child(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one child process."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(args, stdout=sink, stderr=sink)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, process.returncode


def _call_main(args: list[str]) -> int:
    from testing.cli import run_cli

    return run_cli(*args).code


def run_in_process(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds (untraced run), peak traced MB (a second, traced run) and exit code of ``main(args)``."""
    start = time.perf_counter()
    code = _call_main(args)
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    _call_main(args)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return elapsed, peak, code


def best_of(measure: Callable[[list[str]], tuple[float, float, int]], args: list[str]) -> tuple[float, float]:
    runs = [measure(args) for _ in range(RUNS)]
    codes = {code for _, _, code in runs}
    assert codes == {0}, f"validate exited {codes}"
    return min(r[0] for r in runs), max(r[1] for r in runs)


def report(label: str, seconds: float, megabytes: float, target: float, unit: str) -> None:
    verdict = "ok" if seconds < target and megabytes < 300 else "MISSED"
    print(f"{label:<48} {seconds:7.3f} s  {megabytes:7.1f} MB {unit:<10} target < {target:g} s: {verdict}")


def fail_fast_figures(folder: Path) -> None:
    """How quickly hostile files are refused (in-process, the loader alone)."""
    from vending.request.load import load_request

    bomb = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    cases = {
        "billion laughs (9^10 values)": "\n".join(bomb) + "\n",
        "nesting 5,000 deep": "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "1 MiB of small values": "a: [" + "1, " * 349_000 + "]\n",
        "1 MiB + 1 byte": "#" * (1024 * 1024) + "\n",
    }
    for label, text in cases.items():
        path = folder / "hostile.yaml"
        path.write_text(text)
        start = time.perf_counter()
        loaded = load_request(path)
        elapsed = time.perf_counter() - start
        tracemalloc.start()
        load_request(path)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        message = loaded.findings[0].message[:60] if loaded.findings else "accepted"
        print(f"  {label:<32} {elapsed:6.3f} s {peak:6.1f} MB  {message}")


def profile(args: list[str]) -> None:
    profiler = cProfile.Profile()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        profiler.enable()
        with contextlib.suppress(SystemExit):
            vending_main(args)
        profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)


SUBSCRIPTION_FILES = {
    "main.tf": "# generated by vending\n" + "".join(f'  argument_{i} = "value {i}"\n' for i in range(40)),
    "request.yaml": "".join(f"key{i}: value {i}\n" for i in range(25)),
    "terraform.yaml": "".join(f"  field{i}: value {i}\n" for i in range(60)),
}


def give_directories(trunk: Path) -> Path:
    """Every subscription with facts gets the three files of its render; returns a packed bare clone."""
    for env in ("dev", "prod"):
        for facts in sorted((trunk / "subscriptions" / env).glob("*/facts.json")):
            directory, name = facts.parent, facts.parent.name
            for file, text in SUBSCRIPTION_FILES.items():
                (directory / file).write_text(f"# {name}\n{text}")
    git(trunk, "add", "-A")
    git(trunk, "commit", "-qm", "subscription directories")
    bare = trunk.parent / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(trunk), str(bare)], check=True)
    subprocess.run(["git", "-C", str(bare), "repack", "-adq"], check=True)  # packed, as a served remote is
    return bare


def remote_versus_tree(root: Path, trunk: Path, before: str | None) -> None:
    bare = give_directories(trunk)
    one = write_requests(root / "one-remote", 1)
    # ``python -m`` imports from its working directory first: each version runs in its own package's.
    versions = {"now": (dict(os.environ), TESTS.parent)}
    if before:
        versions = {"before": ({**os.environ, "PYTHONPATH": before}, Path(before)), **versions}
    locations = {"working tree": str(trunk), "bare path": str(bare), "file:// URL": bare.as_uri()}
    for version, (env, cwd) in versions.items():
        figures = {}
        for label, location in locations.items():
            runs = [run_child_env([*CLI, "validate", *one, "--trunk", location], env, cwd) for _ in range(RUNS)]
            assert {code for _, _, code in runs} == {0}, f"validate exited {runs}"
            figures[label] = (min(r[0] for r in runs), max(r[1] for r in runs))
        tree = figures["working tree"][0]
        for label, (seconds, rss) in figures.items():
            ratio = seconds / tree
            print(f"{version:<7} validate 1 request, {label:<14} {seconds:7.3f} s {rss:7.1f} MB  {ratio:5.2f}x tree")


def run_child_env(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(args, stdout=sink, stderr=sink, env=env, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    sys.path.insert(0, str(TESTS))
    if "--remote" in sys.argv:
        before = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else None
        with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
            remote_versus_tree(Path(tmp), build_trunk(Path(tmp)), before)
        return  # the tests' toolkit (``testing``), found as pytest finds it
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        trunk = build_trunk(root)
        facts_mb = sum(p.stat().st_size for p in trunk.glob("subscriptions/*/*/facts.json")) / 1e6
        print(
            f"trunk with {SUBSCRIPTIONS} subscriptions ({facts_mb:.1f} MB of facts) built in "
            f"{time.perf_counter() - start:.1f} s"
        )
        one = write_requests(root / "one", 1)
        many = write_requests(root / "many", 1000)
        seconds, rss = best_of(run_child, [*CLI, "--version"])
        report("subprocess: vending --version (startup)", seconds, rss, 1, "peak RSS")
        for label, paths, target in (("1 request", one, 1.0), ("1,000 requests", many, 5.0)):
            args = ["validate", *paths, "--trunk", str(trunk)]
            seconds, rss = best_of(run_child, [*CLI, *args])
            report(f"subprocess: validate {label}", seconds, rss, target, "peak RSS")
            seconds, traced = best_of(run_in_process, args)
            report(f"in-process: validate {label}", seconds, traced, target, "traced")
        seconds, rss = best_of(run_child, [*CLI, "validate", *one, "--trunk", trunk.as_uri()])
        report("subprocess: validate 1 request, trunk by file:// URL", seconds, rss, 1, "peak RSS")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"benchmark process peak RSS: {own:.1f} MB")
        print("hostile files, refused by the loader:")
        fail_fast_figures(root)
        if "--profile" in sys.argv:
            profile(["validate", *many, "--trunk", str(trunk)])


if __name__ == "__main__":
    main()

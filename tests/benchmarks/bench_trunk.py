"""Print trunk figures: one submit into a 5,000-subscription trunk against a plain git script, 1,000 requests
in one submit, 8 concurrent submitters x 25 requests, and ``check`` over 10,000 subscriptions.

Run: python tests/benchmarks/bench_trunk.py [--quick] [--batch N] [--trunk-size N] [one] [batch] [concurrent] [check]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from vending.render.subscription import render_subscription
from vending.render.trunkfiles import layout_files, subscription_layout_files
from vending.request.model import Request
from vending.trunk.config import load_config
from vending.trunk.ledger import TreeView, layout_changes
from vending.trunk.state import Entry
from vending.version import INTERFACE_VERSION

CLI = [sys.executable, "-m", "vending"]
IDENTITY = "@example/platform-dev"
EA = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"
ENV = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "TF_BUILD")}


def request_data(name: str, index: int) -> dict[str, Any]:
    return {
        "interfaceVersion": "0.1.0",
        "name": name,
        "displayName": f"Subscription {index}",
        "environment": "dev",
        "billingScope": EA,
        "managementGroup": "mg-corp-dev",
        "location": "westeurope",
        "owners": [{"principalId": "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b", "principalType": "Group"}],
        "requestedBy": "alice@contoso.com",
        "tags": {"costCenter": str(1000 + index)},
        "network": {"addressSpace": [f"10.{index // 256}.{index % 256}.0/24"], "hubPeering": False},
    }


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def vending(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *(str(a) for a in args)], capture_output=True, text=True, check=False, env=env or ENV)


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def entry_of(request: Request) -> Entry:
    space = tuple(request.network.address_space) if request.network else ()
    return Entry(request.name, "dev", "DevTest", request.billing_scope, None, space, "cancel")


def make_trunk(base: Path, count: int) -> tuple[Path, Path]:
    """A trunk holding ``count`` rendered dev subscriptions in one commit: (bare remote, working tree)."""
    source = base / "src"
    subprocess.run([*CLI, "init", str(source)], check=True, capture_output=True)
    config = load_config(source)
    entries: dict[str, Entry] = {}
    for index in range(count):
        request = Request.model_validate(request_data(f"sub-{index:05d}", index))
        write_files(source, render_subscription(request, config, INTERFACE_VERSION).files)
        entries[request.name] = entry_of(request)
        write_files(source, subscription_layout_files(config, entries[request.name], INTERFACE_VERSION))
    write_files(source, layout_files(config, entries.values(), INTERFACE_VERSION))
    git(source, "add", "-A")
    git(source, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "fleet")
    remote = base / "remote.git"
    git(base, "clone", "-q", "--bare", str(source), str(remote))
    return remote, source


def new_request_files(source: Path, data: dict[str, Any]) -> dict[str, str]:
    """What one more request changes in the trunk: its directory, its shard and its network blocks."""
    config = load_config(source)
    request = Request.model_validate(data)
    files = dict(render_subscription(request, config, INTERFACE_VERSION).files)
    changes = layout_changes(TreeView(source), config, None, entry_of(request), INTERFACE_VERSION)
    files.update({path: text for path, text in changes.items() if text is not None})
    return files


PLAIN_SCRIPT = """set -e
git clone -q --depth 1 --branch main --single-branch "$1" "$2"
cp -R "$3"/. "$2"/
cd "$2"
git add -A
git -c user.name=bench -c user.email=bench@example.com commit -q -m "Vend $4"
git push -q origin HEAD:refs/heads/main
"""
SPARSE_SCRIPT = """set -e
git clone -q --depth 1 --no-checkout --branch main --single-branch --filter=blob:none \\
  --upload-pack "git -c uploadpack.allowFilter=true upload-pack" "file://$1" "$2"
cd "$2"
git config remote.origin.uploadpack "git -c uploadpack.allowFilter=true upload-pack"
git sparse-checkout set --cone "subscriptions/dev/$4" $5
git checkout -q main
cp -R "$3"/. .
git add -A
git -c user.name=bench -c user.email=bench@example.com commit -q -m "Vend $4"
git push -q origin HEAD:refs/heads/main
"""


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env or ENV)
    return time.perf_counter() - start, done


def one_request_vs_plain_git(base: Path, count: int, repetitions: int) -> None:
    remote, source = make_trunk(base, count)
    start = git(remote, "rev-parse", "main").strip()
    data = request_data("bench-new", 60000)
    data["network"] = {"addressSpace": ["10.250.0.0/24"], "hubPeering": False}
    request = base / "bench-new.yaml"
    request.write_text(yaml.safe_dump(data))
    staged = base / "prerendered"
    write_files(staged, new_request_files(source, data))
    scripts = {"plain": base / "plain.sh", "sparse": base / "sparse.sh"}
    scripts["plain"].write_text(PLAIN_SCRIPT)
    scripts["sparse"].write_text(SPARSE_SCRIPT)
    shards = " ".join(sorted({str(Path(p).parent) for p in new_request_files(source, data) if "/_" in p}))
    times: dict[str, list[float]] = {"vending": [], "plain": [], "sparse": []}
    kinds = list(times)
    for rep in range(repetitions):
        for kind in kinds[rep % 3 :] + kinds[: rep % 3]:
            git(remote, "update-ref", "refs/heads/main", start)
            work = Path(tempfile.mkdtemp(prefix="bench-plain-", dir=base))
            if kind == "vending":
                command = [
                    *CLI,
                    "submit",
                    str(request),
                    "--trunk",
                    f"file://{remote}",
                    "--as",
                    IDENTITY,
                    "--skip-azure-checks",
                ]
            else:
                command = ["sh", str(scripts[kind]), str(remote), str(work / "t"), str(staged), "bench-new", shards]
            seconds, done = timed(command)
            assert done.returncode == 0, done.stderr
            times[kind].append(seconds)
            shutil.rmtree(work, ignore_errors=True)
    median = {kind: statistics.median(values) for kind, values in times.items()}
    print(f"[1] one request into a {count}-subscription trunk, fresh clone, median of {repetitions}:")
    print(
        f"    vending submit {median['vending']:.2f} s   plain git script {median['plain']:.2f} s   ratio "
        f"{median['vending'] / median['plain']:.2f} (target <= 1.5)"
    )
    print(
        f"    partial sparse-clone script (file:// URL, --filter=blob:none, cone of the request's folder, shard "
        f"and network block): {median['sparse']:.2f} s, ratio {median['vending'] / median['sparse']:.2f} "
        "(target <= 1.5; vending also given the file:// URL)"
    )
    for kind, values in times.items():
        print(f"    all {kind} runs: {', '.join(f'{v:.2f}' for v in values)}")


def write_requests(directory: Path, names: Iterable[tuple[str, int]]) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, index in names:
        path = directory / f"{name}.yaml"
        path.write_text(yaml.safe_dump(request_data(name, index)))
        paths.append(path)
    return paths


def fresh_trunk(base: Path) -> Path:
    source = base / "src"
    subprocess.run([*CLI, "init", str(source)], check=True, capture_output=True)
    git(base, "clone", "-q", "--bare", str(source), str(base / "remote.git"))
    return base / "remote.git"


def batch_throughput(base: Path, count: int) -> None:
    remote = fresh_trunk(base)
    requests = write_requests(base / "requests", ((f"batch-{i:04d}", i) for i in range(count)))
    command = [*CLI, "--output", "json", "submit", *map(str, requests), "--trunk", str(remote), "--as", IDENTITY]
    start = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--skip-azure-checks"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV
    )
    peaks = {"vending": 0, "git": 0, "summed": 0}
    sampler = threading.Thread(target=_sample_peaks, args=(process, peaks), daemon=True)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    assert process.returncode == 0, err[-2000:]
    landed = int(git(remote, "rev-list", "--count", "main")) - 1
    print(
        f"[2] {count} requests in one submit: {seconds:.1f} s, {count / seconds:.1f} requests/s "
        f"(target >= 50), {landed} commits landed"
    )
    print(
        f"    peak RSS (sampled from /proc every 50 ms): vending process {peaks['vending'] / 1024:.0f} MB, "
        f"largest git child {peaks['git'] / 1024:.0f} MB, summed over the tree {peaks['summed'] / 1024:.0f} MB "
        "(target <= 300 MB)"
    )


def _sample_peaks(process: subprocess.Popen[bytes], peaks: dict[str, int]) -> None:
    """Peak resident sizes: the vending process's own high-water mark (VmHWM), the largest git child seen,
    and the summed proportional size of the whole tree."""
    while process.poll() is None:
        peaks["vending"] = max(peaks["vending"], _status_kib(process.pid, "VmHWM:"))
        peaks["summed"] = max(peaks["summed"], tree_rss_kib(process.pid))
        for child in Path(f"/proc/{process.pid}/task").glob("*/children"):
            for pid in child.read_text().split():
                peaks["git"] = max(peaks["git"], _status_kib(int(pid), "VmRSS:"))
        time.sleep(0.05)


def _status_kib(pid: int, field: str) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith(field)), 0)


def concurrent_submitters(base: Path, processes: int, per_process: int) -> None:
    remote = fresh_trunk(base)
    batches = [
        write_requests(base / f"p{p}", ((f"c{p}-{r:03d}", p * per_process + r) for r in range(per_process)))
        for p in range(processes)
    ]
    start = time.perf_counter()
    running = [
        subprocess.Popen(
            [
                *CLI,
                "--output",
                "json",
                "submit",
                *map(str, batch),
                "--trunk",
                str(remote),
                "--as",
                IDENTITY,
                "--skip-azure-checks",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for batch in batches
    ]
    outputs = [process.communicate() for process in running]
    seconds = time.perf_counter() - start
    codes = [process.returncode for process in running]
    attempts = [json.loads(out)["attempts"] if out else None for out, _ in outputs]
    landed = int(git(remote, "rev-list", "--count", "main")) - 1
    merges = git(remote, "rev-list", "--merges", "main").split()
    print(
        f"[3] {processes} concurrent submitters x {per_process}: {landed}/{processes * per_process} landed in "
        f"{seconds:.1f} s; exit codes {codes}; attempts per process {attempts} "
        f"(retries {sum(a - 1 for a in attempts if a)}); merges {len(merges)}"
    )


def tree_rss_kib(root_pid: int) -> int:
    """Summed proportional set size (shared pages split among their sharers) of a process and all its
    descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            rollup = (entry / "smaps_rollup").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        rss[int(entry.name)] = next(
            (int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0
        )
    family, frontier = {root_pid}, [root_pid]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in family]
        family.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in family)


MEASURED = """import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stderr.strip()[-200:])
"""


def check_fleet(base: Path, count: int) -> None:
    started = time.perf_counter()
    _, source = make_trunk(base, count)
    print(f"[4] generated a {count}-subscription trunk in {time.perf_counter() - started:.1f} s")
    peak = [0]
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", MEASURED, *CLI, "check", "--trunk", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    sampler = threading.Thread(target=_sample, args=(process, peak), daemon=True)
    sampler.start()
    out, _ = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    code, largest, tail = out.split(" ", 2)
    print(
        f"    check over {count} subscriptions: {seconds:.1f} s (target <= 15 s), exit {code} "
        f"({tail.strip().splitlines()[-1] if tail.strip() else ''})"
    )
    print(
        f"    peak RSS of the largest single process (getrusage RUSAGE_CHILDREN; pool workers included as "
        f"descendants): {int(largest) / 1024:.0f} MB (target <= 300 MB)"
    )
    print(
        f"    peak summed PSS of check and its process-pool workers (sampled from /proc): {peak[0] / 1024:.0f} MB "
        "(target <= 300 MB)"
    )


def _sample(process: subprocess.Popen[str], peak: list[int]) -> None:
    while process.poll() is None:
        peak[0] = max(peak[0], tree_rss_kib(process.pid))
        time.sleep(0.05)


def _steps(sizes: dict[str, int]) -> dict[str, Callable[[Path], None]]:
    def one(base: Path) -> None:
        one_request_vs_plain_git(base, sizes["trunk"], sizes["reps"])

    def batch(base: Path) -> None:
        batch_throughput(base, sizes["batch"])

    def concurrent(base: Path) -> None:
        concurrent_submitters(base, sizes["procs"], sizes["per"])

    def check(base: Path) -> None:
        check_fleet(base, sizes["check"])

    return {"one": one, "batch": batch, "concurrent": concurrent, "check": check}


def main() -> None:
    """Every step, or only those named on the command line (one, batch, concurrent, check)."""
    quick = "--quick" in sys.argv
    sizes = (
        {"trunk": 500, "reps": 3, "batch": 100, "procs": 4, "per": 5, "check": 1000}
        if quick
        else {"trunk": 5000, "reps": 5, "batch": 1000, "procs": 8, "per": 25, "check": 10000}
    )
    if "--trunk-size" in sys.argv:
        sizes["trunk"] = int(sys.argv[sys.argv.index("--trunk-size") + 1])
    if "--batch" in sys.argv:
        sizes["batch"] = int(sys.argv[sys.argv.index("--batch") + 1])
    wanted = [arg for arg in sys.argv[1:] if not arg.startswith("--") and not arg.isdigit()]
    with tempfile.TemporaryDirectory(prefix="bench-trunk-") as tmp:
        for name, step in _steps(sizes).items():
            if wanted and name not in wanted:
                continue
            (Path(tmp) / name).mkdir()
            step(Path(tmp) / name)


if __name__ == "__main__":
    main()

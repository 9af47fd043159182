"""Print ``vending diff --markdown`` figures: 1,000 requests against a trunk of 10,000 subscriptions.

Run: python tests/benchmarks/bench_fleet_diff.py

The trunk is bench_validate's (``vending init``, then the facts, shards and network blocks of 5,000
subscriptions in each of dev and prod), committed once and published as a packed bare repository; the
1,000 requests are bench_validate's too (new names, half of them prod with a budget, each with a /24 of its
own), so every request is a create that renders and is laid over the batch. Measured in one run, each the
best of three child processes: the diff against the working tree and against the bare repository by path
(a sparse, partial clone of what the requests read), and ``git log`` / ``git log --name-only`` over the same
history, for the ratio. Target: diff --markdown of 1,000 requests <= 5 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

from bench_validate import CLI, build_trunk, run_child, write_requests  # noqa: E402

REQUESTS = 1_000
RUNS = 3
TARGET = 5.0


def best(args: list[str]) -> tuple[float, float]:
    runs = [run_child(args) for _ in range(RUNS)]
    codes = {code for _, _, code in runs}
    assert codes == {0}, f"{args[:4]} exited {codes}"
    return min(r[0] for r in runs), max(r[1] for r in runs)


def git_seconds(repo: Path, *args: str) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    return min(timings)


def publish(trunk: Path) -> Path:
    bare = trunk.parent / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(trunk), str(bare)], check=True)
    subprocess.run(["git", "-C", str(bare), "repack", "-adq"], check=True)
    return bare


def comment_length(requests: list[str], trunk: Path) -> int:
    done = subprocess.run([*CLI, "diff", *requests, "--trunk", str(trunk), "--markdown"], capture_output=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return len(done.stdout.decode("utf-8"))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        root = Path(tmp)
        trunk = build_trunk(root)
        bare = publish(trunk)
        requests = write_requests(root / "requests", REQUESTS)
        log = git_seconds(bare, "log")
        log_names = git_seconds(bare, "log", "--name-only")
        commits = subprocess.run(["git", "-C", str(bare), "rev-list", "--count", "HEAD"], capture_output=True)
        print(f"trunk: 10,000 subscriptions, {int(commits.stdout)} commit(s); {REQUESTS} requests (creates)")
        print(f"git log                 {log:7.3f} s")
        print(f"git log --name-only     {log_names:7.3f} s")
        for label, location in (("working tree", trunk), ("bare path", bare)):
            seconds, rss = best([*CLI, "diff", *requests, "--trunk", str(location), "--markdown"])
            verdict = "ok" if seconds <= TARGET else "MISSED"
            print(
                f"diff --markdown, {label:<13} {seconds:7.3f} s {rss:7.1f} MB  "
                f"{seconds / log:8.0f}x git log  {seconds / log_names:6.0f}x git log --name-only  "
                f"target <= {TARGET:g} s: {verdict}"
            )
        print(f"comment: {comment_length(requests, trunk):,} characters (limit 60,000)")


if __name__ == "__main__":
    main()

"""Print the start-up time of ``vending --version`` and ``vending validate --help`` as a ratio of
``python -c "import click"``, measured side by side (the runs are interleaved, so a busy machine
slows all of them alike). Targets: ``--version`` at most 2.5x, ``validate --help`` at most 3x.

Run: python tests/benchmarks/bench_startup.py [--runs N] [--module]
(``--module`` runs ``python -m vending`` instead of the ``vending`` console script.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGETS = {"vending --version": 2.5, "vending validate --help": 3.0}


def vending_command(*, module: bool) -> list[str]:
    """The console script installed beside this interpreter, else ``python -m vending``."""
    script = Path(sys.executable).parent / "vending"
    if not module and script.is_file():
        return [str(script)]
    found = shutil.which("vending")
    if not module and found:
        return [found]
    return [sys.executable, "-m", "vending"]


def commands(*, module: bool) -> dict[str, list[str]]:
    vending = vending_command(module=module)
    return {
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "vending --version": [*vending, "--version"],
        "vending validate --help": [*vending, "validate", "--help"],
    }


def run_once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def measure(table: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall seconds of each command over ``runs`` interleaved rounds (after one warm-up round)."""
    env = {**os.environ, "COLUMNS": "100"}
    times: dict[str, list[float]] = {label: [] for label in table}
    for round_number in range(runs + 1):
        for label, command in table.items():
            elapsed = run_once(command, env)
            if round_number:
                times[label].append(elapsed)
    return {label: statistics.median(values) for label, values in times.items()}


def report(medians: dict[str, float]) -> bool:
    baseline_label, *_ = medians
    baseline = medians[baseline_label]
    print(f"  {baseline_label:<28} {baseline * 1000:7.1f} ms  (baseline)")
    met = True
    for label, seconds in list(medians.items())[1:]:
        ratio = seconds / baseline
        target = TARGETS[label]
        verdict = "ok" if ratio <= target else "OVER TARGET"
        met = met and ratio <= target
        print(f"  {label:<28} {seconds * 1000:7.1f} ms  {ratio:4.2f}x  (target <= {target}x: {verdict})")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=21, help="Rounds to take the median of (default 21).")
    parser.add_argument("--module", action="store_true", help="Time python -m vending, not the console script.")
    options = parser.parse_args()
    table = commands(module=options.module)
    print(f"start-up, median of {options.runs} interleaved runs ({' '.join(table['vending --version'][:-1])})")
    return 0 if report(measure(table, options.runs)) else 1


if __name__ == "__main__":
    sys.exit(main())

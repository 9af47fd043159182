"""Print render throughput: 1,000 requests rendered with every self-check (parse-back, schema, terraform
fmt when installed) into a temporary directory, in-process and through ``vending render``.

Run: python tests/benchmarks/bench_render.py [--count N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from vending.render.trunkfiles import trunk_files
from vending.render_requests import render_requests
from vending.request.yamlio import dump_yaml
from vending.version import INTERFACE_VERSION

OWNER = "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b"
EA = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"


def request(index: int) -> dict[str, object]:
    """A realistic mix: every third request is prod with a budget; most have tags, some a network."""
    prod = index % 3 == 0
    data: dict[str, object] = {
        "interfaceVersion": INTERFACE_VERSION,
        "name": f"app-{index:05d}",
        "displayName": f'App {index} "team"',
        "environment": "prod" if prod else "dev",
        "billingScope": EA,
        "managementGroup": "mg-corp-prod" if prod else "mg-corp-dev",
        "location": "westeurope",
        "owners": [{"principalId": OWNER, "principalType": "Group"}],
        "requestedBy": "alice@contoso.com",
        "tags": {"costCenter": str(4000 + index), "owner": "team ${x}", "note": "a: b\nc"},
        "ticket": f"CHG-{index}",
    }
    if prod:
        data["budget"] = {
            "amount": 1000 + index,
            "timeGrain": "Monthly",
            "thresholds": [50, 80, 100],
            "contactEmails": ["finops@contoso.com"],
        }
    if index % 2:
        data["network"] = {"addressSpace": [f"10.{index // 256}.{index % 256}.0/24"], "hubPeering": False}
    return data


def setup(root: Path, count: int) -> list[Path]:
    for rel, text in trunk_files("example").items():
        target = root / "trunk" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (root / "requests").mkdir()
    paths = []
    for index in range(count):
        path = root / "requests" / f"app-{index:05d}.yaml"
        path.write_text(dump_yaml(request(index)), encoding="utf-8")
        paths.append(path)
    return paths


def timed(label: str, count: int, run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed:7.2f} s  {count / elapsed:8.1f} subscriptions/s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="profile the single-process run")
    args = parser.parse_args()
    count = args.count
    vending = shutil.which("vending", path=str(Path(sys.executable).parent)) or "vending"
    print(f"{count} requests, {os.cpu_count()} CPUs, terraform {'found' if shutil.which('terraform') else 'absent'}")
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        root = Path(tmp)
        paths = setup(root, count)
        trunk = root / "trunk"

        def in_process(workers: int | None, out: str) -> Callable[[], None]:
            def run() -> None:
                result = render_requests(paths, trunk, root / out, INTERFACE_VERSION, workers=workers)
                assert not result.findings and len(result.written) == 3 * count + 4, result.findings[:3]

            return run

        def cli() -> None:
            subprocess.run(
                [vending, "render", *map(str, paths), "--trunk", str(trunk), "--out", str(root / "cli")],
                check=True,
                capture_output=True,
            )

        timed(f"render_requests, workers={os.cpu_count()} (default)", count, in_process(None, "par"))
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            timed("render_requests, workers=1 (profiled)", count, in_process(1, "seq"))
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        else:
            timed("render_requests, workers=1", count, in_process(1, "seq"))
        timed("vending render (subprocess, whole CLI)", count, cli)


if __name__ == "__main__":
    main()

"""Validate 1,000 requests against the emulator with ARM throttling on, and print the figures.

Run: python tests/benchmarks/bench_azure_checks.py [COUNT]

ARM's read bucket holds 250 tokens and refills 25 per second, so R reads cannot take less than
(R - 250) / 25 seconds (R = logical reads); the ratio printed is the measured time over that minimum.
"""

from __future__ import annotations

import sys
import time

from vending.azure import AzureSettings, run_azure_checks
from vending.emulator import run_emulator
from vending.emulator.data import EA_SCOPE, MANAGEMENT_GROUPS
from vending.request.model import Request

BURST = 250
REFILL = 25.0


def make_requests(count: int) -> list[tuple[str, Request]]:
    groups = [name for name, _ in MANAGEMENT_GROUPS]
    return [
        (
            f"requests/app-{index:04d}.yaml",
            Request.model_validate(
                {
                    "interfaceVersion": "0.1.0",
                    "name": f"app-{index:04d}",
                    "displayName": f"App {index:04d}",
                    "environment": "dev",
                    "billingScope": EA_SCOPE,
                    "managementGroup": groups[index % len(groups)],
                    "location": "westeurope",
                    "requestedBy": "dev@example.com",
                    "owners": [{"principalId": "11111111-2222-3333-4444-555555555555", "principalType": "Group"}],
                }
            ),
        )
        for index in range(count)
    ]


def main(count: int) -> None:
    items = make_requests(count)
    with run_emulator(throttle=True) as emu:
        settings = AzureSettings(arm_endpoint=emu.endpoint, ca_bundle=emu.ca_bundle, credential="static-test")
        started = time.perf_counter()
        report = run_azure_checks(items, settings)
        elapsed = time.perf_counter() - started
        served = emu.stats.snapshot()
    usage = report.usage
    minimum = max(0.0, (usage.reads - BURST) / REFILL)
    failed = sum(1 for result in report.results if result.findings)
    print(f"requests validated:     {count} ({failed} refused)")
    print(f"total time:             {elapsed:.2f} s")
    print(f"ARM reads (logical):    {usage.reads} {dict(usage.operations)}")
    print(f"HTTP requests sent:     {usage.http_requests} (emulator saw {served['requests']})")
    print(f"429s received:          {usage.throttled} (emulator throttled {served['throttled']})")
    print(f"retries:                {usage.retries}")
    print(f"client pacing wait:     {usage.paced_seconds:.1f} s summed over threads")
    print(f"theoretical minimum:    {minimum:.2f} s")
    print(f"ratio to minimum:       {elapsed / minimum:.3f}x" if minimum else "ratio: n/a (within burst)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)

"""Print emulator throughput figures: parallel raw GETs, and paging 1,000 subscriptions via the SDK.

Run: python tests/benchmarks/bench_emulator.py
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from azure.core.credentials import AccessToken
from azure.mgmt.subscription import SubscriptionClient

from vending.emulator import run_emulator


class Credential:
    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("bench", int(time.time()) + 3600)


def parallel_gets(endpoint: str, ca_bundle: str, workers: int, per_worker: int) -> float:
    def run(_: int) -> None:
        with requests.Session() as session:
            session.trust_env = False
            session.verify = ca_bundle
            session.headers["Authorization"] = "Bearer bench"
            for _ in range(per_worker):
                session.get(f"{endpoint}/tenants?api-version=2016-06-01", timeout=30).raise_for_status()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, range(workers)))
    return workers * per_worker / (time.perf_counter() - start)


def main() -> None:
    with run_emulator() as emu:
        for workers in (1, 8, 32):
            rate = parallel_gets(emu.endpoint, str(emu.ca_bundle), workers, 200 // workers * 2)
            print(f"GET /tenants, {workers:2d} keep-alive clients: {rate:8.0f} requests/s")
        emu.state.seed_subscriptions(1000)
        client = SubscriptionClient(Credential(), base_url=emu.endpoint, connection_verify=str(emu.ca_bundle))
        start = time.perf_counter()
        count = sum(1 for _ in client.subscriptions.list())
        print(f"SDK subscriptions.list: {count} items, 21 pages of 50, {time.perf_counter() - start:.3f} s")
    start = time.perf_counter()
    for _ in range(10):
        with run_emulator():
            pass
    print(f"start + stop: {(time.perf_counter() - start) / 10 * 1000:.1f} ms each")


if __name__ == "__main__":
    main()

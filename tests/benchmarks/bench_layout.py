"""Print figures of the sharded trunk layout: the blob bytes one vend commit adds into trunks of 100 and
10,000 subscriptions (target: ratio <= 1.2), and how often concurrent writers of different names share a shard.

Run: python tests/benchmarks/bench_layout.py [--quick]

Each trunk is made by ``vending init`` and seeded with the layout files of N dev subscriptions (facts, shards,
network blocks; a vend reads nothing else of the others), every one with its own /24 handed out in order from
10.0.0.0/8 as an address plan would. The vended request takes the next free /24.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from vending.render.trunkfiles import layout_files, subscription_layout_files
from vending.trunk.config import load_config
from vending.trunk.state import Entry, shard_of
from vending.version import INTERFACE_VERSION

CLI = [sys.executable, "-m", "vending"]
EA = "/providers/Microsoft.Billing/billingAccounts/1234567/enrollmentAccounts/7654321"


def git(cwd: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


def cidr(index: int) -> str:
    return f"10.{index // 256}.{index % 256}.0/24"


def seeded_remote(base: Path, count: int) -> Path:
    source = base / "src"
    subprocess.run([*CLI, "init", str(source)], check=True, capture_output=True)
    config = load_config(source)
    entries = [Entry(f"sub-{i:05d}", "dev", "DevTest", EA, None, (cidr(i),), "cancel") for i in range(count)]
    files = layout_files(config, entries, INTERFACE_VERSION)
    for entry in entries:
        files.update(subscription_layout_files(config, entry, INTERFACE_VERSION))
    for path, text in files.items():
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        (source / path).write_text(text, encoding="utf-8")
    git(source, "add", "-A")
    git(source, "commit", "-qm", f"{count} subscriptions")
    remote = base / "remote.git"
    git(base, "clone", "-q", "--bare", str(source), str(remote))
    return remote


def request_file(folder: Path, index: int) -> Path:
    data = {
        "interfaceVersion": "0.1.0",
        "name": "new-subscription",
        "displayName": "New subscription",
        "environment": "dev",
        "billingScope": EA,
        "managementGroup": "mg-corp-dev",
        "location": "westeurope",
        "owners": [{"principalId": "6b1f4a3e-2c4d-4e5f-9a8b-1c2d3e4f5a6b", "principalType": "Group"}],
        "requestedBy": "alice@contoso.com",
        "network": {"addressSpace": [cidr(index)], "hubPeering": False},
    }
    path = folder / "new-subscription.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def added_bytes(remote: Path) -> dict[str, int]:
    sizes = {}
    for line in git(remote, "diff-tree", "-r", "--no-commit-id", "main^", "main").splitlines():
        meta, path = line.split("\t", 1)
        blob = meta.split()[3]
        if set(blob) != {"0"}:
            sizes[path] = int(git(remote, "cat-file", "-s", blob))
    return sizes


def per_commit_bytes(count: int) -> tuple[dict[str, int], float]:
    with tempfile.TemporaryDirectory(prefix="bench-layout-") as tmp:
        base = Path(tmp)
        remote = seeded_remote(base, count)
        request = request_file(base, count)
        start = time.perf_counter()
        run = subprocess.run(
            [
                *CLI,
                "submit",
                str(request),
                "--trunk",
                str(remote),
                "--as",
                "@example/platform-dev",
                "--skip-azure-checks",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        assert run.returncode == 0, run.stderr
        return added_bytes(remote), seconds


def shard_sharing(subscriptions: int, writers: int, trials: int) -> tuple[float, float]:
    """(chance that some two of ``writers`` concurrent names share a shard, chance that a given writer does),
    simulated with random names; the fleet size only sets how long each shard is."""
    rng = random.Random(7)
    some = mine = 0
    for _ in range(trials):
        shards = [shard_of(f"app-{rng.getrandbits(48):012x}") for _ in range(writers)]
        some += len(set(shards)) < writers
        mine += shards.count(shards[0]) > 1
    per_shard = subscriptions / 256
    print(f"  at {subscriptions} subscriptions a shard lists {per_shard:.0f} names on average")
    return some / trials, mine / trials


def main() -> None:
    quick = "--quick" in sys.argv
    sizes = {}
    for count in (100, 1000 if quick else 10_000):
        files, seconds = per_commit_bytes(count)
        sizes[count] = sum(files.values())
        print(f"vend into {count:>6} subscriptions: {sizes[count]} B in {len(files)} blobs, submit {seconds:.2f} s")
        for path, size in sorted(files.items()):
            print(f"    {size:>6} B  {path}")
    small, large = sizes.values()
    print(f"per-commit bytes ratio: x{large / small:.2f} (target <= 1.2)")
    some, mine = shard_sharing(10_000, 20, 2000 if quick else 20_000)
    print(f"20 writers at 10,000 subscriptions: some two share a shard in {some:.1%} of rounds;")
    print(f"  a given writer shares its shard with another in {mine:.1%}")


if __name__ == "__main__":
    main()

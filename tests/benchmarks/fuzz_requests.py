"""Fuzz request loading and rendering on demand and print what happened.

Run: python tests/benchmarks/fuzz_requests.py [--cases 10000] [--hypothesis 2000] [--cli 200] [--seed 1]

``--cases`` mutated seeds (examples and golden requests: bytes, YAML structure, odd scalars, hostile strings,
lengths around each limit) and ``--hypothesis`` requests built field by field go in-process through load →
validate → render → self-checks → read-back of the rendered request; ``--cli`` of the mutated cases also go
through ``vending validate`` and ``vending render --trunk <a trunk made by vending init> --out DIR``.
Prints the cases, the exit codes (in-process: rendered = 0, invalid = 2, crash = 1), each distinct crash with
its smallest reproduction found by cutting bytes away, and the time. Exits 1 when anything crashed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from testing.cli import run_cli
from testing.fuzzing import (
    Case,
    Tally,
    Target,
    drive,
    encoded,
    hostile_requests,
    make_case,
    renderable_requests,
    seed_texts,
)
from testing.trunks import init_trunk

CODES = {"rendered": 0, "invalid": 2, "crash": 1}


def _file(root: Path, data: bytes) -> Path:
    path = root / "case" / "request.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _signature(detail: str) -> str:
    lines = [line for line in detail.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else "?"


def minimize(data: bytes, still_crashes: Callable[[bytes], bool]) -> bytes:
    """The shortest ``data`` found by cutting chunks (halves down to single bytes) that still crashes alike."""
    chunk = max(1, len(data) // 2)
    while chunk >= 1:
        at, cut = 0, False
        while at < len(data):
            candidate = data[:at] + data[at + chunk :]
            if candidate and still_crashes(candidate):
                data, cut = candidate, True
            else:
                at += chunk
        chunk = chunk if cut and chunk > 1 else chunk // 2
    return data


def run_mutations(root: Path, target: Target, count: int, seed: int) -> Tally:
    rng, seeds, tally = random.Random(seed), seed_texts(), Tally()
    for _ in range(count):
        case = make_case(rng, seeds)
        outcome, detail = drive(_file(root, case.data), target)
        tally.add(case, outcome, detail)
    return tally


def run_hypothesis(root: Path, target: Target, count: int, tally: Tally) -> None:
    """Half the requests with hostile values in any field, half with arbitrary visible free text."""
    for strategy in (hostile_requests(), renderable_requests()):
        _run_strategy(root, target, strategy, count // 2, tally)


def _run_strategy(
    root: Path, target: Target, strategy: st.SearchStrategy[dict[str, Any]], count: int, tally: Tally
) -> None:
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=strategy, style=st.sampled_from(["json", "block", "flow"]))
    def one(data: dict[str, Any], style: str) -> None:
        raw = encoded(data, style)
        outcome, detail = drive(_file(root, raw), target)
        tally.add(Case("hypothesis", (style,), raw), outcome, detail)

    one()


def run_cli_sample(root: Path, trunk: Path, cases: list[Case]) -> Counter[str]:
    """Exit codes of ``validate`` and ``render`` for each case; a render exit 2 must name the file and write
    nothing, an exit 0 must write the request."""
    codes: Counter[str] = Counter()
    for index, case in enumerate(cases):
        path = _file(root / f"cli-{index}", case.data)
        out = path.parent / "out"
        validated = run_cli("validate", path)
        rendered = run_cli("render", path, "--trunk", trunk, "--out", out)
        codes[f"validate {validated.code}"] += 1
        codes[f"render {rendered.code}"] += 1
        broken = (rendered.code == 2 and (str(path) not in rendered.stderr or out.exists())) or (
            rendered.code == 0 and not list(out.rglob("request.yaml"))
        )
        if broken or validated.code not in (0, 2) or rendered.code not in (0, 2):
            codes["broken"] += 1
            print(f"CLI broke the property: {case.describe()}\n{validated.stderr}{rendered.stderr}")
    return codes


def report(tally: Tally, root: Path, target: Target) -> None:
    histogram = {CODES[k]: v for k, v in sorted(tally.outcomes.items(), key=lambda kv: CODES[kv[0]])}
    print(f"in-process cases: {sum(tally.outcomes.values())}; exit codes: {histogram}")
    seen: set[str] = set()
    for case, detail in tally.crashes:
        signature = _signature(detail)
        if signature in seen:
            continue
        seen.add(signature)

        def alike(data: bytes, signature: str = signature) -> bool:
            outcome, found = drive(_file(root / "min", data), target)
            return outcome == "crash" and _signature(found) == signature

        smallest = minimize(case.data, alike)
        print(f"CRASH {signature}\n  case: {case.describe()}\n  minimal reproduction: {smallest!r}\n{detail}")
    print(f"distinct crashes: {len(seen)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--hypothesis", type=int, default=2_000)
    parser.add_argument("--cli", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vending-fuzz-") as tmp:
        root = Path(tmp)
        target = Target.written(root / "layout")
        started = time.perf_counter()
        tally = run_mutations(root, target, args.cases, args.seed)
        mutated = time.perf_counter()
        run_hypothesis(root, target, args.hypothesis, tally)
        generated = time.perf_counter()
        cli_cases = [make_case(random.Random(args.seed + 1 + i), seed_texts()) for i in range(args.cli)]
        codes = run_cli_sample(root, init_trunk(root / "trunk"), cli_cases)
        finished = time.perf_counter()
        report(tally, root, target)
        print(f"CLI cases: {args.cli}; exit codes: {dict(sorted(codes.items()))}")
        print(
            f"time: mutations {mutated - started:.1f} s, hypothesis {generated - mutated:.1f} s, "
            f"CLI {finished - generated:.1f} s, total {finished - started:.1f} s"
        )
    return 1 if tally.crashes or codes["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""Print what each self-check costs per rendered subscription, the way it ran before and the way it runs now,
measured side by side in one run:

- YAML writer: the libyaml dumper (before) against the fast writer of the rendered subset (now);
- YAML string representer: one match per resolver regex (before) against one compiled alternation (now),
  over every rendered ``request.yaml`` and Flux object (the old representer is kept here only);
- HCL read-back of ``main.tf``: python-hcl2's full grammar with a cached parser (before) against the fast
  reader of the rendered subset (now; the full grammar stays for whatever it refuses);
- YAML read-back of ``request.yaml`` and ``terraform.yaml`` and the Flux schema (unchanged, for scale);
- ``terraform fmt``: one run per file (before) against one run for the whole batch (now), where installed.

Run: python tests/benchmarks/bench_selfcheck.py [--count N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml.resolver import implicit_resolvers

from vending.render import hclscan, hcltree
from vending.render.fluxschema import flux_schema_problems
from vending.render.selfcheck import module_arguments, terraform_fmt_problems
from vending.render.subscription import (
    FLUX_FILE,
    REQUEST_FILE,
    TERRAFORM_FILE,
    RenderedSubscription,
    render_subscription,
)
from vending.render.trunkfiles import trunk_files
from vending.request import yamlio
from vending.request.model import Request
from vending.trunk.config import load_config
from vending.version import INTERFACE_VERSION

sys.path.insert(0, str(Path(__file__).parent))
from bench_render import request

_RESOLVERS = tuple(regexp for versions, _, regexp, _ in implicit_resolvers if (1, 2) in versions)


def _old_represent_str(dumper: Any, value: str) -> Any:
    """The representer as it was: every resolver's regex tried in turn."""
    if yamlio._NEEDS_ESCAPES.search(value):
        style: str | None = '"'
    elif any(regexp.match(value) for regexp in _RESOLVERS):
        style = "'"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _OldDumper(yamlio._Dumper):
    """The same dumper with the old representer."""


_OldDumper.add_representer(str, _old_represent_str)


def rendered_fleet(root: Path, count: int) -> list[RenderedSubscription]:
    for rel, text in trunk_files("example").items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    config = load_config(root)
    return [render_subscription(Request.model_validate(request(i)), config, INTERFACE_VERSION) for i in range(count)]


def per_file(count: int, run: Callable[[], object]) -> float:
    """Microseconds per subscription of ``run`` (best of three)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best / count * 1e6


def dump_with(dumper: Any, documents: list[Any]) -> list[str]:
    options = {"default_flow_style": False, "sort_keys": False, "allow_unicode": True, "width": 4096}
    return [yaml.dump(yamlio._plain(document), Dumper=dumper, **options) for document in documents]


def yaml_representer(fleet: list[RenderedSubscription]) -> None:
    documents = [yamlio.load_plain_yaml(s.files[f"{s.directory}/{REQUEST_FILE}"]) for s in fleet]
    documents += [s.flux_object for s in fleet]
    assert dump_with(_OldDumper, documents) == dump_with(yamlio._Dumper, documents), "representers disagree"
    before = per_file(len(fleet), lambda: dump_with(_OldDumper, documents))
    after = per_file(len(fleet), lambda: dump_with(yamlio._Dumper, documents))
    report("YAML writer (request + Flux object)", before, after)


def yaml_writer(fleet: list[RenderedSubscription]) -> None:
    documents = [yamlio.load_plain_yaml(s.files[f"{s.directory}/{REQUEST_FILE}"]) for s in fleet]
    documents += [s.flux_object for s in fleet]
    fast = [yamlio.dump_yaml(document) for document in documents]
    assert dump_with(yamlio._Dumper, documents) == fast, "the fast writer and the dumper disagree"
    before = per_file(len(fleet), lambda: dump_with(yamlio._Dumper, documents))
    after = per_file(len(fleet), lambda: [yamlio.dump_yaml(document) for document in documents])
    report("YAML writer: libyaml dumper / fast writer", before, after)


def hcl_readback(fleet: list[RenderedSubscription]) -> None:
    texts = [s.files[f"{s.directory}/{TERRAFORM_FILE}"] for s in fleet]
    same = all(hcltree.parse_hcl(t).blocks[2] == hclscan.scan_hcl(t).blocks[2] for t in texts)
    assert same, "the two readers disagree"

    def full_parser() -> None:
        for text in texts:
            hcltree.parse_hcl(text)

    def fast_reader() -> None:
        for text in texts:
            module_arguments(text)

    hcltree._parser()
    before = per_file(len(fleet), full_parser)
    after = per_file(len(fleet), fast_reader)
    report("HCL read-back of main.tf", before, after)


def unchanged_checks(fleet: list[RenderedSubscription]) -> None:
    def yaml_readback() -> None:
        for s in fleet:
            yamlio.load_plain_yaml(s.files[f"{s.directory}/{REQUEST_FILE}"])
            yamlio.load_plain_yaml(s.files[f"{s.directory}/{FLUX_FILE}"])

    def schema() -> None:
        for s in fleet:
            flux_schema_problems(s.flux_object)

    print(f"{'YAML read-back (request + Flux object)':<40} {per_file(len(fleet), yaml_readback):9.0f} µs/file")
    print(f"{'Flux schema':<40} {per_file(len(fleet), schema):9.0f} µs/file")


def fmt_runs(fleet: list[RenderedSubscription], sample: int) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        print("terraform fmt: terraform not installed, skipped")
        return
    tf = [{p: t for p, t in s.files.items() if p.endswith(".tf")} for s in fleet]
    some = tf[:sample]
    before = per_file(len(some), lambda: [terraform_fmt_problems(files, terraform) for files in some])
    every = {path: text for files in tf for path, text in files.items()}
    after = per_file(len(tf), lambda: terraform_fmt_problems(every, terraform))
    report(f"terraform fmt (per file on {len(some)} / one run on {len(tf)})", before, after)


def report(label: str, before: float, after: float) -> None:
    print(f"{label:<40} before {before:9.0f} µs/file   now {after:9.0f} µs/file   {before / after:6.1f}x cheaper")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory(prefix="bench-selfcheck-") as tmp:
        fleet = rendered_fleet(Path(tmp), count)
    print(f"self-checks over {count} rendered subscriptions (best of 3)")
    yaml_representer(fleet)
    yaml_writer(fleet)
    hcl_readback(fleet)
    unchanged_checks(fleet)
    fmt_runs(fleet, max(1, count // 25))


if __name__ == "__main__":
    main()

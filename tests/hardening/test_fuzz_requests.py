"""Fuzzing request loading and rendering: never exit 1, never an uncaught exception.

A bounded, deterministic slice of what ``tests/benchmarks/fuzz_requests.py`` runs on demand: mutated seeds
(bytes, YAML structure, odd scalars, hostile strings, lengths around each limit) and requests built field by
field by hypothesis, in-process through load → validate → render → self-checks, and a sample through the
real CLI (``validate`` and ``render``). The crashes the fuzzer found stay as named regression cases.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testing.cli import run_cli
from testing.fuzzing import Target, drive, encoded, hostile_requests, make_case, renderable_requests, seed_texts
from testing.trunks import init_trunk

from vending.request.load import load_request

IN_PROCESS_CASES = 300
CLI_CASES = 24


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Target:
    return Target.written(tmp_path_factory.mktemp("layout"))


def _cases(seed: int, count: int) -> list[Any]:
    rng = random.Random(seed)
    seeds = seed_texts()
    return [make_case(rng, seeds) for _ in range(count)]


def _request_file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "case" / "request.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_mutated_seeds_never_crash(tmp_path: Path, target: Target) -> None:
    outcomes: dict[str, int] = {}
    crashes = []
    for case in _cases(13, IN_PROCESS_CASES):
        outcome, detail = drive(_request_file(tmp_path, case.data), target)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome == "crash":
            crashes.append(f"{case.describe()}\n{detail}")
    assert crashes == []
    assert outcomes.get("invalid", 0) > 0, outcomes
    assert outcomes.get("rendered", 0) > 0, outcomes


def test_every_seed_renders_unchanged(tmp_path: Path, target: Target) -> None:
    """The fuzzer's starting points are valid: a mutation, not the seed, makes a case invalid."""
    for name, text in seed_texts().items():
        assert drive(_request_file(tmp_path, text), target) == ("rendered", ""), name


@pytest.fixture(scope="module")
def trunk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_trunk(tmp_path_factory.mktemp("cli") / "trunk")


def test_mutated_seeds_through_the_cli(tmp_path: Path, trunk: Path) -> None:
    """Exit 0 with files written, or exit 2 naming the file with nothing written; never anything else."""
    for index, case in enumerate(_cases(29, CLI_CASES)):
        path = _request_file(tmp_path / str(index), case.data)
        out = tmp_path / str(index) / "out"
        validated = run_cli("validate", path)
        rendered = run_cli("render", path, "--trunk", trunk, "--out", out)
        assert validated.code in (0, 2), f"{case.describe()}\n{validated.stderr}"
        assert rendered.code in (0, 2), f"{case.describe()}\n{rendered.stderr}"
        if rendered.code == 2:
            assert str(path) in rendered.stderr, case.describe()
            assert not out.exists(), case.describe()
        else:
            assert list(out.rglob("request.yaml")), case.describe()


@settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=hostile_requests(), style=st.sampled_from(["json", "block", "flow"]))
def test_hostile_fields_never_crash(tmp_path: Path, target: Target, data: dict[str, Any], style: str) -> None:
    outcome, detail = drive(_request_file(tmp_path, encoded(data, style)), target)
    assert outcome != "crash", detail


@settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=renderable_requests(), style=st.sampled_from(["json", "block", "flow"]))
def test_any_visible_text_renders_or_is_refused(
    tmp_path: Path, target: Target, data: dict[str, Any], style: str
) -> None:
    """Free text that passes validation renders, and every rendered file reads back as the request."""
    outcome, detail = drive(_request_file(tmp_path, encoded(data, style)), target)
    assert outcome in ("rendered", "invalid"), detail


def test_deeply_nested_flow_keys_are_refused_at_once(tmp_path: Path, target: Target) -> None:
    """The crash: ``{{{…}}}`` made mappings the keys of mappings, and hashing them took time exponential in
    the depth, so a 60-byte file kept ``validate`` busy for hours. Now refused while parsing."""
    path = _request_file(tmp_path, b"{" * 30 + b"}" * 30)
    assert drive(path, target, seconds=5) == ("invalid", "")
    loaded = load_request(path)
    assert [f.render() for f in loaded.findings] == [f"{path}:1: invalid YAML: keys must be strings, found a mapping"]
    result = run_cli("validate", path)
    assert result.code == 2
    assert f"{path}:1: invalid YAML: keys must be strings, found a mapping" in result.stderr


@pytest.mark.parametrize("key", ["[a, b]", "{a: 1}", "? [x]\n  "])
def test_a_list_or_mapping_as_key_is_refused(tmp_path: Path, key: str) -> None:
    path = _request_file(tmp_path, f"{key}: value\n".encode())
    messages = [f.message for f in load_request(path).findings]
    assert messages[:1] and messages[0].startswith("invalid YAML: keys must be strings"), messages


def test_a_yaml_1_1_float_without_a_dot_warns_nothing(tmp_path: Path, target: Target) -> None:
    """The crash: ruamel warned (``MantissaNoDotYAML1_1Warning``) on stderr, an error wherever warnings are."""
    text = b"%YAML 1.1\n---\n" + seed_texts()["golden/prod-mca-full"].replace(b"amount: 25000.5", b"amount: 1e+3")
    assert drive(_request_file(tmp_path, text), target) == ("rendered", "")

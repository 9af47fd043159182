"""The fast YAML path reads exactly what the careful round-trip path reads, or steps aside."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vending.request.yamlfast import fast_parse
from vending.request.yamlio import MAX_DEPTH, MAX_NODES, YamlLoadError, _Converter, _load_documents, dump_yaml

REPO = Path(__file__).resolve().parents[2]


def careful(text: str) -> tuple[object, dict[tuple[str | int, ...], int]]:
    documents = _load_documents(text, "x")
    converter = _Converter("x")
    return converter.convert(documents[0], ()), dict(converter.lines)


def agrees(text: str) -> bool | None:
    """True when both paths read the same data and lines, None when the fast path stepped aside."""
    fast = fast_parse(text, MAX_NODES, MAX_DEPTH)
    if fast is None:
        return None
    return (fast[0], fast[1]) == careful(text)


@pytest.mark.parametrize("path", sorted((REPO / "examples" / "requests").glob("*.yaml")), ids=lambda p: p.name)
def test_examples_take_the_fast_path_and_agree(path: Path) -> None:
    assert agrees(path.read_text()) is True


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\n",
        "a: no\n",
        "a: On\n",
        "a: 0o17\n",
        "a: 017\n",
        "a: 0x1F\n",
        "a: 1_000\n",
        "a: 1e3\n",
        "a: .5\n",
        "a: 1:20\n",
        "a: .inf\n",
        "a: 2024-01-01\n",
        "a: !!int 3\n",
        "a: !!str 3\n",
        "a: 1\na: 2\n",
        "1: x\n",
        "<<: {a: 1}\n",
        "a: &x [1]\nb: *x\n" * 1,
        "- 1\n",
        "x\n",
        "",
        "a: 1\n---\nb: 2\n",
        "a: [\n",
        "a:\tb\n",
        "%YAML 1.1\n---\na: 1\n",
    ],
)
def test_unusual_documents_step_aside_or_agree(text: str) -> None:
    assert agrees(text) in (None, True)
    if text in ("a: yes\n", "a: 0o17\n", "a: 1\na: 2\n", "1: x\n", "a: !!int 3\n", "- 1\n", "a: [\n"):
        assert fast_parse(text, MAX_NODES, MAX_DEPTH) is None


def test_alias_expansion_is_bounded_on_the_fast_path() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 6):
        refs = ", ".join([f"*{chr(96 + level)}"] * 10)
        lines.append(f"{chr(97 + level)}: &{chr(97 + level)} [{refs}]")
    assert fast_parse("\n".join(lines) + "\n", MAX_NODES, MAX_DEPTH) is None


scalars = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
documents = st.dictionaries(
    st.text(min_size=1, max_size=12),
    st.one_of(
        scalars, st.lists(scalars, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), scalars, max_size=3)
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_generated_documents_agree(data: dict[str, object]) -> None:
    text = dump_yaml(data)
    try:
        careful(text)
    except YamlLoadError:
        assert fast_parse(text, MAX_NODES, MAX_DEPTH) is None
        return
    assert agrees(text) in (None, True)

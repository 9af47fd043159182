"""The fast YAML writer writes, byte for byte, what the libyaml dumper writes, or leaves the document to it:
checked on every rendered file of the golden cases and on generated documents with hostile strings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from vending.request import yamlio
from vending.request.yamlemit import fast_dump

GOLDEN = sorted(
    p for p in (Path(__file__).parents[1] / "render" / "golden").glob("*/expected/**/*.yaml") if p.is_file()
)
WORDS = [
    "yes", "no", "on", "off", "null", "~", "true", "1001", "0.1.0", "1e3", "0x1F", "2020-01-01", "10m", "-",
    "a: b", "a:b", "git::https://x/y?ref=v1", "a #b", "a  b", " a", "a ", "", "'", '"', "é", "a\nb", "\t", ".5",
    "-a", "@a", "=a", "?a", "a?", "a=b", "/x/y", "_x", "x" * 120, "- a", "---", "...", "<<", "!x", "&a", "*a", "%a",
]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(WORDS),
    st.text(st.sampled_from("ab1_./@+=?-: #'\"é"), max_size=12),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
)
keys = st.sampled_from(WORDS) | st.text(st.sampled_from("ab1_./-: "), min_size=0, max_size=8)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


def _dumped(data: Any) -> str:
    return str(
        yaml.dump(
            data, Dumper=yamlio._Dumper, default_flow_style=False, sort_keys=False, allow_unicode=True, width=4096
        )
    )


@settings(max_examples=400, deadline=None)
@given(data=st.dictionaries(keys, documents, min_size=1, max_size=6))
def test_generated_documents_are_written_as_the_dumper_writes_them_or_left_to_it(data: dict[str, Any]) -> None:
    fast = fast_dump(data, yamlio._YAML12_IMPLICIT)
    if fast is not None:
        assert fast == _dumped(data)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: "/".join(p.parts[-4:]))
def test_every_golden_yaml_file_is_written_the_same_by_the_fast_writer(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        pytest.skip("not a mapping")
    fast = fast_dump(data, yamlio._YAML12_IMPLICIT)
    assert fast is None or fast == _dumped(data)


def test_a_rendered_request_takes_the_fast_writer() -> None:
    data = {"name": "app-1", "tags": {"costCenter": "1001", "env": "no"}, "owners": [{"id": "6b1f-4a3e", "n": 1}]}
    assert fast_dump(data, yamlio._YAML12_IMPLICIT) == _dumped(data)
    assert fast_dump(data, yamlio._YAML12_IMPLICIT) == (
        "name: app-1\ntags:\n  costCenter: '1001'\n  env: 'no'\nowners:\n- id: 6b1f-4a3e\n  n: 1\n"
    )

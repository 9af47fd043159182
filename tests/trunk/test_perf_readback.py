"""The fast HCL reader proves what the full parser proves: whatever it accepts, python-hcl2's grammar reads as
the same blocks and values, and whatever that grammar refuses, it refuses too. Checked on every golden
``main.tf``, on renders of hostile request text, and on those files with hostile fragments spliced in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark.exceptions import LarkError
from testing.requests import request_data
from testing.trunks import trunk_config_data

from vending.render.hcl import HclLiteralError
from vending.render.hclscan import Block, Expression, Refused, scan_hcl
from vending.render.hcltree import parse_hcl
from vending.render.subscription import render_subscription
from vending.request.hygiene import control_character
from vending.request.model import Request
from vending.trunk.config import TrunkConfig
from vending.version import INTERFACE_VERSION

GOLDEN = sorted((Path(__file__).parents[1] / "render" / "golden").glob("*/expected/**/main.tf"))
HOSTILE = [
    '"', "\\", '\\"', "${", "%{", "$${", "%%{", "${var.x}", "%{ if true }x%{ endif }", "}", "{", "\n", "\r\n",
    "\t", "#", "//", "/*", "*/", "<<EOF\nx\nEOF\n", "[", "]", "=", ":", ",", ".", "-", "+", "1.5", "0x1F", "1e3",
    "true", "null", "for", "x = 1\n", "a.b", "f(x)", "\\u0024{", "\\U0001F600", "\\q", "é", "\u2028", "\x00",
    'x = "a"\n', "x = [\n", "}\n", "{}", "a b {\n}\n", " ", "-5", "--5", "? :", "==",
]  # fmt: skip
CONFIG = TrunkConfig.model_validate(trunk_config_data())


def _plain(value: Any) -> Any:
    if isinstance(value, Block):
        return ("block", value.type, value.labels, _plain(value.body), [_plain(b) for b in value.blocks])
    if isinstance(value, Expression):
        return "<expression>"
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _full(text: str) -> Any:
    try:
        return _plain(parse_hcl(text))
    except (LarkError, HclLiteralError, ValueError, IndexError):
        return "<refused>"


def _fast(text: str) -> Any:
    try:
        return _plain(scan_hcl(text))
    except Refused:
        return None


def assert_same_proof(text: str) -> None:
    fast = _fast(text)
    if fast is not None:
        assert fast == _full(text)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: "/".join(p.parts[-5:-1]))
def test_every_golden_main_tf_reads_the_same_by_the_fast_reader(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _fast(text) is not None, "the fast reader refused a file vending renders"
    assert _fast(text) == _full(text)


def _rendered(tag: str) -> str:
    data = request_data("reads-back", "dev", tags={"t": tag, "u": f"x{tag}{tag}x"})
    rendered = render_subscription(Request.model_validate(data), CONFIG, INTERFACE_VERSION)
    return next(text for path, text in rendered.files.items() if path.endswith("main.tf"))


@pytest.mark.parametrize("fragment", [f for f in HOSTILE if not control_character(f, allow="\t\n\r")])
def test_hostile_text_in_a_request_is_read_by_the_fast_reader_as_by_the_full_parser(fragment: str) -> None:
    text = _rendered(fragment)
    assert _fast(text) is not None
    assert _fast(text) == _full(text)


@settings(max_examples=200, deadline=None)
@given(
    golden=st.sampled_from(GOLDEN),
    splices=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(HOSTILE) | st.text(max_size=4)), max_size=3),
)
def test_spliced_files_are_refused_or_read_the_same(golden: Path, splices: list[tuple[float, str]]) -> None:
    text = golden.read_text(encoding="utf-8")
    for where, fragment in splices:
        at = int(where * len(text))
        text = text[:at] + fragment + text[at:]
    assert_same_proof(text)


@pytest.mark.parametrize(
    "text",
    [
        "a = 1e3\n",
        'a = "${x}"\n',
        'a = "x" + "y"\n',
        "a = 1\na = 2\n",
        "a = { k = 1, k = 2 }\n",
        'a = { "k" : 1 }\n',
        "a = <<EOF\nx\nEOF\n",
        "/* c */\na = 1\n",
        "a = 1\r\n",
        "a = [for x in y : x]\n",
        'b "l" { c = 1 }\n',
    ],
)
def test_constructs_outside_the_rendered_subset_go_to_the_full_parser(text: str) -> None:
    assert _fast(text) is None

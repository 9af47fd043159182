"""Property: free text in a request reaches main.tf and the YAML files as data, and reads back exactly.

Every free-text field (displayName, tag names and values, ticket, the local part of requestedBy) gets
arbitrary strings laced with HCL, YAML and shell syntax. The rendered main.tf must parse (python-hcl2)
to exactly the module arguments, with no interpolation or directive anywhere and no extra attribute or
block; request.yaml and terraform.yaml must load (PyYAML and ruamel) to exactly the rendered data.
"""

from __future__ import annotations

import io
from typing import Any

import hcl2
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from render_support import NASTY
from ruamel.yaml import YAML
from testing.requests import request_data
from testing.trunks import trunk_config_data

from vending.render.inputs import module_source_address
from vending.render.selfcheck import check_rendered, module_arguments
from vending.render.subscription import RenderedSubscription, render_subscription
from vending.request.hygiene import control_character, invisible_character, message_text
from vending.request.model import Request
from vending.trunk.config import TrunkConfig
from vending.version import INTERFACE_VERSION

_CONTROL = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))} | {"\u2028", "\u2029"}
_PRINTABLE = st.characters(blacklist_categories=["Cs"], blacklist_characters="".join(_CONTROL))
_ANY = st.characters(blacklist_categories=["Cs"])


def _mixed(alphabet: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    piece = st.sampled_from(NASTY) | st.text(alphabet, min_size=1, max_size=8)
    return st.lists(piece, min_size=1, max_size=10).map("".join).map(lambda s: s[:max_size])


def _without(chars: str, text: str) -> str:
    return "".join(c for c in text if c not in chars and c not in _CONTROL)


display_names = _mixed(_PRINTABLE, 64).map(lambda s: _without("<>;|", s)).filter(bool)
tickets = _mixed(_PRINTABLE, 128).map(lambda s: _without("", s)).filter(bool)
tag_names = _mixed(_PRINTABLE, 80).map(lambda s: _without("<>%&\\?/", s)).filter(bool)
tag_values = st.one_of(st.just(""), _mixed(_ANY, 256))
tags = st.dictionaries(tag_names, tag_values, max_size=6)
local_parts = st.text(st.sampled_from("abcXYZ019.!#$%&'*+/=?^_`{|}~-"), min_size=1, max_size=30) | st.sampled_from(
    ["${x}", "%{x}", "$${x}", "%%{x}", "o'neil", "a|b", "~", "no", "0x1F", "*a", "&a", "!x", "#x"]
)


def _config() -> TrunkConfig:
    return TrunkConfig.model_validate(trunk_config_data())


CONFIG = _config()


def _request(display: str, tag_map: dict[str, str], ticket: str | None, local: str) -> Request:
    data = request_data(displayName=display, tags=tag_map, requestedBy=f"{local}@example.com")
    if ticket is not None:
        data["ticket"] = ticket
    try:
        return Request.model_validate(data)
    except ValidationError:
        assume(False)
        raise


def _ruamel(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(io.StringIO(text))


def _files(rendered: RenderedSubscription) -> dict[str, str]:
    return {path.rsplit("/", 1)[1]: text for path, text in rendered.files.items()}


def assert_reads_back(request: Request) -> None:
    rendered = render_subscription(request, CONFIG, INTERFACE_VERSION)
    normalized = request.normalized(CONFIG.environments[request.environment].workload)
    check_rendered(rendered, normalized)
    files = _files(rendered)
    _assert_hcl(files["main.tf"], rendered.inputs, request)
    for load in (yaml.safe_load, _ruamel):
        assert load(files["request.yaml"]) == normalized
        flux = load(files["terraform.yaml"])
        assert flux == rendered.flux_object
        assert {v["name"]: v["value"] for v in flux["spec"]["vars"]} == rendered.inputs


def _assert_hcl(text: str, inputs: dict[str, Any], request: Request) -> None:
    assert "${" not in text and "%{" not in text, "a template sequence reached main.tf unescaped"
    parsed = hcl2.loads(text)
    assert set(parsed) == {"__comments__", "terraform", "provider", "module", "output"}
    assert [c["value"] for c in parsed["__comments__"]] == [line[2:] for line in text.splitlines()[:2]]
    assert len(parsed["module"]) == 1 and len(parsed["output"]) == 3 and len(parsed["terraform"]) == 1
    arguments = module_arguments(text)
    assert arguments.pop("source") == module_source_address(CONFIG)
    assert set(arguments) == set(inputs)
    assert arguments == inputs
    assert arguments["subscription_display_name"] == request.display_name
    assert arguments.get("tags", {}) == request.tags
    assert arguments.get("ticket") == request.ticket
    assert arguments["requested_by"] == request.requested_by


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(display=display_names, tag_map=tags, ticket=st.none() | tickets, local=local_parts)
def test_free_text_reads_back_exactly(display: str, tag_map: dict[str, str], ticket: str | None, local: str) -> None:
    assert_reads_back(_request(display, tag_map, ticket, local))


@pytest.mark.parametrize(
    "text", [t for t in NASTY if t.strip() and not set(t) & (_CONTROL | set("<>;|")) and not invisible_character(t)]
)
def test_each_nasty_token_as_display_name_and_ticket(text: str) -> None:
    ticket = text.strip() if message_text(text.strip(), limit=128) is None else None
    assert_reads_back(_request(f" {text} ", {"t": text}, ticket, "x"))


@pytest.mark.parametrize("text", [t for t in NASTY if not control_character(t, allow="\t\n\r")])
def test_each_nasty_token_as_tag_value_and_name(text: str) -> None:
    name = "".join(c for c in _without("<>%&\\?/", text) if not invisible_character(c)) or "n"
    assert_reads_back(_request("x", {name: text, f"k{name}": f"{text}{text}"}, None, "x"))

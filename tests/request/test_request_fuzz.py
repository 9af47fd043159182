"""Random input never crashes the loader: always a model or findings, never another exception."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testing.requests import request_data

from vending.errors import Finding
from vending.request.load import load_request, validate_model
from vending.request.model import Request
from vending.request.yamlio import YamlDocument, YamlLoadError, dump_yaml, parse_yaml_mapping

FREE_TEXT = [
    "name",
    "displayName",
    "environment",
    "billingScope",
    "managementGroup",
    "location",
    "requestedBy",
    "interfaceVersion",
    "ticket",
    "subscriptionId",
    "workload",
]
KEYS = st.sampled_from(
    [*FREE_TEXT, "owners", "tags", "budget", "network", "roleAssignments", "resourceProviders"]
) | st.text(max_size=12)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_outcome(request: Request | None, findings: list[Finding]) -> None:
    assert (request is None) == bool(findings)
    for finding in findings:
        assert finding.file == "fuzz.yaml"
        assert isinstance(finding.message, str) and finding.message
        assert finding.line is None or finding.line >= 1
        finding.render()


@FUZZ
@given(field=st.sampled_from(FREE_TEXT), value=st.text())
def test_free_text_fields(field: str, value: str) -> None:
    request, findings = validate_model(Request, YamlDocument("fuzz.yaml", request_data(**{field: value})))
    assert_outcome(request, findings)


@FUZZ
@given(changes=st.dictionaries(KEYS, VALUES, max_size=6))
def test_random_values_for_any_key(changes: dict[str, Any]) -> None:
    request, findings = validate_model(Request, YamlDocument("fuzz.yaml", request_data(**changes)))
    assert_outcome(request, findings)


@FUZZ
@given(
    tags=st.dictionaries(st.text(max_size=600), st.text(max_size=300), max_size=5),
    ticket=st.text(max_size=200),
    display=st.text(max_size=80),
)
def test_text_heavy_fields(tags: dict[str, str], ticket: str, display: str) -> None:
    data = request_data(tags=tags, ticket=ticket, displayName=display)
    request, findings = validate_model(Request, YamlDocument("fuzz.yaml", data))
    assert_outcome(request, findings)


@FUZZ
@given(text=st.text(max_size=300))
def test_random_yaml_text(text: str) -> None:
    try:
        document = parse_yaml_mapping(text, "fuzz.yaml")
    except YamlLoadError as exc:
        assert exc.finding.file == "fuzz.yaml"
        assert exc.finding.message
        return
    assert isinstance(document.data, dict)
    assert all(isinstance(key, str) for key in document.data)


YAML_PIECES = st.lists(
    st.sampled_from(
        [
            "name: ",
            "a: ",
            "- ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "&x ",
            "*x",
            "!!int ",
            "!!str ",
            "!!binary ",
            "!!set ",
            "!!omap ",
            "<<: ",
            "? ",
            ": ",
            "'",
            '"',
            "|\n",
            ">\n",
            "\n",
            "  ",
            "---\n",
            "...\n",
            "%YAML 1.1\n",
            "2024-02-30",
            "0x",
            "1e9",
            ".nan",
            "~",
            "true",
            "\t",
            "#",
            "\ufeff",
            "\x85",
            "caf\u00e9",
        ]
    ),
    max_size=40,
).map("".join)


@FUZZ
@given(text=YAML_PIECES)
def test_yaml_like_text(text: str) -> None:
    try:
        parse_yaml_mapping(text, "fuzz.yaml")
    except YamlLoadError as exc:
        assert exc.finding.message.strip()


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FREE_TEXT), st.text(max_size=60), max_size=4))
def test_round_trip_through_a_file(tmp_path_factory: Any, changes: dict[str, str]) -> None:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    path = folder / "request.yaml"
    path.write_text(dump_yaml(request_data(**changes)), encoding="utf-8")
    loaded = load_request(path, "fuzz.yaml")
    assert (loaded.request is None) == bool(loaded.findings)
    for finding in loaded.findings:
        assert finding.file == "fuzz.yaml"
    if loaded.document is not None:
        assert loaded.document.data == yaml.safe_load(path.read_text(encoding="utf-8"))

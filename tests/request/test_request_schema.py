"""``vending interface schema``: a valid JSON Schema that agrees with the model on the examples."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from testing.cli import Cli
from testing.requests import request_data
from tooling import require_tool

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "requests").glob("*.yaml"))
COMMITTED = ROOT / "vending" / "schemas" / "request.schema.json"


@pytest.fixture
def schema_text(cli: Cli) -> str:
    result = cli("interface", "schema")
    assert result.code == 0
    assert result.stderr == ""
    return result.stdout


@pytest.fixture
def validator(schema_text: str) -> Draft202012Validator:
    schema = json.loads(schema_text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_schema_is_draft_2020_12(schema_text: str) -> None:
    schema = json.loads(schema_text)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert {
        "interfaceVersion",
        "name",
        "displayName",
        "environment",
        "managementGroup",
        "location",
        "owners",
        "requestedBy",
    } <= set(schema["required"])


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_schema_accepts_examples(validator: Draft202012Validator, example: Path) -> None:
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(data)] == []


@pytest.mark.parametrize(
    "data",
    [
        request_data(name="Not A Name"),
        request_data(extra="x"),
        {k: v for k, v in request_data().items() if k != "owners"},
        request_data(owners=[]),
        request_data(displayName="a|b"),
        request_data(billingScope="/providers/Microsoft.Billing/billingAccounts/1/enrollmentAccounts/2/"),
        request_data(workload="Dev"),
        request_data(budget={"amount": 0, "timeGrain": "Monthly", "thresholds": [50], "contactEmails": ["a@b.co"]}),
        request_data(network={"addressSpace": ["10.0.0.0"]}),
        request_data(ticket="x" * 129),
        ["not", "a", "mapping"],
    ],
)
def test_schema_rejects_bad_requests(validator: Draft202012Validator, data: Any) -> None:
    assert list(validator.iter_errors(data)), "the schema accepted a bad request"


def test_committed_schema_is_current(schema_text: str) -> None:
    committed = COMMITTED.read_text(encoding="utf-8")
    assert committed == schema_text, (
        f"{COMMITTED.relative_to(ROOT)} is stale: regenerate it with "
        "'vending interface schema > vending/schemas/request.schema.json' and commit the result"
    )


def test_examples_point_editors_at_the_schema() -> None:
    for example in EXAMPLES:
        first = example.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../vending/schemas/request.schema.json"


def test_check_jsonschema_accepts_examples() -> None:
    tool = require_tool("check-jsonschema")
    done = subprocess.run(
        [tool, "--schemafile", str(COMMITTED), *map(str, EXAMPLES)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr

"""Replay Microsoft's examples against the emulator and check its answers against the OpenAPI specs.

For every example in ``$VENDING_SHARED_DIR/arm-spec/**/examples`` whose operation the emulator
implements, the example request is sent over HTTPS to an emulator seeded so the example's ids
exist; each answer must have the example's status, validate against the spec's schema for that
status, and have the example body's shape (field names and JSON types). Where the examples and
the Azure SDK disagree, the SDK wins; every such exception is listed in conformance_rules.py with its
reason, and replay_seed.py adds what an example reads or refers to before it is replayed.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote, unquote

import jsonschema
import pytest
import requests
from conformance_rules import (
    IMPLEMENTED,
    KNOWN_ABSENT_REFS,
    MAP_FIELDS,
    OMITTED_FIELDS,
    OMITTED_PATHS,
    RELAXED_REQUIRED,
    RENAMED_FIELDS,
    SCHEMA_STATUS,
    SKIPPED_STATUSES,
    UNSPECIFIED_ROUTES,
)
from emulator_support import Http
from replay_seed import seed_resources
from spec_support import Case, body_parameter, discover, load_json, response_schema, spec_dir

from vending.emulator import Alias, EmulatorState, default_state, run_emulator
from vending.emulator.data import PLATFORM_SUBSCRIPTION_ID
from vending.emulator.state import BillingAccountPolicy


def _all_cases() -> list[Any]:
    root = spec_dir()
    if not root.is_dir():
        reason = f"ARM spec directory {root} not found (set VENDING_SHARED_DIR)"
        return [pytest.param(None, id="no-spec-dir", marks=pytest.mark.skip(reason=reason))]
    cases, missing = discover(root)
    absent = [
        pytest.param(None, id=f"absent-{entry}", marks=pytest.mark.skip(reason=f"example not in arm-spec: {entry}"))
        for entry in missing
        if entry.split(":")[0] in IMPLEMENTED
    ]
    return [pytest.param(case, id=case.id) for case in cases] + absent


def test_spec_dir_present_when_required() -> None:
    if os.environ.get("VENDING_REQUIRE_TOOLS") == "1":
        assert spec_dir().is_dir(), f"{spec_dir()} is required (VENDING_REQUIRE_TOOLS=1)"
    elif not spec_dir().is_dir():
        pytest.skip(f"ARM spec directory {spec_dir()} not found")


def _route(case: Case) -> tuple[str, str]:
    if case.spec is not None:
        return case.method, case.template
    return UNSPECIFIED_ROUTES[case.operation_id]


def _seed(case: Case, params: dict[str, Any], body: Any, path: str) -> EmulatorState:
    state = default_state(seed=3)
    seed_resources(state, case.operation_id, path, body)
    if "subscriptionId" in params and state.subscription(params["subscriptionId"]) is None:
        state.add_subscription("Example Subscription", params["subscriptionId"])
    if "groupId" in params and state.group(params["groupId"]) is None:
        state.add_management_group(params["groupId"], "Example Group")
    if "groupId" in params and "subscriptionId" in params:
        # The examples read and remove a subscription that is under the group.
        state.subscriptions[params["subscriptionId"].lower()].management_group = params["groupId"]
    if "billingAccountId" in params:
        tenant = {"tenantId": "b8ed2088-c458-4e77-bd61-9e048d96a1c0", "tenantName": "service"}
        state.billing_accounts[params["billingAccountId"].lower()] = BillingAccountPolicy(True, [tenant])
    if case.operation_id == "Alias_Create":
        state.accept_billing_scope(body["properties"]["billingScope"])
    elif "aliasName" in params:
        state.add_alias(Alias(params["aliasName"], PLATFORM_SUBSCRIPTION_ID, "Platform", "Production", None))
    if "operationId" in params:
        pending = Alias("pending", PLATFORM_SUBSCRIPTION_ID, "Platform", "Production", None)
        pending.provisioning_state, pending.polls_left, pending.operation_id = (
            "Accepted",
            1,
            params["operationId"],
        )
        state.add_alias(pending)
    return state


def _replay(case: Case) -> requests.Response:
    example = load_json(case.example)
    params: dict[str, Any] = example["parameters"]
    body_name = body_parameter(case) if case.spec is not None else None
    body = params.get(body_name) if body_name else None
    method, template = _route(case)
    path = template
    for name, value in params.items():
        path = path.replace("{" + name + "}", quote(str(value), safe=""))
    with run_emulator(state=_seed(case, params, body, unquote(path)), retry_after=0, polls=0) as emu:
        http = Http(emu)
        answers = [http.call(method, path, params["api-version"], json=body) for _ in case.statuses]
        http.session.close()
    return answers[-1]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def shape_problems(expected: Any, actual: Any, renamed: dict[str, str], where: str = "$") -> list[str]:
    if expected is None:
        return []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {_json_type(actual)}"]
        problems: list[str] = []
        for key, value in expected.items():
            target = renamed.get(key, key)
            if value is None or key in OMITTED_FIELDS or f"{where}.{key}" in OMITTED_PATHS:
                continue
            if target not in actual:
                problems.append(f"{where}.{key}: missing")
            elif key in MAP_FIELDS:
                problems += [f"{where}.{key}: not a string map"] * (not isinstance(actual[target], dict))
            else:
                problems += shape_problems(value, actual[target], renamed, f"{where}.{key}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected an array, got {_json_type(actual)}"]
        return shape_problems(expected[0], actual[0], renamed, f"{where}[0]") if expected and actual else []
    if _json_type(expected) != _json_type(actual):
        return [f"{where}: expected {_json_type(expected)}, got {_json_type(actual)}"]
    return []


def _check_schema(case: Case, body: Any) -> None:
    status = SCHEMA_STATUS.get((case.operation_id, case.status), case.status)
    schema, unresolved = response_schema(case, status)
    assert all(any(known in ref for known in KNOWN_ABSENT_REFS) for ref in unresolved), unresolved
    if not schema:
        assert body is None, f"the spec declares no body for {status}"
        return
    if isinstance(schema.get("required"), list):
        schema["required"] = [name for name in schema["required"] if name not in RELAXED_REQUIRED]
    jsonschema.Draft4Validator(schema).validate(body)


@pytest.mark.parametrize("case", _all_cases())
def test_example_replays_conform(case: Case) -> None:
    if case.operation_id not in IMPLEMENTED and case.operation_id not in UNSPECIFIED_ROUTES:
        pytest.skip(f"{case.operation_id} is not implemented by the emulator")
    skip_reason = SKIPPED_STATUSES.get((case.example.stem, case.status))
    if skip_reason:
        pytest.skip(skip_reason)
    answer = _replay(case)
    assert answer.status_code == int(case.status), answer.text
    assert answer.headers["x-ms-request-id"] and answer.headers["x-ms-correlation-request-id"]
    body = answer.json() if answer.content else None
    if case.spec is not None:
        _check_schema(case, body)
    expected = load_json(case.example)["responses"][case.status]
    for header in expected.get("headers", {}):
        assert header in answer.headers, f"missing header {header}"
    expected_body = expected.get("body")
    if isinstance(expected_body, list) and isinstance(body, dict):
        # GetLocations.json (a 2022-12-01 stand-in) shows a bare array; azure-mgmt-subscription 3.1.1
        # reads {"value": [...]}, as the 2016-06-01 spec says.
        body = body["value"]
    problems = shape_problems(expected_body, body, RENAMED_FIELDS.get(case.operation_id, {}))
    assert problems == []

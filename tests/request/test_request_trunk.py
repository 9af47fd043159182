"""``vending validate --trunk``: the trunk's config and state (facts, tombstones, networks), batches and policy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from request_support import Sandbox, edit_config, git, index_entry, seed_index
from testing.cli import Result
from testing.requests import BUDGET, DROP, GUID_A, GUID_B, MCA_SCOPE, prod_request, request_data


def validate(sandbox: Sandbox, *paths: Path, trunk: str | Path | None = None) -> Result:
    return sandbox.cli("validate", *paths, "--trunk", trunk if trunk is not None else sandbox.trunk)


def expect_rejected(sandbox: Sandbox, paths: list[Path], *expected: str) -> Result:
    """Exit 2, each expected text on stderr, and the trunk (seeded before) untouched."""
    before = sandbox.snapshot()
    result = validate(sandbox, *paths)
    assert result.code == 2, result
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    sandbox.assert_untouched(before)
    return result


def test_valid_request_against_new_trunk(sandbox: Sandbox) -> None:
    path = sandbox.write(request_data())
    result = validate(sandbox, path)
    assert (result.code, result.stdout) == (0, f"{path}: ok (app-dev)\n")
    assert result.stderr == "1 valid, 0 invalid\n"


def test_examples_are_valid_against_new_trunk(sandbox: Sandbox) -> None:
    examples = sorted((Path(__file__).parents[2] / "examples" / "requests").glob("*.yaml"))
    assert len(examples) >= 3
    result = validate(sandbox, *examples)
    assert result.code == 0, result.stderr


def test_environment_not_defined(sandbox: Sandbox) -> None:
    path = sandbox.write(request_data(environment="qa"))
    expect_rejected(
        sandbox, [path], f"{path}:4: environment: 'qa' is not defined in vending.yaml", "environments: dev, prod"
    )


# ---- overlaps with the trunk -------------------------------------------------------------------------------


def test_overlap_with_trunk(sandbox: Sandbox) -> None:
    seed_index(sandbox.trunk, "prod", {"payments": index_entry("Production", address_space=["10.1.0.0/16"])})
    path = sandbox.write(request_data(network={"addressSpace": ["10.2.0.0/24", "10.1.2.0/24"]}))
    expect_rejected(
        sandbox, [path], "network.addressSpace[1]: 10.1.2.0/24 overlaps 10.1.0.0/16 of subscription 'payments'"
    )


def test_enclosing_range_overlaps_several(sandbox: Sandbox) -> None:
    seed_index(
        sandbox.trunk,
        "dev",
        {
            "one": index_entry(address_space=["10.3.1.0/24"]),
            "two": index_entry(address_space=["10.3.9.0/24"]),
            "far": index_entry(address_space=["10.4.0.0/24"]),
        },
    )
    path = sandbox.write(request_data(network={"addressSpace": ["10.3.0.0/16"]}))
    result = expect_rejected(
        sandbox, [path], "overlaps 10.3.1.0/24 of subscription 'one'", "overlaps 10.3.9.0/24 of subscription 'two'"
    )
    assert "'far'" not in result.stderr


def test_adjacent_ranges_do_not_overlap(sandbox: Sandbox) -> None:
    seed_index(sandbox.trunk, "dev", {"one": index_entry(address_space=["10.3.0.0/24", "10.3.2.0/24"])})
    path = sandbox.write(request_data(network={"addressSpace": ["10.3.1.0/24", "10.3.3.0/24"]}))
    assert validate(sandbox, path).code == 0


def test_own_network_is_not_an_overlap(sandbox: Sandbox) -> None:
    seed_index(sandbox.trunk, "dev", {"app-dev": index_entry(address_space=["10.5.0.0/24"])})
    path = sandbox.write(request_data(displayName="Renamed", network={"addressSpace": ["10.5.0.0/24"]}))
    assert validate(sandbox, path).code == 0


# ---- names: tombstones, uniqueness, immutable fields ----------------------------------------------------------


def test_decommissioned_name_rejected(sandbox: Sandbox) -> None:
    seed_index(sandbox.trunk, "dev", {}, {"app-dev": {"decommissionedAt": "2026-01-01", "reason": "gone"}})
    path = sandbox.write(request_data())
    expect_rejected(
        sandbox, [path], f"{path}:2: name: 'app-dev' was decommissioned from environment 'dev'", "choose another"
    )


def test_decommissioned_in_other_environment_rejected(sandbox: Sandbox) -> None:
    seed_index(sandbox.trunk, "prod", {}, {"app-dev": {}})
    expect_rejected(sandbox, [sandbox.write(request_data())], "decommissioned from environment 'prod'")


@pytest.mark.parametrize(
    ("entry", "environment", "changes", "field"),
    [
        (index_entry(billing_scope=MCA_SCOPE), "dev", {}, "billingScope"),
        (index_entry("Production"), "dev", {"workload": "DevTest"}, "workload"),
        (
            index_entry(billing_scope=None, subscription_id=GUID_A),
            "dev",
            {"billingScope": None, "subscriptionId": GUID_B},
            "subscriptionId",
        ),
        (index_entry(billing_scope=None, subscription_id=GUID_A), "dev", {}, "subscriptionId"),
        (index_entry("DevTest"), "prod", {}, "environment"),
    ],
)
def test_immutable_field_changes_rejected(
    sandbox: Sandbox, entry: dict[str, Any], environment: str, changes: dict[str, Any], field: str
) -> None:
    seed_index(sandbox.trunk, environment, {"app-dev": entry})
    data = request_data(**changes)
    data = {key: value for key, value in data.items() if value is not None}
    path = sandbox.write(data)
    result = expect_rejected(
        sandbox, [path], f": {field}: cannot change from", "immutable once the subscription is in the trunk"
    )
    assert result.stdout == ""


def test_same_name_in_prod_but_request_says_dev(sandbox: Sandbox) -> None:
    seed_index(sandbox.trunk, "prod", {"app-dev": index_entry("Production")})
    path = sandbox.write(request_data(workload="Production"))
    expect_rejected(sandbox, [path], f"{path}:4: environment: cannot change from 'prod' to 'dev'")


def test_mutable_fields_change_in_place(sandbox: Sandbox) -> None:
    seed_index(sandbox.trunk, "dev", {"app-dev": index_entry()})
    data = request_data(
        displayName="New name",
        tags={"owner": "x"},
        managementGroup="mg-online",
        owners=[{"principalId": GUID_B, "principalType": "User"}],
        budget=BUDGET,
        resourceProviders=["Microsoft.KeyVault"],
    )
    assert validate(sandbox, sandbox.write(data)).code == 0


def test_workload_default_matches_existing(sandbox: Sandbox) -> None:
    seed_index(sandbox.trunk, "dev", {"app-dev": index_entry("DevTest")})
    assert validate(sandbox, sandbox.write(request_data())).code == 0


def test_damaged_facts_are_an_input_error(sandbox: Sandbox) -> None:
    facts = sandbox.trunk / "subscriptions" / "dev" / "app-dev" / "facts.json"
    facts.parent.mkdir(parents=True)
    facts.write_text("{not json", encoding="utf-8")
    git(sandbox.trunk, "add", "-A")
    git(sandbox.trunk, "commit", "-qm", "damage")
    before = sandbox.snapshot()
    result = validate(sandbox, sandbox.write(request_data()))
    assert result.code == 2
    assert "subscriptions/dev/app-dev/facts.json: cannot read the trunk's facts" in result.stderr
    sandbox.assert_untouched((before[0], before[1] | {"app-dev.yaml"}))


def test_subscription_without_facts_is_an_input_error(sandbox: Sandbox) -> None:
    folder = sandbox.trunk / "subscriptions" / "prod" / "app-dev"
    folder.mkdir(parents=True)
    (folder / "request.yaml").write_text("name: app-dev\n", encoding="utf-8")
    git(sandbox.trunk, "add", "-A")
    git(sandbox.trunk, "commit", "-qm", "a folder without facts")
    result = validate(sandbox, sandbox.write(request_data()))
    assert result.code == 2
    assert "subscriptions/prod/app-dev/facts.json: cannot read the trunk's facts (missing" in result.stderr


def test_trunk_in_the_0x_layout_is_refused_with_the_migration(sandbox: Sandbox) -> None:
    legacy = {"schemaVersion": 1, "subscriptions": {}, "decommissioned": {}}
    (sandbox.trunk / "subscriptions" / "dev" / "index.json").write_text(json.dumps(legacy), encoding="utf-8")
    git(sandbox.trunk, "add", "-A")
    git(sandbox.trunk, "commit", "-qm", "0.x index")
    before = sandbox.snapshot()
    result = validate(sandbox, sandbox.write(request_data()))
    assert result.code == 2
    assert "subscriptions/dev/index.json: the trunk is in the 0.x layout" in result.stderr
    assert "vending check --trunk <working tree> --fix" in result.stderr
    sandbox.assert_untouched((before[0], before[1] | {"app-dev.yaml"}))


# ---- batches ---------------------------------------------------------------------------------------------------


def test_same_name_twice_in_one_batch(sandbox: Sandbox) -> None:
    first = sandbox.write(request_data(), "first.yaml")
    second = sandbox.write(request_data(displayName="Other"), "second.yaml")
    result = expect_rejected(sandbox, [first, second], f"{second}:2: name: 'app-dev' is also requested by {first}")
    assert f"{first}:2: name: 'app-dev' is also" not in result.stderr


def test_overlapping_networks_in_one_batch(sandbox: Sandbox) -> None:
    one = sandbox.write(request_data(name="app-one", network={"addressSpace": ["10.7.0.0/16"]}))
    two = sandbox.write(request_data(name="app-two", network={"addressSpace": ["10.8.0.0/24", "10.7.3.0/24"]}))
    three = sandbox.write(request_data(name="app-three", network={"addressSpace": ["10.9.0.0/24"]}))
    result = expect_rejected(
        sandbox,
        [one, two, three],
        f"network.addressSpace: 10.7.0.0/16 overlaps 10.7.3.0/24 requested by {two}",
        f"network.addressSpace: 10.7.3.0/24 overlaps 10.7.0.0/16 requested by {one}",
    )
    assert f"{three}: ok (app-three)" in result.stdout
    assert "1 valid, 2 invalid" in result.stderr


def test_distinct_batch_is_valid(sandbox: Sandbox) -> None:
    paths = [
        sandbox.write(request_data(name=f"app-{i}", network={"addressSpace": [f"10.{i}.0.0/16"]})) for i in range(5)
    ]
    result = validate(sandbox, *paths)
    assert result.code == 0
    assert result.stdout.count(": ok (") == 5


# ---- environment policy ---------------------------------------------------------------------------------------


def test_prod_requires_budget_by_default(sandbox: Sandbox) -> None:
    path = sandbox.write(prod_request(budget=DROP))
    expect_rejected(sandbox, [path], f"{path}: budget: environment 'prod' requires a budget")
    assert validate(sandbox, sandbox.write(prod_request())).code == 0


def test_dev_does_not_require_budget(sandbox: Sandbox) -> None:
    assert validate(sandbox, sandbox.write(request_data())).code == 0


def test_allow_lists(sandbox: Sandbox) -> None:
    edit_config(sandbox.trunk, "dev", managementGroups=["mg-corp-dev", "mg-sandbox"], locations=["westeurope"])
    bad = sandbox.write(request_data(managementGroup="mg-online", location="eastus"))
    expect_rejected(
        sandbox,
        [bad],
        f"{bad}:6: managementGroup: 'mg-online' is not allowed in environment 'dev' (allowed: mg-corp-dev, mg-sandbox)",
        f"{bad}:7: location: 'eastus' is not allowed",
    )
    good = sandbox.write(request_data(name="app-ok", managementGroup="mg-sandbox"))
    assert validate(sandbox, good).code == 0


def test_required_tags(sandbox: Sandbox) -> None:
    edit_config(sandbox.trunk, "dev", requiredTags=["costCenter", "owner"])
    path = sandbox.write(request_data(tags={"costCenter": "1"}))
    expect_rejected(sandbox, [path], "tags: environment 'dev' requires tags: owner")
    path = sandbox.write(request_data(tags={"costCenter": "1", "owner": "me"}))
    assert validate(sandbox, path).code == 0


def test_hub_peering_needs_a_hub(sandbox: Sandbox) -> None:
    path = sandbox.write(request_data(network={"addressSpace": ["10.1.0.0/24"], "hubPeering": True}))
    expect_rejected(sandbox, [path], "network.hubPeering: environment 'dev' has no hubNetworkId")

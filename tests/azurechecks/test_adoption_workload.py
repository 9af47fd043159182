"""An adopted subscription keeps its offer: the Azure checks read its quota id, refuse a request whose workload
(its own or its environment's) differs, and the trunk records the subscription as adopted with that workload."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from azure_checks_support import adopt_request, make_request
from test_azure_checks_emulator import check, only_finding
from testing.cli import Result, run_cli
from testing.requests import DROP, request_data, write_request
from testing.trunks import make_trunk

from vending.emulator import Emulator
from vending.emulator.data import PLATFORM_SUBSCRIPTION_ID

ADOPT = {"billingScope": DROP, "subscriptionId": PLATFORM_SUBSCRIPTION_ID, "displayName": "Platform Management"}


def submit(emu: Emulator, remote: Path, request: Path) -> Result:
    args = ["submit", request, "--trunk", remote, "--as", "@example/platform-dev"]
    return run_cli(*args, "--arm-endpoint", emu.endpoint, "--ca-bundle", emu.ca_bundle)


def test_a_workload_other_than_the_offer_is_refused(emu: Emulator) -> None:
    finding = only_finding(check(emu, adopt_request("adopted-app", PLATFORM_SUBSCRIPTION_ID, workload="DevTest")))
    assert finding.field == "workload"
    assert "is a Production subscription" in finding.message
    assert "set 'workload: Production'" in finding.message


def test_a_new_request_is_not_judged_by_an_offer(emu: Emulator) -> None:
    assert check(emu, make_request("brand-new", workload="DevTest")).passed


def test_the_environment_default_is_what_is_compared(emu: Emulator, tmp_path: Path) -> None:
    remote = make_trunk(tmp_path)
    request = write_request(tmp_path / "requests", request_data("adopted-app", **ADOPT))
    result = submit(emu, remote, request)
    assert result.code == 3, result.stdout + result.stderr
    assert "is a Production subscription" in result.stderr


def test_an_adopted_subscription_is_recorded_as_adopted_with_its_real_workload(emu: Emulator, tmp_path: Path) -> None:
    remote = make_trunk(tmp_path)
    request = write_request(tmp_path / "requests", request_data("adopted-app", workload="Production", **ADOPT))
    result = submit(emu, remote, request)
    assert result.code == 0, result.stdout + result.stderr
    facts = subprocess.run(
        ["git", "show", "main:subscriptions/dev/adopted-app/facts.json"],
        cwd=remote,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    recorded = json.loads(facts)
    assert recorded["adopted"] is True
    assert recorded["workload"] == "Production"
    assert recorded["subscriptionId"] == PLATFORM_SUBSCRIPTION_ID

"""Hostile or broken ARM answers end in exit 3 with a message naming the endpoint: the real SDK adapter
against the emulator in each fault mode, with small timeouts so every test ends quickly."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click
import pytest
from azure.core.utils import CaseInsensitiveDict
from testing.cli import run_cli
from testing.requests import request_data, write_request

from vending.azure import AzureSettings, run_azure_checks
from vending.azure.pacing import Deadline, DeadlineRetryPolicy
from vending.azure.translate import translated
from vending.emulator import Emulator, run_emulator
from vending.emulator.command import parse_faults
from vending.emulator.data import EA_SCOPE
from vending.errors import AzureCheckError
from vending.request.model import Request

REQUEST = request_data(
    "app-one",
    displayName="Display app-one",
    billingScope=EA_SCOPE,
    managementGroup="mg-online",
    requestedBy="dev@example.com",
)


def _settings(emu: Emulator, **overrides: Any) -> AzureSettings:
    options: dict[str, Any] = {"retry_total": 1, "read_timeout": 2.0, "timeout": 20.0, **overrides}
    return AzureSettings(arm_endpoint=emu.endpoint, ca_bundle=emu.ca_bundle, credential="static-test", **options)


def _check(emu: Emulator, **overrides: Any) -> AzureCheckError:
    items = [("requests/app-one.yaml", Request.model_validate(REQUEST))]
    with pytest.raises(AzureCheckError) as caught:
        run_azure_checks(items, _settings(emu, **overrides))
    assert caught.value.exit_code == 3
    assert emu.endpoint in caught.value.message
    return caught.value


@pytest.mark.parametrize("kind", ["html", "garbled", "deep-json"])
def test_an_unreadable_answer_is_exit_3_naming_the_endpoint(kind: str) -> None:
    with run_emulator(faults=((kind, 1.0),), seed=1) as emu:
        error = _check(emu)
    assert "gave an answer to" in error.message
    assert "not what ARM sends" in error.message


def test_a_deeply_nested_answer_is_named_as_such() -> None:
    with run_emulator(faults=(("deep-json", 1.0),), seed=1) as emu:
        error = _check(emu)
    assert "nested too deeply" in error.message


def test_a_stalled_read_gives_up_after_the_read_timeout() -> None:
    with run_emulator(faults=(("stall", 1.0),), stall_seconds=30, seed=1) as emu:
        error = _check(emu, read_timeout=0.3, timeout=60.0)
    assert "kept failing" in error.message or "did not finish" in error.message


def test_the_overall_deadline_bounds_the_azure_phase() -> None:
    with run_emulator(faults=(("stall", 1.0),), stall_seconds=30, seed=1) as emu:
        error = _check(emu, read_timeout=60.0, timeout=0.5, retry_total=10)
    assert "did not finish within 0.5 seconds" in error.message
    assert "--azure-timeout" in error.message


def test_a_token_refused_mid_run_is_an_authentication_error() -> None:
    with run_emulator(unauthorized_after=1, seed=1) as emu:
        error = _check(emu)
    assert error.message.startswith("cannot authenticate to Azure")


def test_an_endless_next_link_chain_is_stopped() -> None:
    with run_emulator(faults=(("endless-pages", 1.0),), seed=1) as emu:
        error = _check(emu, max_pages=5)
    assert "ran past 5 pages" in error.message


def test_a_repeated_next_link_is_stopped() -> None:
    with run_emulator(faults=(("loop-pages", 1.0),), seed=1) as emu:
        error = _check(emu)
    assert "repeated a nextLink" in error.message


def test_the_cli_exits_3_on_an_html_answer_and_prints_the_message(tmp_path: Path) -> None:
    request = write_request(tmp_path, REQUEST)
    with run_emulator(faults=(("html", 1.0),), seed=1) as emu:
        result = run_cli("validate", "--azure", "--arm-endpoint", emu.endpoint, "--ca-bundle", emu.ca_bundle, request)
    assert result.code == 3, result.stderr
    assert "not what ARM sends" in result.stderr
    assert emu.endpoint in result.stderr


def test_the_cli_exits_3_when_the_azure_timeout_passes(tmp_path: Path) -> None:
    request = write_request(tmp_path, REQUEST)
    with run_emulator(faults=(("stall", 1.0),), stall_seconds=30, seed=1) as emu:
        result = run_cli(
            "--output",
            "json",
            "validate",
            "--azure",
            "--azure-timeout",
            "0.5",
            "--arm-endpoint",
            emu.endpoint,
            "--ca-bundle",
            emu.ca_bundle,
            request,
        )
    assert result.code == 3, result.stderr
    assert "did not finish within 0.5 seconds" in result.json()["error"]


@pytest.mark.parametrize(
    "failure",
    [
        ValueError("Expecting value: line 1 column 1 (char 0)"),
        UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
        RecursionError("maximum recursion depth exceeded"),
        TypeError("'NoneType' object is not iterable"),
        KeyError("value"),
        AttributeError("'str' object has no attribute 'get'"),
    ],
)
def test_every_non_azure_failure_of_the_sdk_maps_to_exit_3(failure: Exception) -> None:
    with pytest.raises(AzureCheckError) as caught, translated("subscriptions.list", "https://arm.example"):
        raise failure
    assert "https://arm.example" in caught.value.message
    assert "subscriptions.list" in caught.value.message
    assert "not what ARM sends" in caught.value.message


def test_the_deadline_refuses_once_its_time_is_spent() -> None:
    now = [100.0]
    deadline = Deadline(5, "https://arm.example", clock=lambda: now[0])
    assert deadline.check() == 5
    now[0] = 105.0
    with pytest.raises(AzureCheckError, match="within 5 seconds"):
        deadline.check()


@pytest.mark.parametrize(
    ("values", "faults", "after"),
    [
        (("stall",), (("stall", 1.0),), None),
        (("html:0.25", "500:0.5"), (("html", 0.25), ("500", 0.5)), None),
        (("unauthorized-after:3", "endless-pages"), (("endless-pages", 1.0),), 3),
    ],
)
def test_fault_options_parse(values: tuple[str, ...], faults: tuple[tuple[str, float], ...], after: int | None) -> None:
    assert parse_faults(values) == (faults, after)


@pytest.mark.parametrize("value", ["bogus", "html:2", "html:x", "unauthorized-after:x", "unauthorized-after"])
def test_bad_fault_options_are_refused(value: str) -> None:
    with pytest.raises(click.BadParameter, match=r"rate|unknown|unauthorized-after:N"):
        parse_faults((value,))
    result = run_cli("emulator", "--fault", value)
    assert result.code == 2
    assert "--fault" in result.stderr


def test_vending_emulator_fault_option_reaches_the_served_answers(tmp_path: Path) -> None:
    info_file = tmp_path / "emulator.json"
    command = [sys.executable, "-m", "vending.emulator", "--info-file", str(info_file), "--fault", "garbled"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            if info_file.exists() or process.poll() is not None:
                break
            time.sleep(0.05)
        info = json.loads(info_file.read_text(encoding="utf-8"))
        request = write_request(tmp_path, REQUEST)
        result = run_cli(
            "validate", "--azure", "--arm-endpoint", info["endpoint"], "--ca-bundle", info["ca_bundle"], request
        )
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert result.code == 3, result.stderr
    assert "not what ARM sends" in result.stderr


def test_a_retry_after_longer_than_the_time_left_ends_the_run_at_once() -> None:
    with run_emulator(faults=(("503", 1.0),), retry_after=30, seed=1) as emu:
        error = _check(emu, timeout=2.0, retry_total=5)
        served = emu.stats.faults
    assert "did not finish within 2 seconds" in error.message
    assert sum(served.values()) <= 8  # one 503 per read in flight, no retry after it


class _Transport:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.mark.parametrize(("retry_after", "gives_up"), [("30", True), ("1", False)])
def test_the_retry_policy_does_not_wait_past_the_deadline(retry_after: str, gives_up: bool) -> None:
    now = [0.0]
    policy = DeadlineRetryPolicy(Deadline(5, "https://arm.example", clock=lambda: now[0]), retry_backoff_factor=0)
    response = SimpleNamespace(http_response=SimpleNamespace(headers=CaseInsensitiveDict({"Retry-After": retry_after})))
    transport = _Transport()
    settings = policy.configure_retries({})
    if gives_up:
        with pytest.raises(AzureCheckError, match="within 5 seconds"):
            policy.sleep(settings, transport, response)
        assert transport.slept == []
    else:
        policy.sleep(settings, transport, response)
        assert transport.slept == [1.0]

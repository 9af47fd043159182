"""``python -m vending.emulator`` as a process: info file, one SDK call, clean SIGTERM exit."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from azure.mgmt.subscription import SubscriptionClient
from emulator_support import StaticCredential

from vending.emulator.data import TENANT_ID


def wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 30) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return dict(json.loads(path.read_text(encoding="utf-8")))
        if process.poll() is not None:
            pytest.fail(f"emulator exited early: {process.communicate()}")
        time.sleep(0.05)
    pytest.fail("the info file never appeared")


def start(*args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "vending.emulator", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_info_file_sdk_call_and_sigterm(tmp_path: Path) -> None:
    info_file = tmp_path / "emulator.json"
    process = start("--port", "0", "--info-file", str(info_file), "--seed", "1")
    try:
        info = wait_for(info_file, process)
        assert set(info) == {"endpoint", "ca_bundle"}
        assert info["endpoint"].startswith("https://127.0.0.1:")
        assert Path(info["ca_bundle"]).is_absolute()
        client = SubscriptionClient(StaticCredential(), base_url=info["endpoint"], connection_verify=info["ca_bundle"])
        assert [tenant.tenant_id for tenant in client.tenants.list()] == [TENANT_ID]
        client.close()
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, _stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert json.loads(stdout.splitlines()[0]) == info
    assert not info_file.exists()
    assert not Path(info["ca_bundle"]).exists()


def test_bad_state_file_is_a_usage_error(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text('{"subscriptions": [{"displayName": "no id"}]}', encoding="utf-8")
    process = start("--state", str(state_file))
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "invalid state file" in stderr
    assert "subscriptionId" in stderr


def test_state_file_is_served(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    document = {
        "base": "empty",
        "subscriptions": [{"subscriptionId": "1" * 8 + "-1111-1111-1111-" + "1" * 12, "displayName": "Only One"}],
    }
    state_file.write_text(json.dumps(document), encoding="utf-8")
    info_file = tmp_path / "info.json"
    process = start("--info-file", str(info_file), "--state", str(state_file), "--ca-dir", str(tmp_path / "ca"))
    try:
        info = wait_for(info_file, process)
        assert Path(info["ca_bundle"]) == (tmp_path / "ca" / "ca.pem").resolve()
        client = SubscriptionClient(StaticCredential(), base_url=info["endpoint"], connection_verify=info["ca_bundle"])
        assert [sub.display_name for sub in client.subscriptions.list()] == ["Only One"]
        client.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    assert process.returncode == 0

"""One URL truth: an ARM endpoint is accepted only when urllib.parse and urllib3 (what requests and
azure-core connect by) read it alike, and loopback is decided on the host the HTTP stack connects to."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from testing.cli import run_cli
from testing.requests import request_data, write_request
from urllib3.util import parse_url

from vending.azure import settings_from_env
from vending.azure.endpoint import connect_host, parse_endpoint, path_segment
from vending.azure.settings import AzureSettings
from vending.errors import InputError
from vending.request.model import Request

# Strings whose host, port or userinfo the two parsers read differently, or that smuggle a second
# authority past one of them. Each must be refused; none may reach a credential.
DIFFERENTIAL = [
    "https://127.0.0.1\\@evil.example",
    "https://evil.example\\@127.0.0.1",
    "https://user:pw@127.0.0.1",
    "https://127.0.0.1:8443@evil.example",
    "https://127.0.0.1#@evil.example",
    "https://127.0.0.1?@evil.example",
    "https://127.0.0.1 @evil.example",
    "https://127.0.0.1%2F@evil.example",
    "https://[::1%25eth0]",
    "https://127.0.0.1\t",
    " https://127.0.0.1",
    "https://127.0.0.1\r\nHost: evil.example",
    "https://127.0.0.1\x00.evil.example",
    "https:\\\\127.0.0.1",
    "https:/127.0.0.1",
    "https://127.0.0.1;evil.example",
    "https://127.0.0.1,evil.example",
    "https://127.1",
    "https://0x7f000001",
    "https://2130706433",
    "https://017700000001",
    "https://127.0.0.1:99999",
    "https://127.0.0.1:0",
    "https://127.0.0.1:+80",
    "https://127.0.0.\u0661",
    "https://ｌｏｃａｌｈｏｓｔ",
    "http://127.0.0.1",
    "https://127.0.0.1/path",
    "https://127.0.0.1/?x=1",
    "https://",
]
PLAIN = [
    ("https://127.0.0.1:8443", "https://127.0.0.1:8443", True),
    ("https://localhost/", "https://localhost", True),
    ("HTTPS://LOCALHOST:1", "https://localhost:1", True),
    ("https://[::1]:8443", "https://[::1]:8443", True),
    ("https://management.azure.com", "https://management.azure.com", False),
    ("https://127.0.0.1.evil.example", "https://127.0.0.1.evil.example", False),
]


@pytest.mark.parametrize("url", DIFFERENTIAL)
def test_differential_endpoints_are_refused_naming_the_option(url: str) -> None:
    with pytest.raises(InputError, match="--arm-endpoint / VENDING_ARM_ENDPOINT"):
        settings_from_env({}, url, None)
    with pytest.raises(InputError):
        AzureSettings(arm_endpoint=url, credential="static-test")


@pytest.mark.parametrize(("url", "canonical", "loopback"), PLAIN)
def test_plain_endpoints_are_rebuilt_from_the_host_both_parsers_read(url: str, canonical: str, loopback: bool) -> None:
    endpoint = parse_endpoint(url)
    assert endpoint.url == canonical
    assert endpoint.is_loopback is loopback
    assert urlsplit(endpoint.url).hostname == (parse_url(endpoint.url).host or "").strip("[]")
    settings = settings_from_env({}, url, None)
    assert settings.arm_endpoint == canonical
    assert (settings.credential == "static-test") is loopback


def test_the_backslash_endpoint_that_fooled_the_fence_never_gets_the_static_token() -> None:
    url = "https://127.0.0.1\\@evil.example"
    assert urlsplit(url).hostname == "evil.example"
    assert parse_url(url).host == "127.0.0.1"
    assert connect_host(url) == ""
    assert connect_host(url + "/providers?api-version=1") == ""
    assert connect_host("https://[::1]:8443/x/.default") == "::1"


def test_the_cli_refuses_a_differential_endpoint_with_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    request = write_request(tmp_path, request_data())
    before = sorted(tmp_path.rglob("*"))
    result = run_cli("validate", "--azure", "--arm-endpoint", "https://evil.example\\@127.0.0.1", request)
    assert result.code == 2, result.stderr
    assert "--arm-endpoint / VENDING_ARM_ENDPOINT" in result.stderr
    assert "backslash" in result.stderr
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize("value", ["..", ".", "...", "group.", "a/b", "a%2Fb", "a?b", "a#b", "", "a\\b"])
def test_path_segments_that_a_url_library_would_normalise_are_refused(value: str) -> None:
    with pytest.raises(InputError, match="cannot be part of an Azure Resource Manager URL"):
        path_segment(value, "management group")


@pytest.mark.parametrize("value", ["(a).b_c-d", "a..b", "Group", "20000000-0001-0000-0000-000000000000"])
def test_ordinary_path_segments_pass_unchanged(value: str) -> None:
    assert path_segment(value, "management group") == value


@pytest.mark.parametrize("group", ["..", ".", "mg-landingzones."])
def test_a_management_group_ending_with_a_period_is_refused_at_validation(tmp_path: Path, group: str) -> None:
    request = write_request(tmp_path, request_data(managementGroup=group))
    result = run_cli("validate", request)
    assert result.code == 2
    assert "managementGroup" in result.stderr
    assert "must not end with a period" in result.stderr
    with pytest.raises(ValueError, match="period"):
        Request.model_validate(request_data(managementGroup=group))

"""The emulator's REST surface over raw HTTPS: envelopes, headers, validation, concurrency, faults."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from emulator_support import Http

from vending.emulator import BucketLimit, Emulator, ThrottleLimits, run_emulator
from vending.emulator.data import EA_SCOPE, MCA_SCOPE, PLATFORM_SUBSCRIPTION_ID

RES = "2016-06-01"
SUBAPI = "2021-10-01"
MGAPI = "2023-04-01"
TAGS_PATH = f"/subscriptions/{PLATFORM_SUBSCRIPTION_ID}/providers/Microsoft.Resources/tags/default"


def error_of(response: requests.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) >= {"code", "message"}
    return dict(body["error"])


def alias_body(**properties: Any) -> dict[str, Any]:
    base = {"displayName": "App", "workload": "Production", "billingScope": EA_SCOPE}
    return {"properties": {**base, **properties}}


def test_missing_authorization_is_401(emu: Emulator) -> None:
    response = Http(emu, token=None).call("GET", "/subscriptions", RES)
    assert response.status_code == 401
    assert error_of(response)["code"] == "AuthenticationFailed"
    assert response.headers["x-ms-request-id"]


def test_non_bearer_authorization_is_401(emu: Emulator) -> None:
    client = Http(emu, token=None)
    response = client.call("GET", "/tenants", RES, headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert response.status_code == 401
    assert error_of(response)["code"] == "InvalidAuthenticationToken"


def test_arm_headers_and_correlation_echo(http: Http) -> None:
    response = http.call("GET", "/tenants", RES, headers={"x-ms-client-request-id": "client-123"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["x-ms-correlation-request-id"] == "client-123"
    assert response.headers["x-ms-client-request-id"] == "client-123"
    assert response.headers["x-ms-request-id"]
    assert int(response.headers["x-ms-ratelimit-remaining-tenant-reads"]) > 0
    put = http.call("PUT", "/providers/Microsoft.Subscription/aliases/x", SUBAPI, json=alias_body())
    assert "x-ms-ratelimit-remaining-tenant-writes" in put.headers


@pytest.mark.parametrize(
    ("params", "code"),
    [({}, "MissingApiVersionParameter"), ({"api-version": "2099-01-01"}, "InvalidApiVersionParameter")],
)
def test_api_version_is_required_and_checked(http: Http, params: dict[str, str], code: str) -> None:
    response = http.call("GET", "/subscriptions", params=params)
    assert response.status_code == 400
    assert error_of(response)["code"] == code


def test_unknown_route_is_404_envelope(http: Http) -> None:
    response = http.call("GET", "/providers/Microsoft.Nothing/things", RES)
    assert response.status_code == 404
    assert error_of(response)["code"] == "NotFound"


def test_next_link_is_absolute_on_own_host(emu: Emulator, http: Http) -> None:
    emu.state.seed_subscriptions(60)
    first = http.call("GET", "/subscriptions", RES).json()
    assert len(first["value"]) == 50
    assert first["nextLink"].startswith(emu.endpoint + "/subscriptions?")
    second = http.session.get(first["nextLink"], timeout=30).json()
    assert len(second["value"]) == 12
    assert "nextLink" not in second


@pytest.mark.parametrize(
    ("properties", "status", "code"),
    [
        ({"displayName": None}, 400, "MissingParameter"),
        ({"workload": None}, 400, "MissingParameter"),
        ({"workload": "Gaming"}, 400, "InvalidParameter"),
        ({"displayName": "a<b"}, 400, "InvalidParameter"),
        ({"billingScope": EA_SCOPE.replace("7654321", "1111111")}, 401, "UserNotAuthorized"),
        ({"billingScope": MCA_SCOPE.replace("is1", "is9")}, 403, "UserNotAuthorized"),
    ],
)
def test_alias_put_validation(http: Http, properties: dict[str, Any], status: int, code: str) -> None:
    body = alias_body(**properties)
    body["properties"] = {key: value for key, value in body["properties"].items() if value is not None}
    response = http.call("PUT", "/providers/Microsoft.Subscription/aliases/bad", SUBAPI, json=body)
    assert (response.status_code, error_of(response)["code"]) == (status, code)
    assert http.call("GET", "/providers/Microsoft.Subscription/aliases/bad", SUBAPI).status_code == 404


def test_alias_unknown_management_group_is_403(http: Http) -> None:
    body = alias_body(additionalProperties={"managementGroupId": "mg-nope"})
    response = http.call("PUT", "/providers/Microsoft.Subscription/aliases/a", SUBAPI, json=body)
    assert response.status_code == 403
    assert error_of(response)["code"] == "AuthorizationFailed"


def test_alias_lifecycle_with_location_header() -> None:
    with run_emulator(polling="location", polls=1, retry_after=0) as emu:
        http = Http(emu)
        created = http.call("PUT", "/providers/Microsoft.Subscription/aliases/app", SUBAPI, json=alias_body())
        assert created.status_code == 201
        assert created.json()["properties"]["provisioningState"] == "Accepted"
        location = created.headers["Location"]
        assert location.startswith(emu.endpoint + "/providers/Microsoft.Subscription/subscriptionOperations/")
        assert created.headers["Retry-After"] == "0"
        pending = http.session.get(location, timeout=30)
        assert pending.status_code == 202
        assert pending.headers["Location"] == location
        done = http.session.get(location, timeout=30)
        subscription_id = created.json()["properties"]["subscriptionId"]
        assert (done.status_code, done.json()) == (
            200,
            {"subscriptionLink": f"/subscriptions/{subscription_id}"},
        )


def test_alias_delete_statuses(http: Http) -> None:
    path = "/providers/Microsoft.Subscription/aliases/platform-management"
    assert http.call("DELETE", path, SUBAPI).status_code == 200
    assert http.call("DELETE", path, SUBAPI).status_code == 204


def test_tags_put_patch_get(http: Http) -> None:
    assert http.call("PUT", TAGS_PATH, "2021-04-01", json={"properties": {"tags": {"a": "1"}}}).ok
    merged = http.call(
        "PATCH", TAGS_PATH, "2021-04-01", json={"operation": "Merge", "properties": {"tags": {"b": "2"}}}
    )
    assert merged.json()["properties"]["tags"] == {"a": "1", "b": "2"}
    http.call("PATCH", TAGS_PATH, "2021-04-01", json={"operation": "Delete", "properties": {"tags": {"a": "1"}}})
    assert http.call("GET", TAGS_PATH, "2021-04-01").json()["properties"]["tags"] == {"b": "2"}
    bad = http.call("PUT", TAGS_PATH, "2021-04-01", json={"properties": {"tags": {"a/b": "1"}}})
    assert (bad.status_code, error_of(bad)["code"]) == (400, "InvalidTagNameCharacters")


def test_provider_registration_settles_after_polls(http: Http) -> None:
    path = f"/subscriptions/{PLATFORM_SUBSCRIPTION_ID}/providers/Microsoft.ContainerService"
    assert http.call("GET", path, "2021-04-01").json()["registrationState"] == "NotRegistered"
    assert http.call("POST", path + "/register", "2021-04-01").json()["registrationState"] == "Registering"
    states = [http.call("GET", path, "2021-04-01").json()["registrationState"] for _ in range(3)]
    assert states == ["Registering", "Registering", "Registered"]


def test_writes_to_disabled_subscription_are_refused(http: Http) -> None:
    path = "/subscriptions/00000000-0000-0000-0000-0000000000bb/providers/Microsoft.Resources/tags/default"
    response = http.call("PUT", path, "2021-04-01", json={"properties": {"tags": {}}})
    assert (response.status_code, error_of(response)["code"]) == (409, "ReadOnlyDisabledSubscription")


def test_management_group_subscription_moves(http: Http) -> None:
    group = "/providers/Microsoft.Management/managementGroups/mg-sandbox"
    base = f"{group}/subscriptions/{PLATFORM_SUBSCRIPTION_ID}"
    assert http.call("GET", base, MGAPI).status_code == 404
    moved = http.call("PUT", base, MGAPI)
    assert moved.json()["properties"]["parent"]["id"].endswith("/mg-sandbox")
    listed = http.call("GET", "/providers/Microsoft.Management/managementGroups/mg-sandbox/subscriptions", MGAPI)
    assert [item["name"] for item in listed.json()["value"]] == [PLATFORM_SUBSCRIPTION_ID]
    assert http.call("DELETE", base, MGAPI).status_code == 200
    assert http.call("DELETE", base, MGAPI).status_code == 204


def test_throttle_answers_429_with_retry_after() -> None:
    limits = ThrottleLimits(reads=BucketLimit(capacity=3, refill_per_second=0.5))
    with run_emulator(throttle=True, limits=limits) as emu:
        http = Http(emu)
        responses = [http.call("GET", "/tenants", RES) for _ in range(5)]
        assert [response.status_code for response in responses] == [200, 200, 200, 429, 429]
        throttled = responses[-1]
        assert int(throttled.headers["Retry-After"]) >= 1
        assert throttled.headers["x-ms-ratelimit-remaining-tenant-reads"] == "0"
        assert error_of(throttled)["code"] == "TenantRequestsThrottled"
        other = Http(emu, token="another-principal").call("GET", "/tenants", RES)
        assert other.status_code == 200
        assert emu.stats.throttled == 2


def test_concurrent_clients(emu: Emulator) -> None:
    emu.state.seed_subscriptions(30)

    def one(index: int) -> int:
        client = Http(emu)
        try:
            if index % 3 == 0:
                path = f"/providers/Microsoft.Subscription/aliases/par-{index}"
                return client.call("PUT", path, SUBAPI, json=alias_body(displayName=f"P{index}")).status_code
            return client.call("GET", "/subscriptions", RES).status_code
        finally:
            client.session.close()

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(one, range(96)))
    assert statuses.count(201) == 32
    assert statuses.count(200) == 64
    assert len(emu.state.aliases) == 33


@pytest.mark.parametrize(("kind", "status"), [("500", 500), ("503", 503), ("429", 429)])
def test_injected_status_faults(kind: str, status: int) -> None:
    with run_emulator(fail_rate=1.0, fault_kinds=(kind,), retry_after=0) as emu:
        response = Http(emu).call("GET", "/tenants", RES)
        assert response.status_code == status
        assert error_of(response)["code"]
        assert emu.stats.faults[kind] == 1


def test_injected_reset_closes_without_answer() -> None:
    with run_emulator(fail_rate=1.0, fault_kinds=("reset",)) as emu:
        with pytest.raises(requests.ConnectionError):
            Http(emu).call("GET", "/tenants", RES)
        assert emu.stats.faults["reset"] == 1


def test_stop_leaves_no_threads_and_closes_port() -> None:
    before = {thread.ident for thread in threading.enumerate()}
    with run_emulator() as emu:
        http = Http(emu)
        assert http.call("GET", "/tenants", RES).ok  # leaves an idle keep-alive connection open
        endpoint, ca_bundle = emu.endpoint, emu.ca_bundle
    leftover = [thread for thread in threading.enumerate() if thread.ident not in before]
    assert leftover == []
    assert not ca_bundle.exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(endpoint + "/tenants", verify=False, timeout=5)
    http.session.close()


def test_resource_lists_follow_next_link() -> None:
    with run_emulator(retry_after=0, page_size=2) as emu:
        http = Http(emu)
        path = f"/subscriptions/{PLATFORM_SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions"
        names: list[str] = []
        url: str | None = emu.endpoint + path + "?api-version=2022-04-01"
        while url:
            body = http.session.get(url, timeout=30).json()
            assert len(body["value"]) <= 2
            names += [item["properties"]["roleName"] for item in body["value"]]
            url = body.get("nextLink")
            assert url is None or url.startswith(emu.endpoint + path + "?")
        assert {"Owner", "Contributor", "Reader", "User Access Administrator"} <= set(names)
        assert len(names) == len(set(names))
        filtered = http.call("GET", path, "2022-04-01", params={"$filter": "type eq 'BuiltInRole'"}).json()
        assert "%24filter=type%20eq%20%27BuiltInRole%27" in filtered["nextLink"]
        assert http.session.get(filtered["nextLink"], timeout=30).json()["value"]
        http.session.close()

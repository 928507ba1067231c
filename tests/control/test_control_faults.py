"""Fault and latency injection over HTTP: counts, probability, scoping, Retry-After, delays."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import basic
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.domain.store import Store
from mock_server.domain.tenants import fingerprint
from mock_server.settings import Settings

NO_AUTH = {"Authorization": ""}
ERROR_FIELDS = {"statusCode", "service", "error", "correlationId", "validation", "canBeRetried", "detailedErrorCode"}


def add(client: TestClient, headers: dict[str, str] | None = None, **rule: Any) -> dict[str, Any]:
    response = client.post("/_mock/faults", json=rule, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


class FakeSleep:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def faulty(store: Store, sleep: FakeSleep) -> Iterator[TestClient]:
    with TestClient(create_app(store=store, sleep=sleep), headers=basic("tenant-a")) as client:
        yield client


def test_a_counted_rule_answers_n_times_with_a_codat_error(faulty: TestClient) -> None:
    rule = add(faulty, operationId="list-companies", status=503, count=2)
    assert rule == {
        "id": "fault-1",
        "scope": "tenant",
        "tenant": fingerprint("tenant-a"),
        "operationId": "list-companies",
        "method": None,
        "path": None,
        "status": 503,
        "message": "The Codat API is temporarily offline for maintenance. Please try again later.",
        "retryAfter": "1",
        "delayMs": 0,
        "count": 2,
        "probability": 1.0,
        "applied": 0,
        "remaining": 2,
    }
    answers = [faulty.get("/companies") for _ in range(3)]
    assert [r.status_code for r in answers] == [503, 503, 200]
    body = answers[0].json()
    assert set(body) == ERROR_FIELDS and body["statusCode"] == 503 and body["service"] == "PublicApi"
    assert answers[0].headers["retry-after"] == "1"
    assert answers[0].json()["correlationId"] != answers[1].json()["correlationId"]
    listed = faulty.get("/_mock/faults").json()["rules"]
    assert (listed[0]["applied"], listed[0]["remaining"]) == (2, 0)


def test_a_faulted_write_changes_nothing(faulty: TestClient, store: Store) -> None:
    add(faulty, method="POST", path="/companies", status=500)
    response = faulty.post("/companies", json={"name": "Acme"})
    assert response.status_code == 500
    assert "retry-after" not in response.headers
    assert store.companies("tenant-a") == []


def test_retry_after_and_message_can_be_set(faulty: TestClient) -> None:
    add(faulty, operationId="get-integration", status=429, retryAfter=7, message="Slow down")
    response = faulty.get("/integrations/qhyg")
    assert (response.status_code, response.headers["retry-after"], response.json()["error"]) == (429, "7", "Slow down")
    faulty.delete("/_mock/faults")
    add(faulty, operationId="get-integration", status=503, retryAfter="Wed, 21 Oct 2026 07:28:00 GMT")
    assert faulty.get("/integrations/qhyg").headers["retry-after"] == "Wed, 21 Oct 2026 07:28:00 GMT"


def test_path_patterns_and_methods(faulty: TestClient) -> None:
    company = faulty.post("/companies", json={"name": "Acme"}).json()
    add(faulty, method="GET", path="/companies/*/connections/**", status=500)
    assert faulty.get(f"/companies/{company['id']}/connections").status_code == 500
    assert faulty.get(f"/companies/{company['id']}/connections/x").status_code == 500
    assert faulty.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}).status_code == 200
    assert faulty.get(f"/companies/{company['id']}").status_code == 200
    # Unknown paths can be faulted too (no operationId needed).
    add(faulty, path="/nowhere", status=503)
    assert faulty.get("/nowhere").status_code == 503


def test_tenant_rules_do_not_touch_other_tenants(faulty: TestClient) -> None:
    add(faulty, operationId="list-companies", status=500)
    assert faulty.get("/companies").status_code == 500
    assert faulty.get("/companies", headers=basic("tenant-b")).status_code == 200
    assert faulty.get("/companies", headers=NO_AUTH).status_code == 401
    assert faulty.get("/_mock/faults", headers=basic("tenant-b")).json()["rules"] == []


def test_global_rules_touch_everyone(faulty: TestClient) -> None:
    rule = add(faulty, NO_AUTH, operationId="list-integrations", status=503)
    assert (rule["scope"], rule["tenant"]) == ("global", None)
    for headers in (None, basic("tenant-b"), NO_AUTH):
        assert faulty.get("/integrations", headers=headers).status_code == 503
    # Tenants do not see or delete global rules; the admin sees all.
    assert faulty.get("/_mock/faults").json()["rules"] == []
    assert faulty.delete(f"/_mock/faults/{rule['id']}").status_code == 404
    assert [r["id"] for r in faulty.get("/_mock/faults", headers=NO_AUTH).json()["rules"]] == [rule["id"]]
    assert faulty.delete(f"/_mock/faults/{rule['id']}", headers=NO_AUTH).json() == {"removed": 1}
    assert faulty.get("/integrations").status_code == 200


def test_global_rules_need_the_admin_token(store: Store) -> None:
    settings = Settings(admin_token="s3cret")  # type: ignore[arg-type]
    with TestClient(create_app(settings, store=store)) as client:
        rule = {"operationId": "list-integrations", "status": 503}
        assert client.post("/_mock/faults", json=rule).status_code == 401
        assert client.post("/_mock/faults", json=rule, headers={"X-Codat-Mock-Admin": "no"}).status_code == 403
        ok = client.post("/_mock/faults", json=rule, headers={"X-Codat-Mock-Admin": "s3cret"})
        assert ok.status_code == 201 and ok.json()["scope"] == "global"


def test_probability_is_repeatable_with_a_seed() -> None:
    def pattern(seed: int) -> list[int]:
        with TestClient(create_app(Settings(seed=seed)), headers=basic("t")) as client:
            add(client, operationId="list-integrations", status=500, probability=0.5)
            return [client.get("/integrations").status_code for _ in range(30)]

    first = pattern(11)
    assert first == pattern(11)
    assert 0 < first.count(500) < 30 and set(first) == {200, 500}
    assert pattern(12) != first


def test_latency_waits_then_answers(faulty: TestClient, sleep: FakeSleep) -> None:
    add(faulty, operationId="list-integrations", delayMs=1500, count=1)
    assert faulty.get("/integrations").status_code == 200
    assert faulty.get("/integrations").status_code == 200
    assert sleep.calls == [1.5]
    add(faulty, operationId="get-integration", delayMs=250, status=503)
    assert faulty.get("/integrations/qhyg").status_code == 503
    assert sleep.calls == [1.5, 0.25]


def test_a_real_delay_is_at_least_as_long_as_asked(store: Store) -> None:
    with TestClient(create_app(store=store), headers=basic("t")) as client:
        add(client, operationId="list-integrations", delayMs=40)
        started = time.monotonic()
        assert client.get("/integrations").status_code == 200
        # A lower bound only: a busy machine may take longer, never shorter.
        assert time.monotonic() - started >= 0.035


def test_link_pages_and_the_control_plane_are_never_faulted(faulty: TestClient) -> None:
    company = faulty.post("/companies", json={"name": "Acme"}).json()
    add(faulty, NO_AUTH, path="/**", status=500)
    assert faulty.get("/companies").status_code == 500
    assert faulty.get(f"/link/company/{company['id']}").status_code == 200
    assert faulty.get("/_mock/health").status_code == 200
    assert faulty.delete("/_mock/faults", headers=NO_AUTH).json() == {"removed": 1}


def test_faulted_requests_are_journaled_with_their_rule(faulty: TestClient) -> None:
    rule = add(faulty, operationId="list-companies", status=429)
    faulty.get("/companies")
    entry = faulty.get("/_mock/journal").json()["entries"][-1]
    assert (entry["status"], entry["faultRuleId"], entry["operationId"]) == (429, rule["id"], "list-companies")
    assert '"statusCode":429' in entry["responseBody"]


@pytest.mark.parametrize(
    ("rule", "item"),
    [
        ({"status": 500}, "operationId"),
        ({"operationId": "get-companies", "status": 500}, "operationId"),
        ({"operationId": "get-company"}, "status"),
        ({"operationId": "get-company", "status": 200}, "status"),
        ({"operationId": "get-company", "status": 500, "count": 0}, "count"),
        ({"operationId": "get-company", "status": 500, "probability": 2}, "probability"),
        ({"operationId": "get-company", "delayMs": 100000}, "delayMs"),
        ({"operationId": "get-company", "delayMs": 5, "retryAfter": 1}, "retryAfter"),
        ({"operationId": "get-company", "status": 503, "retryAfter": "1\r\nX: y"}, "retryAfter"),
        ({"path": "companies", "status": 500}, "path"),
        ({"path": "/a*b", "status": 500}, "path"),
        ({"operationId": "get-company", "status": 500, "tenant": "x"}, "tenant"),
        # The document types these without null: null is not a way of leaving a field out.
        ({"operationId": "get-company", "status": 500, "count": None}, "count"),
        ({"operationId": None, "path": "/**", "status": 500}, "operationId"),
        ({"operationId": "get-company", "status": 500.5}, "status"),
        ({"operationId": "get-company", "status": "500"}, "status"),
    ],
)
def test_bad_rules_are_400_naming_the_field(faulty: TestClient, rule: dict[str, Any], item: str) -> None:
    response = faulty.post("/_mock/faults", json=rule)
    assert response.status_code == 400
    items = [e["itemId"] for e in response.json()["validation"]["errors"]]
    assert any(i == item or i.startswith(item + ".") for i in items), items
    assert faulty.get("/_mock/faults").json()["rules"] == []


def test_integers_may_be_written_as_json_schema_allows(faulty: TestClient) -> None:
    # JSON Schema's integers include 503.0; the document says integer, so the rule takes it as 503.
    rule = add(faulty, operationId="get-company", status=503.0, delayMs=5.0, count=2.0, retryAfter=7.0)
    assert (rule["status"], rule["delayMs"], rule["count"], rule["retryAfter"]) == (503, 5, 2, "7")


def test_delete_unknown_rule_is_404(faulty: TestClient) -> None:
    response = faulty.delete("/_mock/faults/fault-99")
    assert response.status_code == 404 and "fault-99" in response.json()["error"]

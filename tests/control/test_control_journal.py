"""The request journal over HTTP: what is recorded, filters, bounds, scoping and clearing."""

from __future__ import annotations

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


def journal(client: TestClient, headers: dict[str, str] | None = None, **params: Any) -> dict[str, Any]:
    response = client.get("/_mock/journal", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_entries_describe_each_call(client: TestClient) -> None:
    company = client.post("/companies?x=1", json={"name": "Acme"}).json()
    client.get(f"/companies/{company['id']}")
    client.get("/companies/00000000-0000-4000-8000-000000000000")
    body = journal(client)
    assert body["capacity"] == 1000 and body["dropped"] == 0 and body["total"] == 3
    created, fetched, missing = body["entries"]
    assert created["method"] == "POST" and created["path"] == "/companies" and created["query"] == "x=1"
    assert created["operationId"] == "create-company" and created["status"] == 200
    assert created["tenant"] == fingerprint("tenant-a")
    assert created["requestBody"] == '{"name":"Acme"}' and created["responseBody"].startswith('{"id":')
    assert created["at"] == "2026-03-01T09:30:00.0000000Z"
    assert created["durationMs"] >= 0 and created["faultRuleId"] is None
    assert [created["seq"], fetched["seq"], missing["seq"]] == [1, 2, 3]
    assert (fetched["operationId"], missing["status"]) == ("get-company", 404)
    assert "tenant-a" not in str(body)


def test_unmatched_and_unauthenticated_requests_are_admin_only(client: TestClient) -> None:
    client.get("/nowhere")
    client.get("/companies", headers=NO_AUTH)
    assert journal(client)["entries"][0]["operationId"] is None  # /nowhere had a valid key
    everything = journal(client, NO_AUTH)["entries"]
    assert [(e["path"], e["tenant"], e["status"]) for e in everything] == [
        ("/nowhere", fingerprint("tenant-a"), 404),
        ("/companies", None, 401),
    ]
    assert journal(client)["total"] == 1


def test_control_plane_calls_are_not_journaled(client: TestClient) -> None:
    client.get("/_mock/health")
    client.put("/_mock/settings", json={})
    assert journal(client)["total"] == 0


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"method": "post"}, ["create-company", "create-connection"]),
        ({"path": "/companies"}, ["create-company", "list-companies"]),
        ({"pathPrefix": "/companies/"}, ["create-connection", "get-company"]),
        ({"operationId": "get-company"}, ["get-company"]),
        ({"status": "404"}, ["get-company"]),
        ({"since": "2026-03-01T09:31:00Z"}, ["get-company", "list-companies"]),
        ({"since": "2026-03-01T10:31:00+01:00"}, ["get-company", "list-companies"]),
        ({"method": "GET", "status": "200"}, ["list-companies"]),
        ({"limit": "2"}, ["get-company", "list-companies"]),
        ({"method": "", "pathPrefix": ""}, ["create-company", "create-connection", "get-company", "list-companies"]),
    ],
)
def test_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    company = client.post("/companies", json={"name": "Acme"}).json()
    client.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"})
    client.post("/_mock/clock", json={"advanceSeconds": 60})
    client.get("/companies/00000000-0000-4000-8000-000000000000")
    client.get("/companies")
    assert [e["operationId"] for e in journal(client, **params)["entries"]] == expected


@pytest.mark.parametrize(
    ("params", "item"),
    [
        ({"status": "abc"}, "status"),
        ({"status": "99"}, "status"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-03-01T09:31:00"}, "since"),
        ({"limit": "0"}, "limit"),
        ({"tenant": "0123456789ABCDEF"}, "tenant"),
        ({"tenant": "tenant-b"}, "tenant"),
        # Empty is no integer, date-time or fingerprint (an empty text filter, e.g. method=, filters nothing).
        ({"status": ""}, "status"),
        ({"since": ""}, "since"),
        ({"limit": ""}, "limit"),
        ({"tenant": ""}, "tenant"),
        ({"since": "1700000000"}, "since"),
        ({"since": "2026-03-01 09:31:00Z"}, "since"),
    ],
)
def test_bad_filters_are_400(client: TestClient, params: dict[str, str], item: str) -> None:
    response = client.get("/_mock/journal", params=params)
    assert response.status_code == 400
    assert item in [e["itemId"] for e in response.json()["validation"]["errors"]]


def test_another_tenants_entries_are_403_with_authorization(client: TestClient) -> None:
    # A well-formed fingerprint the caller may not read: forbidden (403), not malformed (400). The control
    # plane's document cannot tie the parameter to the absence of Authorization, so a 400 here would refuse
    # a request the document allows.
    client.get("/companies", headers=basic("tenant-b"))
    response = client.get("/_mock/journal", params={"tenant": fingerprint("tenant-b")})
    assert response.status_code == 403
    assert [e["itemId"] for e in response.json()["validation"]["errors"]] == ["tenant"]


def test_tenants_see_only_their_own_entries_and_the_admin_sees_all(client: TestClient) -> None:
    client.post("/companies", json={"name": "A"})
    client.post("/companies", json={"name": "B"}, headers=basic("tenant-b"))
    assert [e["requestBody"] for e in journal(client)["entries"]] == ['{"name":"A"}']
    assert [e["requestBody"] for e in journal(client, basic("tenant-b"))["entries"]] == ['{"name":"B"}']
    assert journal(client, NO_AUTH)["total"] == 2
    only_b = journal(client, NO_AUTH, tenant=fingerprint("tenant-b"))["entries"]
    assert [e["requestBody"] for e in only_b] == ['{"name":"B"}']
    assert journal(client, tenant=fingerprint("tenant-a"))["total"] == 1  # naming yourself is fine


def test_clear_own_or_all(client: TestClient) -> None:
    client.get("/companies")
    client.get("/companies", headers=basic("tenant-b"))
    assert client.delete("/_mock/journal").json() == {"removed": 1}
    assert journal(client)["total"] == 0
    assert journal(client, basic("tenant-b"))["total"] == 1
    client.get("/companies")
    assert client.delete("/_mock/journal", headers=NO_AUTH).json() == {"removed": 2}
    assert journal(client, NO_AUTH)["total"] == 0


@pytest.fixture
def small(store: Store) -> Iterator[TestClient]:
    settings = Settings(journal_size=3, journal_body_bytes=10)
    with TestClient(create_app(settings, store=store), headers=basic("tenant-a")) as client:
        yield client


def test_the_journal_is_bounded_and_bodies_truncated(small: TestClient) -> None:
    for i in range(5):
        small.post("/companies", json={"name": f"Company {i}"})
    body = journal(small)
    assert (body["capacity"], body["dropped"], body["total"]) == (3, 2, 3)
    assert [e["seq"] for e in body["entries"]] == [3, 4, 5]
    entry = body["entries"][0]
    assert entry["requestBody"] == '{"name":"C' and entry["requestBodyTruncated"] is True
    assert len(entry["responseBody"]) == 10 and entry["responseBodyTruncated"] is True
    small.get("/companies/00000000-0000-4000-8000-000000000000", headers={"Content-Type": "application/json"})
    assert journal(small)["entries"][-1]["requestBodyTruncated"] is False


def test_a_zero_size_journal_records_nothing(store: Store) -> None:
    with TestClient(create_app(Settings(journal_size=0), store=store), headers=basic("t")) as client:
        client.get("/companies")
        assert journal(client) == {"capacity": 0, "dropped": 0, "total": 0, "entries": []}


def test_unexpected_errors_are_journaled_as_500(store: Store) -> None:
    app = create_app(store=store)

    def boom(tenant: str) -> list[Any]:
        raise RuntimeError("a bug")

    store.company_listing = boom  # type: ignore[method-assign]
    with TestClient(app, headers=basic("t"), raise_server_exceptions=False) as client:
        assert client.get("/companies").status_code == 500
        entries = journal(client)["entries"]
    assert [(e["operationId"], e["status"]) for e in entries] == [("list-companies", 500)]

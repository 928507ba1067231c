"""Headless Link: authorize, cancel, fail and deauthorize through the control plane."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import basic
from starlette.testclient import TestClient

from mock_server.domain.events import DomainEvent, EventType
from mock_server.domain.store import Store

MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def company(client: TestClient) -> dict[str, Any]:
    body: dict[str, Any] = client.post("/companies", json={"name": "Acme"}).json()
    return body


def connect(client: TestClient, company_id: str, key: str = "qhyg") -> dict[str, Any]:
    body: dict[str, Any] = client.post(f"/companies/{company_id}/connections", json={"platformKey": key}).json()
    return body


def act(client: TestClient, company_id: str, connection_id: str, action: str, **kwargs: Any) -> Any:
    return client.post(f"/_mock/companies/{company_id}/connections/{connection_id}/{action}", **kwargs)


def test_authorize_links_and_reports_the_outcome(client: TestClient, company: dict[str, Any]) -> None:
    connection = connect(client, company["id"])
    response = act(client, company["id"], connection["id"], "authorize")
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == {
        "statusCode": 200,
        "statusText": "Success",
        "errorMessage": "",
        "detail": "QuickBooks Online is now linked.",
        "redirectUrl": None,
    }
    fetched = client.get(f"/companies/{company['id']}/connections/{connection['id']}").json()
    assert body["connection"] == fetched and fetched["status"] == "Linked"
    again = act(client, company["id"], connection["id"], "authorize").json()
    assert again["outcome"]["statusCode"] == 201 and again["connection"] == fetched


@pytest.mark.parametrize(
    ("action", "code", "entry"),
    [("cancel", 403, ("403", "User cancelled")), ("fail", 500, ("500", "Unknown error occurred."))],
)
def test_cancel_and_fail_record_entries(
    client: TestClient, company: dict[str, Any], action: str, code: int, entry: tuple[str, str]
) -> None:
    connection = connect(client, company["id"])
    body = act(client, company["id"], connection["id"], action).json()
    assert body["outcome"]["statusCode"] == code
    assert body["connection"]["status"] == "PendingAuth"
    errors = body["connection"]["dataConnectionErrors"]
    assert [(e["statusCode"], e["errorMessage"]) for e in errors] == [entry]


def test_outcome_carries_the_redirect_with_custom_parameters(client: TestClient, company: dict[str, Any]) -> None:
    client.put(
        "/_mock/settings",
        json={"redirectUrl": "https://app.example/{platform}?s={statusCode}&ref={ref}&m={errorMessage}"},
    )
    connection = connect(client, company["id"])
    body = act(client, company["id"], connection["id"], "cancel", params={"ref": "x y"}).json()
    assert body["outcome"]["redirectUrl"] == "https://app.example/qhyg?s=403&ref=x%20y&m=User%20cancelled."


def test_a_refused_authorize_is_a_409_and_recorded(client: TestClient, company: dict[str, Any]) -> None:
    qbo = connect(client, company["id"], "qhyg")
    xero = connect(client, company["id"], "gbol")
    act(client, company["id"], qbo["id"], "authorize")
    response = act(client, company["id"], xero["id"], "authorize")
    assert response.status_code == 409
    assert qbo["id"] in response.json()["error"]
    fetched = client.get(f"/companies/{company['id']}/connections/{xero['id']}").json()
    assert fetched["status"] == "PendingAuth"
    assert [e["statusCode"] for e in fetched["dataConnectionErrors"]] == ["500"]


def test_deauthorize_is_the_way_to_deauthorized(client: TestClient, company: dict[str, Any], store: Store) -> None:
    seen: list[DomainEvent] = []
    store.subscribe(seen.append)
    connection = connect(client, company["id"])
    pending = act(client, company["id"], connection["id"], "deauthorize")
    assert pending.status_code == 400 and "PendingAuth" in pending.json()["error"]
    act(client, company["id"], connection["id"], "authorize")
    response = act(client, company["id"], connection["id"], "deauthorize")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"connection"}
    assert body["connection"]["status"] == "Deauthorized"
    assert body["connection"]["dataConnectionErrors"][-1]["statusCode"] == "401"
    assert act(client, company["id"], connection["id"], "deauthorize").status_code == 400
    relinked = act(client, company["id"], connection["id"], "authorize").json()
    assert relinked["outcome"]["statusCode"] == 200 and "reconnected" in relinked["outcome"]["detail"]
    assert [e.type for e in seen][-3:] == [
        EventType.CONNECTION_CONNECTED,
        EventType.CONNECTION_DISCONNECTED,
        EventType.CONNECTION_RECONNECTED,
    ]


@pytest.mark.parametrize("action", ["authorize", "cancel", "fail", "deauthorize"])
def test_actions_are_tenant_scoped(client: TestClient, company: dict[str, Any], action: str) -> None:
    connection = connect(client, company["id"])
    assert act(client, company["id"], MISSING, action).status_code == 404
    assert act(client, MISSING, connection["id"], action).status_code == 404
    other = act(client, company["id"], connection["id"], action, headers=basic("tenant-b"))
    assert other.status_code == 404 and other.json()["error"] == f"No company was found with ID {company['id']}"
    assert act(client, company["id"], connection["id"], action, headers={"Authorization": ""}).status_code == 401
    assert client.get(f"/companies/{company['id']}/connections/{connection['id']}").json() == connection


def test_get_is_not_allowed(client: TestClient, company: dict[str, Any]) -> None:
    connection = connect(client, company["id"])
    response = client.get(f"/_mock/companies/{company['id']}/connections/{connection['id']}/authorize")
    assert response.status_code == 405 and response.headers["allow"] == "POST"

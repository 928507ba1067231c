from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

CONNECTION_FIELDS = {
    "id",
    "integrationId",
    "integrationKey",
    "sourceId",
    "sourceType",
    "platformName",
    "linkUrl",
    "status",
    "created",
}


@pytest.fixture
def company(client: TestClient) -> dict[str, Any]:
    result: dict[str, Any] = client.post("/companies", json={"name": "Acme"}).json()
    return result


def connect(client: TestClient, company_id: str, platform_key: str = "qhyg") -> dict[str, Any]:
    response = client.post(f"/companies/{company_id}/connections", json={"platformKey": platform_key})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_create_connection_is_pending_with_a_link_url(client: TestClient, company: dict[str, Any]) -> None:
    connection = connect(client, company["id"])
    assert set(connection) == CONNECTION_FIELDS
    assert connection["status"] == "PendingAuth"
    assert connection["integrationKey"] == "qhyg"
    assert connection["platformName"] == "QuickBooks Online"
    assert connection["sourceType"] == "Accounting"
    assert connection["integrationId"] == "adeb7fe9-4c64-4848-9e0d-175317876b6f"
    assert connection["linkUrl"] == (
        f"http://testserver/link/companies/{company['id']}/connections/{connection['id']}/start"
    )
    embedded = client.get(f"/companies/{company['id']}").json()["dataConnections"]
    assert embedded == [connection]


def test_the_seed_flow(client: TestClient, company: dict[str, Any]) -> None:
    connection = connect(client, company["id"])
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    response = client.put(f"{url}/authorization", json={"accessToken": "0000-0000", "businessId": "b1"})
    assert response.status_code == 200
    assert response.json()["status"] == "Linked"
    assert client.get(url).json()["status"] == "Linked"
    response = client.patch(url, json={"status": "Unlinked"})
    assert response.status_code == 200
    unlinked = response.json()
    assert unlinked["status"] == "Unlinked"
    assert unlinked["created"] == connection["created"]
    # Re-linking the same connection is how Codat reconnects.
    assert client.put(f"{url}/authorization", json={}).json()["status"] == "Linked"


def test_list_connections(client: TestClient, company: dict[str, Any]) -> None:
    first = connect(client, company["id"], "qhyg")
    second = connect(client, company["id"], "suuo")
    page = client.get(f"/companies/{company['id']}/connections").json()
    assert [c["id"] for c in page["results"]] == [first["id"], second["id"]]
    assert page["_links"]["self"]["href"] == f"/companies/{company['id']}/connections"
    assert page["totalResults"] == 2
    filtered = client.get(f"/companies/{company['id']}/connections?query=sourceType%3Dbanking").json()
    assert [c["id"] for c in filtered["results"]] == [second["id"]]
    bad = client.get(f"/companies/{company['id']}/connections?query=nope%3D1")
    assert bad.status_code == 400
    assert bad.json()["error"] == "Error parsing query - Could not resolve property nope on DataConnection"


def test_list_connections_of_unknown_company_is_404(client: TestClient) -> None:
    response = client.get("/companies/0b5c8b2e-5a4c-4c1e-9a57-2f1a1c3c2e11/connections")
    assert response.status_code == 404


def test_delete_connection_is_200_with_no_body(client: TestClient, company: dict[str, Any]) -> None:
    connection = connect(client, company["id"])
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    response = client.delete(url)
    assert response.status_code == 200 and response.content == b""
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["error"] == f"Data connection {connection['id']} not found"
    assert client.get(f"/companies/{company['id']}").json()["dataConnections"] == []
    assert client.delete(url).status_code == 404


def test_unknown_platform_key_is_404_naming_it(client: TestClient, company: dict[str, Any]) -> None:
    response = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "zzzz"})
    assert response.status_code == 404
    assert "zzzz" in response.json()["error"]
    assert client.get(f"/companies/{company['id']}").json()["dataConnections"] == []


@pytest.mark.parametrize("body", [{"platformKey": "QHYG"}, {"platformKey": "qhy"}, {"platformKey": 1234}, {}])
def test_bad_platform_key_is_400(client: TestClient, company: dict[str, Any], body: dict[str, Any]) -> None:
    response = client.post(f"/companies/{company['id']}/connections", json=body)
    assert response.status_code == 400
    assert response.json()["validation"]["errors"][0]["itemId"] == "platformKey"


def test_create_connection_for_unknown_company_is_404(client: TestClient) -> None:
    response = client.post("/companies/0b5c8b2e-5a4c-4c1e-9a57-2f1a1c3c2e11/connections", json={"platformKey": "qhyg"})
    assert response.status_code == 404
    assert response.json()["error"].startswith("No company was found with ID")


@pytest.mark.parametrize("status", ["PendingAuth", "Linked", "Deauthorized"])
def test_unlink_accepts_only_unlinked(client: TestClient, company: dict[str, Any], status: str) -> None:
    connection = connect(client, company["id"])
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    client.put(f"{url}/authorization", json={})
    response = client.patch(url, json={"status": status})
    assert response.status_code == 400
    message = response.json()["error"]
    assert "Unlinked" in message and "this connection is Linked" in message
    assert client.get(url).json()["status"] == "Linked"


def test_unlink_of_a_pending_connection_is_400_naming_its_status(client: TestClient, company: dict[str, Any]) -> None:
    connection = connect(client, company["id"])
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    response = client.patch(url, json={"status": "Unlinked"})
    assert response.status_code == 400
    assert response.json()["error"] == ("Only Linked data connections can be unlinked; this connection is PendingAuth.")
    assert client.get(url).json()["status"] == "PendingAuth"


@pytest.mark.parametrize("body", [{"status": "Bogus"}, {"status": 1}, [], "Unlinked"])
def test_unlink_with_an_invalid_body_is_400(client: TestClient, company: dict[str, Any], body: Any) -> None:
    connection = connect(client, company["id"])
    response = client.patch(f"/companies/{company['id']}/connections/{connection['id']}", json=body)
    assert response.status_code == 400


@pytest.mark.parametrize("body", [{"token": 1}, {"token": None}, ["x"], "x"])
def test_authorization_body_must_be_strings(client: TestClient, company: dict[str, Any], body: Any) -> None:
    connection = connect(client, company["id"])
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    response = client.put(f"{url}/authorization", json=body)
    assert response.status_code == 400
    assert client.get(url).json()["status"] == "PendingAuth"


def test_second_linked_accounting_connection_is_refused(client: TestClient, company: dict[str, Any]) -> None:
    qbo = connect(client, company["id"], "qhyg")
    xero = connect(client, company["id"], "gbol")
    plaid = connect(client, company["id"], "suuo")
    base = f"/companies/{company['id']}/connections"
    assert client.put(f"{base}/{qbo['id']}/authorization", json={}).status_code == 200
    response = client.put(f"{base}/{xero['id']}/authorization", json={})
    assert response.status_code == 400
    assert qbo["id"] in response.json()["error"]
    assert client.get(f"{base}/{xero['id']}").json()["status"] == "PendingAuth"
    assert client.put(f"{base}/{plaid['id']}/authorization", json={}).json()["status"] == "Linked"


def test_connection_of_another_company_is_404(client: TestClient, company: dict[str, Any]) -> None:
    other = client.post("/companies", json={"name": "Other"}).json()
    connection = connect(client, company["id"])
    for method in ("GET", "DELETE"):
        response = client.request(method, f"/companies/{other['id']}/connections/{connection['id']}")
        assert response.status_code == 404
    assert client.get(f"/companies/{company['id']}/connections/{connection['id']}").status_code == 200


def test_malformed_connection_id_is_404(client: TestClient, company: dict[str, Any]) -> None:
    response = client.get(f"/companies/{company['id']}/connections/nope")
    assert response.status_code == 404
    assert response.json()["error"] == "Data connection nope not found"

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.domain.clock import ManualClock

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")


def create(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/companies", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_create_company_returns_codats_shape(client: TestClient) -> None:
    company = create(client, name="Bank of Dave", description="early access", tags={"region": "uk"})
    assert set(company) == {
        "id",
        "name",
        "description",
        "redirect",
        "created",
        "createdByUserName",
        "products",
        "tags",
        "referenceSubsidiaryCompanies",
        "dataConnections",
    }
    assert company["name"] == "Bank of Dave"
    assert company["description"] == "early access"
    assert company["tags"] == {"region": "uk"}
    assert company["redirect"] == f"http://testserver/link/company/{company['id']}"
    assert TIMESTAMP.match(company["created"])
    assert company["createdByUserName"] is None
    assert company["dataConnections"] == [] and company["products"] == []


def test_create_strips_forbidden_characters(client: TestClient) -> None:
    assert create(client, name="Company (Codat[1])")["name"] == "Company Codat1"


def test_create_without_description_renders_empty_string(client: TestClient) -> None:
    company = create(client, name="Acme", description=None)
    assert company["description"] == "" and company["tags"] == {}


def test_get_company(client: TestClient) -> None:
    company = create(client, name="Acme")
    response = client.get(f"/companies/{company['id']}")
    assert response.status_code == 200
    assert response.json() == company


def test_get_unknown_or_malformed_company_is_404(client: TestClient) -> None:
    for company_id in ("0b5c8b2e-5a4c-4c1e-9a57-2f1a1c3c2e11", "not-a-uuid"):
        response = client.get(f"/companies/{company_id}")
        assert response.status_code == 404
        body = response.json()
        assert body["error"] == f"No company was found with ID {company_id}"
        assert body["statusCode"] == 404 and body["service"] == "ClientsApi"


def test_replace_company_clears_omitted_fields(client: TestClient) -> None:
    company = create(client, name="Acme", description="d", tags={"a": "1"})
    response = client.put(f"/companies/{company['id']}", json={"name": "Acme Two"})
    assert response.status_code == 200
    replaced = response.json()
    assert (replaced["name"], replaced["description"], replaced["tags"]) == ("Acme Two", "", {})
    assert replaced["created"] == company["created"] and replaced["id"] == company["id"]


def test_update_company_keeps_omitted_and_null_fields(client: TestClient) -> None:
    company = create(client, name="Acme", description="d", tags={"a": "1"})
    response = client.patch(f"/companies/{company['id']}", json={"description": None, "name": "New"})
    assert response.status_code == 200
    updated = response.json()
    assert (updated["name"], updated["description"], updated["tags"]) == ("New", "d", {"a": "1"})
    updated = client.patch(f"/companies/{company['id']}", json={"tags": {"b": "2"}}).json()
    assert updated["tags"] == {"b": "2"}
    assert client.patch(f"/companies/{company['id']}", json={}).json() == updated


def test_delete_company_is_204_and_cascades(client: TestClient) -> None:
    company = create(client, name="Acme")
    connection = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}).json()
    response = client.delete(f"/companies/{company['id']}")
    assert response.status_code == 204 and response.content == b""
    assert client.get(f"/companies/{company['id']}").status_code == 404
    assert client.get(f"/companies/{company['id']}/connections/{connection['id']}").status_code == 404
    assert client.delete(f"/companies/{company['id']}").status_code == 404


def test_list_companies_pages_and_links(client: TestClient) -> None:
    ids = [create(client, name=f"Company {i}")["id"] for i in range(5)]
    page = client.get("/companies").json()
    assert [c["id"] for c in page["results"]] == ids
    assert (page["pageNumber"], page["pageSize"], page["totalResults"]) == (1, 100, 5)
    assert page["_links"] == {"self": {"href": "/companies"}, "current": {"href": "/companies?page=1"}}
    page = client.get("/companies?page=2&pageSize=2").json()
    assert [c["id"] for c in page["results"]] == ids[2:4]
    assert page["_links"] == {
        "self": {"href": "/companies"},
        "current": {"href": "/companies?page=2&pageSize=2"},
        "next": {"href": "/companies?page=3&pageSize=2"},
        "previous": {"href": "/companies?page=1&pageSize=2"},
    }
    past_end = client.get("/companies?page=9&pageSize=2").json()
    assert past_end["results"] == [] and past_end["totalResults"] == 5


def test_list_companies_query_order_and_tags(client: TestClient, clock: ManualClock) -> None:
    a = create(client, name="Alpha", tags={"region": "uk", "team": "finance"})
    clock.advance(timedelta(seconds=1))
    b = create(client, name="Beta", tags={"region": "us"})
    clock.advance(timedelta(seconds=1))
    c = create(client, name="Gamma")
    client.post(f"/companies/{b['id']}/connections", json={"platformKey": "gbol"})

    def names(url: str) -> list[str]:
        response = client.get(url)
        assert response.status_code == 200, response.text
        return [company["name"] for company in response.json()["results"]]

    assert names("/companies?query=name%3Dbeta") == ["Beta"]
    assert names("/companies?query=name~a%20%7C%7C%20name%3DBeta&orderBy=-name") == ["Gamma", "Beta", "Alpha"]
    assert names("/companies?query=dataConnections.status%3DPendingAuth") == ["Beta"]
    assert names("/companies?query=dataConnections.status!%3DPendingAuth") == ["Alpha", "Gamma"]
    assert names("/companies?tags=region%3Duk%20%26%26%20team%3Dfinance") == ["Alpha"]
    assert names("/companies?tags=region!%3Duk") == ["Beta", "Gamma"]
    assert names(f"/companies?query=id%253D{c['id']}") == ["Gamma"]  # Codat's docs double-encode
    assert names("/companies?orderby=-created") == ["Gamma", "Beta", "Alpha"]  # parameter names ignore case
    assert names("/companies?query=created%3E2026-03-01T09:30:00.5Z") == ["Beta", "Gamma"]
    page = client.get("/companies?query=name~a&pageSize=1").json()
    assert page["totalResults"] == 3  # counted after filtering
    assert page["_links"]["next"]["href"] == "/companies?page=2&pageSize=1&query=name~a"
    assert a["id"] != b["id"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/companies?query=nope%3D1", "Error parsing query - Could not resolve property nope on Company"),
        ("/companies?query=name%3D", "Error parsing query - Malformed query."),
        ("/companies?query=%7Bname%3Dx", "Error parsing query - Malformed query."),
        ("/companies?query=created~2024", "Error parsing query - Malformed query."),
        (
            "/companies?query=dataConnections.nope%3D1",
            "Error parsing query - Could not resolve property nope on DataConnection",
        ),
        ("/companies?orderBy=nope", "Error parsing query - Could not resolve property nope on Company"),
        ("/companies?tags=region>uk", "Error parsing query - Malformed query."),
    ],
)
def test_bad_queries_are_400_with_codats_message(client: TestClient, url: str, message: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["error"] == message


def test_overlong_query_is_400(client: TestClient) -> None:
    response = client.get("/companies", params={"query": "name=" + "x" * 2100})
    assert response.status_code == 400
    assert "2048" in response.json()["error"]


@pytest.mark.parametrize(
    ("params", "field"),
    [("page=0", "page"), ("page=abc", "page"), ("pageSize=0", "pageSize"), ("pageSize=5001", "pageSize")],
)
def test_bad_paging_is_400_naming_the_parameter(client: TestClient, params: str, field: str) -> None:
    response = client.get(f"/companies?{params}")
    assert response.status_code == 400
    assert response.json()["validation"]["errors"][0]["itemId"] == field


def test_page_size_of_5000_is_allowed(client: TestClient) -> None:
    assert client.get("/companies?pageSize=5000").json()["pageSize"] == 5000

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.domain.store import Store

ERROR_FIELDS = {"statusCode", "service", "error", "correlationId", "validation", "canBeRetried", "detailedErrorCode"}


def assert_codat_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == ERROR_FIELDS
    assert body["statusCode"] == status
    assert re.fullmatch(r"[0-9a-f]{32}", body["correlationId"])
    assert body["canBeRetried"] == "Unknown" and body["detailedErrorCode"] == 0
    return body


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Basic",
        "Basic ",
        "Bearer abc",
        "Basic !!!notbase64",
        "Basic " + base64.b64encode(b"   ").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe").decode(),
    ],
)
def test_missing_or_malformed_auth_is_401(store: Store, header: str | None) -> None:
    with TestClient(create_app(store=store)) as client:
        headers = {} if header is None else {"Authorization": header}
        for method, url in (("GET", "/companies"), ("POST", "/companies"), ("GET", "/integrations")):
            body = assert_codat_error(client.request(method, url, headers=headers, json={"name": "x"}), 401)
            assert body["error"] == "Unauthorized"
    assert store.tenants() == []


def test_each_api_key_is_its_own_tenant(store: Store, basic_auth: Callable[[str], dict[str, str]]) -> None:
    with TestClient(create_app(store=store)) as client:
        a = client.post("/companies", json={"name": "A"}, headers=basic_auth("key-a")).json()
        connection = client.post(
            f"/companies/{a['id']}/connections", json={"platformKey": "qhyg"}, headers=basic_auth("key-a")
        ).json()
        b = basic_auth("key-b")
        body = assert_codat_error(client.get(f"/companies/{a['id']}", headers=b), 404)
        assert body["error"] == f"No company was found with ID {a['id']}"
        assert client.get("/companies", headers=b).json()["totalResults"] == 0
        for method, url, json in (
            ("PUT", f"/companies/{a['id']}", {"name": "stolen"}),
            ("PATCH", f"/companies/{a['id']}", {"name": "stolen"}),
            ("DELETE", f"/companies/{a['id']}", None),
            ("GET", f"/companies/{a['id']}/connections/{connection['id']}", None),
            ("PUT", f"/companies/{a['id']}/connections/{connection['id']}/authorization", {}),
            ("DELETE", f"/companies/{a['id']}/connections/{connection['id']}", None),
        ):
            assert_codat_error(client.request(method, url, headers=b, json=json), 404)
        still = client.get(f"/companies/{a['id']}", headers=basic_auth("key-a")).json()
        assert still["name"] == "A" and still["dataConnections"][0]["status"] == "PendingAuth"


def test_unknown_path_is_404(client: TestClient) -> None:
    body = assert_codat_error(client.get("/nothing/here"), 404)
    assert body["error"] == "The requested resource was not found."


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("DELETE", "/companies", "GET, HEAD, POST"),
        ("POST", "/companies/0b5c8b2e-5a4c-4c1e-9a57-2f1a1c3c2e11", "DELETE, GET, HEAD, PATCH, PUT"),
        ("PUT", "/companies/x/connections", "GET, HEAD, POST"),
        ("POST", "/companies/x/connections/y", "DELETE, GET, HEAD, PATCH"),
        ("GET", "/companies/x/connections/y/authorization", "PUT"),
        ("POST", "/integrations", "GET, HEAD"),
        ("OPTIONS", "/integrations/qhyg", "GET, HEAD"),
    ],
)
def test_wrong_method_is_405_with_allow(client: TestClient, method: str, url: str, allowed: str) -> None:
    response = client.request(method, url)
    assert_codat_error(response, 405)
    assert response.headers["allow"] == allowed


@pytest.mark.parametrize(
    ("content", "content_type", "item"),
    [
        (b"{not json", "application/json", "body"),
        (b"", "application/json", "name"),
        (b'{"name": "x"}', "text/plain", "Content-Type"),
        (b'{"name": "x"}', None, "Content-Type"),
        (b"[]", "application/json", "body"),
        (b'{"name": 5}', "application/json", "name"),
        (b'{"name": ""}', "application/json", "name"),
        (b'{"description": "no name"}', "application/json", "name"),
        (b'{"name": "()"}', "application/json", "name"),
        (b'{"name": "x", "tags": {"a": 1}}', "application/json", "tags.a"),
        (b'{"name": "x", "tags": []}', "application/json", "tags"),
    ],
)
def test_invalid_company_bodies_are_400_naming_the_field(
    client: TestClient, content: bytes, content_type: str | None, item: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = assert_codat_error(client.post("/companies", content=content, headers=headers), 400)
    assert body["error"] == "Error processing request - not valid."
    items = [e["itemId"] for e in body["validation"]["errors"]]
    assert item in items
    assert all(e["message"] for e in body["validation"]["errors"])
    assert client.get("/companies").json()["totalResults"] == 0


def test_too_many_tags_is_400(client: TestClient) -> None:
    tags = {f"k{i}": "v" for i in range(11)}
    body = assert_codat_error(client.post("/companies", json={"name": "x", "tags": tags}), 400)
    assert body["validation"]["errors"][0]["itemId"] == "tags"


def test_json_with_charset_is_accepted(client: TestClient) -> None:
    response = client.post(
        "/companies", content=b'{"name": "x"}', headers={"Content-Type": "application/json; charset=utf-8"}
    )
    assert response.status_code == 200


def test_body_over_one_mebibyte_is_413(client: TestClient) -> None:
    big = b'{"name": "x", "description": "' + b"a" * (1024 * 1024) + b'"}'
    body = assert_codat_error(client.post("/companies", content=big, headers={"Content-Type": "application/json"}), 413)
    assert "1048576" in body["error"]

    def chunks() -> Any:  # no Content-Length: the limit must hold while streaming too
        yield b'{"name": "x", "description": "'
        for _ in range(1100):
            yield b"a" * 1024
        yield b'"}'

    assert_codat_error(client.post("/companies", content=chunks(), headers={"Content-Type": "application/json"}), 413)
    assert client.get("/companies").json()["totalResults"] == 0


def test_failed_updates_leave_the_company_as_it_was(client: TestClient) -> None:
    company = client.post("/companies", json={"name": "Acme", "tags": {"a": "1"}}).json()
    url = f"/companies/{company['id']}"
    for method, body in (
        ("PUT", {"name": "()"}),
        ("PUT", {"name": "ok", "tags": {"k" * 28: "v"}}),
        ("PATCH", {"name": "ok", "tags": {"a": 1}}),
        ("PATCH", {"tags": {f"k{i}": "v" for i in range(11)}, "name": "changed"}),
    ):
        assert client.request(method, url, json=body).status_code == 400
    assert client.get(url).json() == company


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(st.sampled_from(["name", "description", "tags", "platformKey", "status", "x"]), json_values)
)
def test_no_body_ever_yields_a_server_error(client: TestClient, body: dict[str, Any]) -> None:
    company = client.post("/companies", json={"name": "Fixed"}).json()
    connection = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}).json()
    targets = [
        ("POST", "/companies"),
        ("PUT", f"/companies/{company['id']}"),
        ("PATCH", f"/companies/{company['id']}"),
        ("POST", f"/companies/{company['id']}/connections"),
        ("PATCH", f"/companies/{company['id']}/connections/{connection['id']}"),
        ("PUT", f"/companies/{company['id']}/connections/{connection['id']}/authorization"),
    ]
    for method, url in targets:
        response = client.request(method, url, json=body)
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            assert_codat_error(response, response.status_code)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=60), order_by=st.text(max_size=12), tags=st.text(max_size=30))
def test_no_listing_parameter_ever_yields_a_server_error(
    client: TestClient, query: str, order_by: str, tags: str
) -> None:
    for url in ("/companies", "/integrations"):
        response = client.get(url, params={"query": query, "orderBy": order_by, "tags": tags})
        assert response.status_code in (200, 400), response.text

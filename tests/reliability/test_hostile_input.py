"""Hostile input at the application: never a 5xx, never a redirect, always Codat's ErrorMessage on failure,
and a refused request changes nothing stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from api_helpers import basic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from raw_http import ERROR_FIELDS
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.domain.rules import MAX_COMPANY_NAME_LENGTH
from mock_server.domain.store import Store

TENANT = "hostile-tenant"


@pytest.fixture
def hostile(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store=store), headers=basic(TENANT), follow_redirects=False) as client:
        yield client


@pytest.fixture
def seeded(hostile: TestClient) -> tuple[str, str]:
    company = hostile.post("/companies", json={"name": "Target", "tags": {"a": "b"}}).json()["id"]
    connection = hostile.post(f"/companies/{company}/connections", json={"platformKey": "qhyg"}).json()["id"]
    return company, connection


def assert_codat_error(response: Any, status: int | None = None) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if status is not None:
        assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == ERROR_FIELDS
    assert body["statusCode"] == response.status_code
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/companies/%2F",
        "/companies/%2f",
        "/companies/",
        "/companies//",
        "/integrations/%2F",
        "/integrations/",
        "/companies/{company}/connections/%2F",
        "/companies/{company}/connections/",
        "/companies/{company}/",
        "/companies/{company}/connections/{connection}/",
        "//companies",
        "/_mock/",
    ],
)
def test_unknown_paths_are_a_codat_404_never_a_redirect(
    hostile: TestClient, seeded: tuple[str, str], path: str
) -> None:
    company, connection = seeded
    response = hostile.get(path.format(company=company, connection=connection))
    assert "location" not in response.headers
    body = assert_codat_error(response, 404)
    assert body["error"] == "The requested resource was not found."


def test_a_million_character_name_is_a_400_naming_name(hostile: TestClient, store: Store) -> None:
    huge = "a" * 1_000_000
    body = assert_codat_error(hostile.post("/companies", json={"name": huge}), 400)
    [item] = body["validation"]["errors"]
    assert item["itemId"] == "name"
    assert str(MAX_COMPANY_NAME_LENGTH) in item["message"]
    assert store.companies(TENANT) == []


def test_the_name_limit_holds_for_replace_and_update(
    hostile: TestClient, store: Store, seeded: tuple[str, str]
) -> None:
    company, _ = seeded
    before = store.export_state(TENANT)
    too_long = "n" * (MAX_COMPANY_NAME_LENGTH + 1)
    assert_codat_error(hostile.put(f"/companies/{company}", json={"name": too_long}), 400)
    assert_codat_error(hostile.patch(f"/companies/{company}", json={"name": too_long}), 400)
    assert store.export_state(TENANT) == before
    at_limit = "n" * MAX_COMPANY_NAME_LENGTH
    assert hostile.patch(f"/companies/{company}", json={"name": at_limit}).json()["name"] == at_limit


# --- a Hypothesis sweep of hostile requests -----------------------------------------------------------------

_SEGMENTS = st.one_of(
    st.sampled_from(["%2F", "%00", "..", ".", "%", "%zz", "%C0%AF", "{company}", "{connection}", "qhyg", "\u202e"]),
    st.text(min_size=0, max_size=40),
)
_PATHS = st.lists(_SEGMENTS, min_size=0, max_size=5).map(lambda parts: "/" + "/".join(parts))
_TEMPLATES = st.sampled_from(
    [
        "/companies",
        "/companies/{company}",
        "/companies/{company}/connections",
        "/companies/{company}/connections/{connection}",
        "/companies/{company}/connections/{connection}/authorization",
        "/integrations",
        "/integrations/{segment}",
        "/companies/{segment}",
        "/companies/{company}/connections/{segment}",
    ]
)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
_BODIES = st.one_of(
    st.binary(max_size=200),
    _JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries(
        {},
        optional={
            "name": st.one_of(st.text(max_size=40), st.integers(), st.none()),
            "description": st.one_of(st.text(max_size=20), st.integers()),
            "tags": st.dictionaries(st.text(max_size=30), st.text(max_size=110), max_size=12),
            "platformKey": st.text(max_size=6),
            "status": st.text(max_size=12),
        },
    ).map(lambda value: json.dumps(value).encode()),
)
_PARAMS = st.lists(
    st.tuples(
        st.sampled_from(["page", "pageSize", "query", "orderBy", "tags", "PAGE", "x"]),
        st.one_of(st.text(max_size=60), st.sampled_from(["-1", "0", "99999999999", "name=", "~", "&&", "{", "-"])),
    ),
    max_size=4,
)
_METHODS = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
_CONTENT_TYPES = st.sampled_from(["application/json", "text/plain", "application/x+json", "", "application/json; x"])


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    method=_METHODS,
    template=_TEMPLATES,
    segment=_PATHS,
    params=_PARAMS,
    body=_BODIES,
    content_type=_CONTENT_TYPES,
    raw_path=st.booleans(),
)
def test_hostile_requests_get_codat_errors_and_change_nothing_when_refused(
    hostile: TestClient,
    store: Store,
    seeded: tuple[str, str],
    method: str,
    template: str,
    segment: str,
    params: list[tuple[str, str]],
    body: bytes,
    content_type: str,
    raw_path: bool,
) -> None:
    company, connection = seeded
    # Controls and non-ASCII are percent-encoded (a client cannot put them raw in a URL; the protocol-layer
    # tests send them raw); `%` itself is kept, so broken escapes like `%zz` reach the app as sent.
    segment = quote(segment, safe="/%{}")
    path = segment if raw_path else template.format(company=company, connection=connection, segment=segment[1:])
    before = store.export_state(TENANT)
    headers = {"Content-Type": content_type} if content_type else {}
    response = hostile.request(method, path, params=params, content=body, headers=headers)
    assert not 300 <= response.status_code < 400, (method, path, response.status_code)
    assert response.status_code < 500, (method, path, params, body, response.text[:300])
    if response.status_code >= 400 and method != "HEAD":
        assert_codat_error(response)
    if response.status_code >= 400:
        assert store.export_state(TENANT) == before, (method, path, params, body)

"""The sync client: the request each method sends, what it returns, paging, ownership and context managers."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sdk_fake import API_KEY, BASE_URL, FakeCodat, company_body

from sdk_stub import (
    CodatClient,
    Company,
    Connection,
    ConnectionStatus,
    Integration,
    NotFoundError,
    Page,
    SourceType,
)


def _path(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii").split("?", 1)[0]


def _params(request: httpx.Request) -> list[tuple[str, str]]:
    return list(request.url.params.multi_items())


# -- headers --------------------------------------------------------------------------------------------------


def test_auth_header_is_the_base64_key_and_user_agent_is_sent(client: CodatClient, fake: FakeCodat) -> None:
    client.companies.list()
    expected = "Basic " + base64.b64encode(API_KEY.encode()).decode()
    assert fake.last.headers["Authorization"] == expected
    assert ":" not in base64.b64decode(expected.split()[1]).decode()
    assert fake.last.headers["User-Agent"].startswith("codat-mock-sdk-stub/")
    assert fake.last.headers["Accept"] == "application/json"


def test_custom_user_agent_and_non_ascii_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as http,
        CodatClient("clé-ünïcode", base_url=BASE_URL, http_client=http, user_agent="my-app/1.0") as codat,
    ):
        codat.companies.delete("c1")
    assert seen[0].headers["User-Agent"] == "my-app/1.0"
    assert base64.b64decode(seen[0].headers["Authorization"].removeprefix("Basic ")).decode() == "clé-ünïcode"


def test_empty_api_key_is_refused() -> None:
    with pytest.raises(ValueError, match="api_key"):
        CodatClient("")


def test_repr_does_not_show_the_key(client: CodatClient) -> None:
    assert API_KEY not in repr(client)
    assert BASE_URL in repr(client)


# -- companies ------------------------------------------------------------------------------------------------


def test_create_company_sends_only_the_name_when_nothing_else_is_given(client: CodatClient, fake: FakeCodat) -> None:
    company = client.companies.create(name="Acme Ltd")
    assert (fake.last.method, _path(fake.last)) == ("POST", "/companies")
    assert fake.last.headers["Content-Type"] == "application/json"
    assert fake.last_json() == {"name": "Acme Ltd"}
    assert isinstance(company, Company)
    assert company.name == "Acme Ltd"
    assert company.description == ""
    assert company.tags == {}
    assert company.data_connections == []
    assert company.redirect == f"https://link.codat.io/company/{company.id}"


def test_create_company_with_description_and_tags(client: CodatClient, fake: FakeCodat) -> None:
    company = client.companies.create("Acme Ltd", description="customer 42", tags={"region": "uk"})
    assert fake.last_json() == {"name": "Acme Ltd", "description": "customer 42", "tags": {"region": "uk"}}
    assert company.description == "customer 42"
    assert company.tags == {"region": "uk"}


def test_get_company(client: CodatClient, fake: FakeCodat) -> None:
    created = client.companies.create(name="Acme Ltd")
    company = client.companies.get(created.id)
    assert (fake.last.method, _path(fake.last)) == ("GET", f"/companies/{created.id}")
    assert fake.last.content == b""
    assert company == created


def test_list_companies_sends_only_the_given_params_in_codat_order(client: CodatClient, fake: FakeCodat) -> None:
    client.companies.list()
    assert (fake.last.method, _path(fake.last), _params(fake.last)) == ("GET", "/companies", [])
    client.companies.list(tags="region=uk", order_by="-created", query="name~Acme", page_size=5, page=2)
    assert _params(fake.last) == [
        ("page", "2"),
        ("pageSize", "5"),
        ("query", "name~Acme"),
        ("orderBy", "-created"),
        ("tags", "region=uk"),
    ]


def test_list_companies_returns_a_page(client: CodatClient) -> None:
    for n in range(3):
        client.companies.create(name=f"Company {n}")
    page = client.companies.list(page=1, page_size=2)
    assert isinstance(page, Page)
    assert [c.name for c in page.results] == ["Company 0", "Company 1"]
    assert (page.page_number, page.page_size, page.total_results) == (1, 2, 3)
    assert page.links.self.href == "/companies"
    assert page.links.current.href == "/companies?page=1&pageSize=2"
    assert page.links.next is not None and page.links.next.href == "/companies?page=2&pageSize=2"
    assert page.links.previous is None
    assert page.has_next
    last = client.companies.list(page=2, page_size=2)
    assert not last.has_next
    assert last.links.previous is not None


def test_iter_companies_walks_every_page(client: CodatClient, fake: FakeCodat) -> None:
    names = [f"Company {n}" for n in range(7)]
    for name in names:
        client.companies.create(name=name)
    fake.requests.clear()
    walked = client.companies.iter(query="name~Company", page_size=3)
    assert fake.requests == []  # lazy: nothing is fetched before iteration starts
    assert [c.name for c in walked] == names
    assert [_params(r) for r in fake.requests] == [
        [("page", str(n)), ("pageSize", "3"), ("query", "name~Company")] for n in (1, 2, 3)
    ]


def test_iter_stops_on_an_empty_page_even_if_next_is_claimed(client: CodatClient, fake: FakeCodat) -> None:
    links = {"self": {"href": "/companies"}, "current": {"href": "/companies"}, "next": {"href": "/x"}}
    empty = {"results": [], "pageNumber": 1, "pageSize": 100, "totalResults": 5, "_links": links}
    fake.enqueue(httpx.Response(200, json=empty))
    assert list(client.companies.iter()) == []
    assert len(fake.requests) == 1


def test_update_company_patches_only_the_given_fields(client: CodatClient, fake: FakeCodat) -> None:
    created = client.companies.create(name="Acme Ltd", description="keep me", tags={"a": "1"})
    updated = client.companies.update(created.id, tags={"b": "2"})
    assert (fake.last.method, _path(fake.last)) == ("PATCH", f"/companies/{created.id}")
    assert fake.last_json() == {"tags": {"b": "2"}}
    assert updated.description == "keep me"
    assert updated.tags == {"b": "2"}
    client.companies.update(created.id, name="New name", description="")
    assert fake.last_json() == {"name": "New name", "description": ""}


def test_replace_company_puts_name_and_given_fields(client: CodatClient, fake: FakeCodat) -> None:
    created = client.companies.create(name="Acme Ltd", description="old", tags={"a": "1"})
    replaced = client.companies.replace(created.id, name="Acme Group")
    assert (fake.last.method, _path(fake.last)) == ("PUT", f"/companies/{created.id}")
    assert fake.last_json() == {"name": "Acme Group"}
    assert (replaced.name, replaced.description, replaced.tags) == ("Acme Group", "", {})
    client.companies.replace(created.id, name="Acme", description="d", tags={"t": "v"})
    assert fake.last_json() == {"name": "Acme", "description": "d", "tags": {"t": "v"}}


def test_delete_company_accepts_204(client: CodatClient, fake: FakeCodat) -> None:
    created = client.companies.create(name="Acme Ltd")
    client.companies.delete(created.id)
    assert (fake.last.method, _path(fake.last)) == ("DELETE", f"/companies/{created.id}")
    with pytest.raises(NotFoundError):
        client.companies.get(created.id)


# -- connections ----------------------------------------------------------------------------------------------


def test_connection_lifecycle_requests(client: CodatClient, fake: FakeCodat) -> None:
    company = client.companies.create(name="Acme Ltd")
    base = f"/companies/{company.id}/connections"

    connection = client.connections.create(company_id=company.id, platform_key="qhyg")
    assert (fake.last.method, _path(fake.last), fake.last_json()) == ("POST", base, {"platformKey": "qhyg"})
    assert isinstance(connection, Connection)
    assert connection.status is ConnectionStatus.PENDING_AUTH
    assert connection.source_type is SourceType.ACCOUNTING
    assert connection.integration_key == "qhyg"

    fetched = client.connections.get(company_id=company.id, connection_id=connection.id)
    assert (fake.last.method, _path(fake.last)) == ("GET", f"{base}/{connection.id}")
    assert fetched == connection

    linked = client.connections.update_authorization(
        company_id=company.id, connection_id=connection.id, authorization={"accessToken": "0000", "realmId": "1"}
    )
    assert (fake.last.method, _path(fake.last)) == ("PUT", f"{base}/{connection.id}/authorization")
    assert fake.last_json() == {"accessToken": "0000", "realmId": "1"}
    assert linked.status == ConnectionStatus.LINKED

    unlinked = client.connections.unlink(company_id=company.id, connection_id=connection.id)
    assert (fake.last.method, _path(fake.last)) == ("PATCH", f"{base}/{connection.id}")
    assert fake.last_json() == {"status": "Unlinked"}
    assert unlinked.status == "Unlinked"

    client.connections.delete(company_id=company.id, connection_id=connection.id)
    assert (fake.last.method, _path(fake.last), fake.last.content) == ("DELETE", f"{base}/{connection.id}", b"")
    with pytest.raises(NotFoundError, match="not found"):
        client.connections.get(company_id=company.id, connection_id=connection.id)


def test_list_and_iter_connections(client: CodatClient, fake: FakeCodat) -> None:
    company = client.companies.create(name="Acme Ltd")
    keys = ["qhyg", "gbol", "mqjo", "akxx", "fbrh"]
    for key in keys:
        client.connections.create(company_id=company.id, platform_key=key)
    page = client.connections.list(company_id=company.id, query="status=PendingAuth", order_by="created", page_size=2)
    assert _path(fake.last) == f"/companies/{company.id}/connections"
    assert _params(fake.last) == [("pageSize", "2"), ("query", "status=PendingAuth"), ("orderBy", "created")]
    assert [c.integration_key for c in page.results] == keys[:2]
    assert page.total_results == 5
    assert [c.integration_key for c in client.connections.iter(company_id=company.id, page_size=2)] == keys
    assert client.companies.get(company.id).data_connections[0].integration_key == "qhyg"


# -- integrations ---------------------------------------------------------------------------------------------


def test_integrations_list_iter_get(client: CodatClient, fake: FakeCodat) -> None:
    page = client.integrations.list(query="sourceType=Accounting", order_by="name", page=1, page_size=4)
    assert (fake.last.method, _path(fake.last)) == ("GET", "/integrations")
    assert _params(fake.last) == [
        ("page", "1"),
        ("pageSize", "4"),
        ("query", "sourceType=Accounting"),
        ("orderBy", "name"),
    ]
    assert all(isinstance(i, Integration) for i in page.results)
    assert page.has_next
    keys = [i.key for i in client.integrations.iter(page_size=4)]
    assert keys == [i["key"] for i in fake.integrations]
    xero = client.integrations.get("gbol")
    assert (fake.last.method, _path(fake.last)) == ("GET", "/integrations/gbol")
    assert (xero.name, xero.logo_url, xero.enabled) == (
        "Xero",
        "https://static.codat.io/public/platforms/gbol.png",
        True,
    )
    with pytest.raises(NotFoundError, match="platform key zzzz"):
        client.integrations.get("zzzz")


# -- paths and URLs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("company_id", "encoded"),
    [
        ("a/b", "a%2Fb"),
        ("x?page=2", "x%3Fpage%3D2"),
        ("#frag", "%23frag"),
        ("with space", "with%20space"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("100%", "100%25"),
        ("é", "%C3%A9"),
    ],
)
def test_path_segments_are_percent_encoded(client: CodatClient, fake: FakeCodat, company_id: str, encoded: str) -> None:
    with pytest.raises(NotFoundError):
        client.connections.get(company_id=company_id, connection_id=company_id)
    assert _path(fake.last) == f"/companies/{encoded}/connections/{encoded}"
    assert _params(fake.last) == []


@pytest.mark.parametrize("bad", ["", None, 42])
def test_empty_or_non_string_ids_are_refused_before_sending(client: CodatClient, fake: FakeCodat, bad: Any) -> None:
    with pytest.raises(ValueError, match="company_id"):
        client.companies.get(bad)
    with pytest.raises(ValueError, match="connection_id"):
        client.connections.get(company_id="c", connection_id=bad)
    with pytest.raises(ValueError, match="platform_key"):
        client.integrations.get(bad)
    assert fake.requests == []


@pytest.mark.parametrize("base_url", ["http://proxy.test/codat", "http://proxy.test/codat/"])
def test_base_url_path_prefix_is_kept(base_url: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=company_body(id="c1"))

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://ignored.test") as http:
        CodatClient(API_KEY, base_url=base_url, http_client=http).companies.get("c1")
    assert str(seen[0].url) == "http://proxy.test/codat/companies/c1"


def test_default_base_url_is_codat_production() -> None:
    assert CodatClient(API_KEY).base_url == "https://api.codat.io"


# -- ownership and context managers ---------------------------------------------------------------------------


def test_injected_client_is_not_closed(fake: FakeCodat) -> None:
    http = httpx.Client(transport=httpx.MockTransport(fake))
    with CodatClient(API_KEY, base_url=BASE_URL, http_client=http) as codat:
        codat.companies.list()
    codat.close()
    assert not http.is_closed
    http.get(f"{BASE_URL}/integrations")  # still usable
    http.close()


def test_owned_client_is_closed_by_the_context_manager() -> None:
    with CodatClient(API_KEY) as codat:
        assert isinstance(codat, CodatClient)
        assert not codat._http.is_closed
    assert codat._http.is_closed


def test_close_closes_the_owned_client() -> None:
    codat = CodatClient(API_KEY, timeout=5.0)
    assert codat._http.timeout == httpx.Timeout(5.0)
    codat.close()
    assert codat._http.is_closed


def test_timeout_is_applied_to_each_request(fake: FakeCodat) -> None:
    with httpx.Client(transport=httpx.MockTransport(fake), timeout=99) as http:
        CodatClient(API_KEY, base_url=BASE_URL, http_client=http, timeout=2.5).companies.list()
    assert fake.last.extensions["timeout"] == httpx.Timeout(2.5).as_dict()


# -- the seed flow --------------------------------------------------------------------------------------------


def test_seed_flow(client: CodatClient, fake: FakeCodat) -> None:
    company = client.companies.create(name="Bank of Dave", description="internal_id_42")
    connection = client.connections.create(company_id=company.id, platform_key="qhyg")
    assert connection.status == ConnectionStatus.PENDING_AUTH
    fake.link(company.id, connection.id)  # what the user does at connection.link_url
    assert client.connections.get(company_id=company.id, connection_id=connection.id).status == "Linked"
    unlinked = client.connections.unlink(company_id=company.id, connection_id=connection.id)
    assert unlinked.status == ConnectionStatus.UNLINKED
    assert [c.status for c in client.companies.get(company.id).data_connections] == [ConnectionStatus.UNLINKED]
    client.companies.delete(company.id)
    assert client.companies.list().total_results == 0


# -- properties -----------------------------------------------------------------------------------------------

# Lone surrogates cannot be encoded as UTF-8 JSON at all, so they are not something a caller can send.
_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
_tags = st.dictionaries(_text, _text, max_size=10)


def _echo(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    return httpx.Response(200, json=company_body(id="c1", **body))


@given(name=_text, description=st.none() | _text, tags=st.none() | _tags)
def test_company_fields_are_serialized_exactly(name: str, description: str | None, tags: dict[str, str] | None) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _echo(request)

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        codat = CodatClient(API_KEY, base_url=BASE_URL, http_client=http)
        created = codat.companies.create(name, description=description, tags=tags)
        updated = codat.companies.update("c1", name=name, description=description, tags=tags)
        replaced = codat.companies.replace("c1", name=name, description=description, tags=tags)

    expected: dict[str, Any] = {"name": name}
    if description is not None:
        expected["description"] = description
    if tags is not None:
        expected["tags"] = tags
    assert [json.loads(r.content) for r in seen] == [expected, expected, expected]
    for company in (created, updated, replaced):
        assert company.name == name
        assert company.tags == (tags or {})
        assert company.description == (description if description is not None else "")


@given(query=_text, order_by=_text, tags=_text, page=st.integers(1, 10**6), page_size=st.integers(1, 5000))
def test_list_params_round_trip_through_the_url(
    query: str, order_by: str, tags: str, page: int, page_size: int
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        links = {"self": {"href": "/companies"}, "current": {"href": "/companies"}}
        return httpx.Response(
            200, json={"results": [], "pageNumber": page, "pageSize": page_size, "totalResults": 0, "_links": links}
        )

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        CodatClient(API_KEY, base_url=BASE_URL, http_client=http).companies.list(
            query=query, order_by=order_by, tags=tags, page=page, page_size=page_size
        )
    assert _path(seen[0]) == "/companies"
    assert _params(seen[0]) == [
        ("page", str(page)),
        ("pageSize", str(page_size)),
        ("query", query),
        ("orderBy", order_by),
        ("tags", tags),
    ]


@given(company_id=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30))
def test_any_id_stays_one_path_segment(company_id: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        CodatClient(API_KEY, base_url=BASE_URL, http_client=http).companies.delete(company_id)
    raw = _path(seen[0])
    assert raw.startswith("/companies/")
    segment = raw.removeprefix("/companies/")
    assert "/" not in segment
    assert seen[0].url.query == b""
    assert seen[0].url.fragment == ""
    assert unquote(segment) == company_id


# -- in-process ASGI apps -------------------------------------------------------------------------------------


def _tiny_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def get_company(request: Request) -> JSONResponse:
        body = company_body(id=request.path_params["company_id"], name=request.headers["authorization"])
        return JSONResponse(body)

    return Starlette(routes=[Route("/companies/{company_id}", get_company)])


def test_starlette_test_client_can_be_injected() -> None:
    from starlette.testclient import TestClient

    with TestClient(_tiny_app()) as http:
        company = CodatClient(API_KEY, base_url="http://testserver", http_client=http).companies.get("c 1")
    assert company.id == "c 1"
    assert company.name == "Basic " + base64.b64encode(API_KEY.encode()).decode()


def test_the_codat_authorization_wins_over_an_injected_clients_auth(fake: FakeCodat) -> None:
    with httpx.Client(transport=httpx.MockTransport(fake), auth=("user", "password")) as http:
        CodatClient(API_KEY, base_url=BASE_URL, http_client=http).companies.list()
    assert fake.last.headers["Authorization"] == "Basic " + base64.b64encode(API_KEY.encode()).decode()

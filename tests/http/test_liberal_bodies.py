"""Request bodies read as liberally as Codat's API reads them, and strictly on request.

- Unknown fields are ignored, named in the `X-Codat-Mock-Ignored-Fields` response header and in the journal.
- `--strict-bodies` (Settings.strict_bodies) or the tenant's `strictBodies` setting refuse them with 400.
- Codat marks every emulated body optional: no body, an empty one (any Content-Type or none) reads as `{}`;
  so unlink with no body unlinks, authorization with no body authorizes, update-company with none changes
  nothing, and create-company without a name is still the documented 400 naming `name`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from api_helpers import basic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.http.bodies import IGNORED_FIELDS_HEADER, MAX_IGNORED_FIELDS
from mock_server.settings import Settings

HEADER = IGNORED_FIELDS_HEADER


def ignored(response: Any) -> list[str]:
    """The field names the response's header lists, decoded; [] when the header is absent."""
    value = response.headers.get(HEADER)
    return [] if value is None else [unquote(part) for part in value.split(",")]


def linked_connection(client: TestClient) -> str:
    company = client.post("/companies", json={"name": "Acme"}).json()
    connection = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}).json()
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    assert client.put(f"{url}/authorization", json={}).json()["status"] == "Linked"
    return url


# -- unknown fields ----------------------------------------------------------------------------------------


def test_unknown_fields_are_ignored_and_named(client: TestClient) -> None:
    response = client.post("/companies", json={"name": "Acme", "colour": "red", "nested": {"a": 1}})
    assert response.status_code == 200, response.text
    assert ignored(response) == ["colour", "nested"]
    company = response.json()
    assert company["name"] == "Acme" and "colour" not in company
    stored = client.get(f"/companies/{company['id']}")
    assert stored.json() == company and HEADER not in stored.headers


def test_a_body_without_unknown_fields_has_no_header(client: TestClient) -> None:
    assert HEADER not in client.post("/companies", json={"name": "Acme"}).headers


def test_every_body_operation_ignores_unknown_fields(client: TestClient) -> None:
    company = client.post("/companies", json={"name": "Acme", "x": 1})
    base = f"/companies/{company.json()['id']}"
    assert ignored(client.put(base, json={"name": "B", "x": 1})) == ["x"]
    assert ignored(client.patch(base, json={"x": 1})) == ["x"]
    connection = client.post(f"{base}/connections", json={"platformKey": "qhyg", "x": 1})
    assert ignored(connection) == ["x"]
    url = f"{base}/connections/{connection.json()['id']}"
    # Authorization's body is a map of strings: every string-valued key is a credential, none is unknown.
    assert HEADER not in client.put(f"{url}/authorization", json={"x": "1"}).headers
    unlinked = client.patch(url, json={"status": "Unlinked", "x": 1})
    assert unlinked.json()["status"] == "Unlinked" and ignored(unlinked) == ["x"]


def test_an_unknown_field_does_not_hide_a_real_error(client: TestClient) -> None:
    response = client.post("/companies", json={"name": 5, "colour": "red"})
    assert response.status_code == 400
    assert [e["itemId"] for e in response.json()["validation"]["errors"]] == ["name"]
    assert client.get("/companies").json()["totalResults"] == 0


def test_awkward_field_names_survive_the_header(client: TestClient) -> None:
    names = ["a,b", "snö", "x y", "%41", "\u2603", ""]
    response = client.post("/companies", json={"name": "Acme", **{n: 1 for n in names}})
    assert response.status_code == 200 and ignored(response) == names
    assert response.headers[HEADER].isascii()


def test_the_header_lists_at_most_the_first_names(client: TestClient) -> None:
    extras = {f"f{i:03}": i for i in range(MAX_IGNORED_FIELDS + 8)}
    response = client.post("/companies", json={"name": "Acme", **extras})
    assert response.status_code == 200
    assert ignored(response) == list(extras)[:MAX_IGNORED_FIELDS]


def test_the_journal_names_the_ignored_fields(client: TestClient) -> None:
    client.post("/companies", json={"name": "Acme", "colour": "red"})
    client.post("/companies", json={"name": "Plain"})
    entries = client.get("/_mock/journal", params={"operationId": "create-company"}).json()["entries"]
    assert [e["ignoredFields"] for e in entries] == [["colour"], []]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    extras=st.dictionaries(
        st.text(max_size=12).filter(lambda k: k not in ("name", "description", "tags")),
        st.none() | st.integers() | st.text(max_size=5) | st.lists(st.booleans(), max_size=2),
        max_size=5,
    )
)
def test_extras_change_nothing_but_the_header(client: TestClient, extras: dict[str, Any]) -> None:
    """For any unknown fields: the same company as without them, and the header names exactly them."""
    plain = client.post("/companies", json={"name": "Acme", "tags": {"k": "v"}}).json()
    response = client.post("/companies", json={"name": "Acme", "tags": {"k": "v"}, **extras})
    assert response.status_code == 200
    made = response.json()
    assert {k: v for k, v in made.items() if k not in ("id", "redirect")} == {
        k: v for k, v in plain.items() if k not in ("id", "redirect")
    }
    assert sorted(ignored(response)) == sorted(extras)


# -- strict bodies -----------------------------------------------------------------------------------------


@pytest.fixture
def strict_server() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(strict_bodies=True)), headers=basic("tenant-s")) as test_client:
        yield test_client


def test_strict_bodies_refuse_unknown_fields_naming_each(strict_server: TestClient) -> None:
    response = strict_server.post("/companies", json={"name": "Acme", "colour": "red", "size": 2})
    assert response.status_code == 400
    assert sorted(e["itemId"] for e in response.json()["validation"]["errors"]) == ["colour", "size"]
    assert strict_server.get("/companies").json()["totalResults"] == 0


def test_a_tenant_can_choose_either_way(strict_server: TestClient, client: TestClient) -> None:
    # The server is strict; this tenant asks for Codat's leniency.
    assert strict_server.put("/_mock/settings", json={"strictBodies": False}).json()["strictBodies"] is False
    assert strict_server.post("/companies", json={"name": "Acme", "x": 1}).status_code == 200
    # The server is lenient; this tenant wants typos to fail.
    client.put("/_mock/settings", json={"strictBodies": True})
    refused = client.post("/companies", json={"name": "Acme", "nmae": "typo"})
    assert refused.status_code == 400 and refused.json()["validation"]["errors"][0]["itemId"] == "nmae"
    # Only that tenant: another key on the same server is lenient still.
    other = client.post("/companies", json={"name": "Acme", "nmae": "typo"}, headers=basic("tenant-b"))
    assert other.status_code == 200
    # Back to the server's choice.
    assert client.put("/_mock/settings", json={}).json()["strictBodies"] is None
    assert client.post("/companies", json={"name": "Acme", "nmae": "typo"}).status_code == 200


def test_strict_bodies_still_take_optional_bodies(strict_server: TestClient) -> None:
    url = linked_connection(strict_server)
    assert strict_server.patch(url).json()["status"] == "Unlinked"


# -- optional bodies ---------------------------------------------------------------------------------------

EMPTY_BODIES = [
    pytest.param(None, {}, id="no body"),
    pytest.param(b"", {"Content-Type": "application/json"}, id="empty, json"),
    pytest.param(b"", {}, id="empty, no content type"),
    pytest.param(b"  \n", {"Content-Type": "text/plain"}, id="whitespace, text"),
    pytest.param(b"{}", {"Content-Type": "application/json"}, id="{}"),
    pytest.param(b'{"status": null}', {"Content-Type": "application/json"}, id="null status"),
]


@pytest.mark.parametrize(("content", "headers"), EMPTY_BODIES)
def test_unlink_needs_no_body(client: TestClient, content: bytes | None, headers: dict[str, str]) -> None:
    url = linked_connection(client)
    response = client.patch(url, content=content, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "Unlinked" and client.get(url).json()["status"] == "Unlinked"


@pytest.mark.parametrize(("content", "headers"), EMPTY_BODIES[:4])
def test_authorization_needs_no_body(client: TestClient, content: bytes | None, headers: dict[str, str]) -> None:
    company = client.post("/companies", json={"name": "Acme"}).json()
    connection = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}).json()
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    response = client.put(f"{url}/authorization", content=content, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "Linked"


def test_update_company_with_no_body_changes_nothing(client: TestClient) -> None:
    company = client.post("/companies", json={"name": "Acme", "description": "d", "tags": {"a": "b"}}).json()
    response = client.patch(f"/companies/{company['id']}")
    assert response.status_code == 200 and response.json() == company


@pytest.mark.parametrize(("method", "path", "field"), [("POST", "", "name"), ("PUT", "/{id}", "name")])
def test_a_company_without_a_body_still_needs_a_name(client: TestClient, method: str, path: str, field: str) -> None:
    company = client.post("/companies", json={"name": "Acme"}).json()
    response = client.request(method, "/companies" + path.format(id=company["id"]))
    assert response.status_code == 400
    assert [e["itemId"] for e in response.json()["validation"]["errors"]] == [field]
    assert client.get(f"/companies/{company['id']}").json() == company


def test_a_body_that_is_there_must_still_be_json(client: TestClient) -> None:
    url = linked_connection(client)
    response = client.patch(url, content=json.dumps({"status": "Unlinked"}), headers={"Content-Type": "text/plain"})
    assert response.status_code == 400
    assert response.json()["validation"]["errors"][0]["itemId"] == "Content-Type"
    assert client.get(url).json()["status"] == "Linked"


# -- the Python client, both ways ----------------------------------------------------------------------------


@pytest.mark.parametrize("credentials", [None, {"accessToken": "0000"}])
def test_the_client_links_with_or_without_credentials(credentials: dict[str, str] | None) -> None:
    from sdk_stub import CodatClient, ConnectionStatus

    with (
        TestClient(create_app()) as http,
        CodatClient("client-key", base_url="http://testserver", http_client=http) as codat,
    ):
        company = codat.companies.create(name="Acme")
        connection = codat.connections.create(company_id=company.id, platform_key="qhyg")
        linked = codat.connections.update_authorization(
            company_id=company.id, connection_id=connection.id, authorization=credentials
        )
        assert linked.status == ConnectionStatus.LINKED
        unlinked = codat.connections.unlink(company_id=company.id, connection_id=connection.id)
        assert unlinked.status == ConnectionStatus.UNLINKED
        sent = http.get("/_mock/journal", headers=basic("client-key")).json()["entries"]
        bodies = {e["operationId"]: e["requestBody"] for e in sent}
        sent_credentials = bodies["update-connection-authorization"]
        assert (json.loads(sent_credentials) if sent_credentials else None) == credentials
        assert json.loads(bodies["unlink-connection"]) == {"status": "Unlinked"}


# -- the flag and the variable -------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "strict"), [("true", True), ("1", True), ("false", False), ("0", False)])
def test_the_variable_sets_strict_bodies(raw: str, strict: bool) -> None:
    assert Settings.from_env({"CODAT_MOCK_STRICT_BODIES": raw}).strict_bodies is strict
    assert Settings.from_env({}).strict_bodies is False


def test_the_strict_bodies_flag_on_a_live_server() -> None:
    from mock_server.testing import LiveServer

    with LiveServer(["--strict-bodies"]) as server:
        auth = basic("live-strict")
        refused = httpx.post(f"{server.url}/companies", json={"name": "Acme", "nmae": "x"}, headers=auth, timeout=10)
        accepted = httpx.post(f"{server.url}/companies", json={"name": "Acme"}, headers=auth, timeout=10)
    assert refused.status_code == 400 and refused.json()["validation"]["errors"][0]["itemId"] == "nmae"
    assert accepted.status_code == 200

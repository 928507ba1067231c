"""The Link pages over HTTP: company page, start page, result page, redirects, 404s and tenancy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from api_helpers import basic
from starlette.applications import Starlette
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.domain.store import Store

BASE = "http://testserver"
MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def app(store: Store) -> Starlette:
    return create_app(store=store)


@pytest.fixture
def api(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app, headers=basic("tenant-a")) as client:
        yield client


@pytest.fixture
def browser(app: Starlette) -> Iterator[TestClient]:
    """The same emulator, reached with no API key, as a browser opening a Link URL is."""
    with TestClient(app, follow_redirects=False) as client:
        yield client


def local(url: str) -> str:
    assert url.startswith(BASE), url
    return url[len(BASE) :]


@pytest.fixture
def company(api: TestClient) -> dict[str, Any]:
    body: dict[str, Any] = api.post("/companies", json={"name": "Bob's Burgers & Co"}).json()
    return body


def connect(api: TestClient, company_id: str, key: str = "qhyg") -> dict[str, Any]:
    body: dict[str, Any] = api.post(f"/companies/{company_id}/connections", json={"platformKey": key}).json()
    return body


def click(browser: TestClient, start_url: str, action: str) -> Any:
    return browser.post(local(start_url), data={"action": action})


def connection_status(api: TestClient, company_id: str, connection_id: str) -> str:
    status: str = api.get(f"/companies/{company_id}/connections/{connection_id}").json()["status"]
    return status


# --- the company page ---------------------------------------------------------------------------------


def test_company_page_lists_every_platform(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    page = browser.get(local(company["redirect"]))
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    html = page.text
    assert '<html lang="en">' in html
    assert "Bob&#39;s Burgers &amp; Co" in html  # escaped, never raw
    assert "<script" not in html
    for integration in api.get("/integrations").json()["results"]:
        assert f'name="platformKey" value="{integration["key"]}"' in html
        assert integration["name"] in html
    assert "<legend>Accounting software</legend>" in html and "<legend>Banking</legend>" in html


def test_choosing_a_platform_creates_a_pending_connection(
    api: TestClient, browser: TestClient, company: dict[str, Any]
) -> None:
    response = browser.post(local(company["redirect"]), data={"platformKey": "gbol"})
    assert response.status_code == 303
    connections = api.get(f"/companies/{company['id']}/connections").json()["results"]
    assert [(c["integrationKey"], c["status"]) for c in connections] == [("gbol", "PendingAuth")]
    assert response.headers["location"] == connections[0]["linkUrl"]
    # Choosing it again reuses the pending connection instead of piling up new ones.
    again = browser.post(local(company["redirect"]), data={"platformKey": "gbol"})
    assert again.headers["location"] == connections[0]["linkUrl"]
    assert api.get(f"/companies/{company['id']}/connections").json()["totalResults"] == 1
    # The company page now lists it, with its Link page.
    assert connections[0]["linkUrl"] in browser.get(local(company["redirect"])).text


def test_a_non_pending_connection_is_not_reused(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    first = connect(api, company["id"], "gbol")
    api.put(f"/companies/{company['id']}/connections/{first['id']}/authorization", json={})
    response = browser.post(local(company["redirect"]), data={"platformKey": "gbol"})
    assert response.headers["location"] != first["linkUrl"]
    assert api.get(f"/companies/{company['id']}/connections").json()["totalResults"] == 2


def test_custom_parameters_travel_from_the_company_page(
    api: TestClient, browser: TestClient, company: dict[str, Any]
) -> None:
    page = browser.get(local(company["redirect"]) + "?customParam=123&x=a%20b")
    assert 'action="/link/company/' in page.text and "?customParam=123&amp;x=a%20b" in page.text
    response = browser.post(local(company["redirect"]) + "?customParam=123&x=a%20b", data={"platformKey": "qhyg"})
    assert response.headers["location"].endswith("/start?customParam=123&x=a%20b")


@pytest.mark.parametrize(
    ("data", "content_type", "status", "text"),
    [
        ({"platformKey": "zzzz"}, None, 400, "is not one"),
        ({}, None, 400, "Choose a platform"),
        ({"platformKey": ""}, None, 400, "Choose a platform"),
    ],
)
def test_bad_platform_choices_change_nothing(
    api: TestClient,
    browser: TestClient,
    company: dict[str, Any],
    data: dict[str, str],
    content_type: str | None,
    status: int,
    text: str,
) -> None:
    response = browser.post(local(company["redirect"]), data=data)
    assert response.status_code == status
    assert text in response.text and 'role="alert"' in response.text
    assert api.get(f"/companies/{company['id']}/connections").json()["totalResults"] == 0


def test_forms_must_be_forms(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    response = browser.post(local(company["redirect"]), json={"platformKey": "qhyg"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "x-www-form-urlencoded" in response.text
    huge = browser.post(local(company["redirect"]), data={"platformKey": "q" * 20_000})
    assert huge.status_code == 413 and huge.headers["content-type"].startswith("text/html")
    assert api.get(f"/companies/{company['id']}/connections").json()["totalResults"] == 0


def test_cross_site_posts_are_refused(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    connection = connect(api, company["id"])
    for url, data in (
        (local(company["redirect"]), {"platformKey": "gbol"}),
        (local(connection["linkUrl"]), {"action": "authorize"}),
    ):
        refused = browser.post(url, data=data, headers={"Sec-Fetch-Site": "cross-site"})
        assert refused.status_code == 403 and "another site" in refused.text
    assert api.get(f"/companies/{company['id']}/connections").json()["totalResults"] == 1
    assert connection_status(api, company["id"], connection["id"]) == "PendingAuth"
    same = browser.post(
        local(connection["linkUrl"]), data={"action": "authorize"}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert same.status_code == 303


# --- the start page and its buttons -------------------------------------------------------------------


def test_start_page_names_company_and_platform(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    connection = connect(api, company["id"], "gbol")
    page = browser.get(local(connection["linkUrl"]))
    assert page.status_code == 200
    html = page.text
    assert "<h1>Authorize Xero</h1>" in html
    assert "Bob&#39;s Burgers &amp; Co" in html
    for value, label in (("authorize", "Authorize"), ("cancel", "Cancel"), ("error", "Simulate platform error")):
        assert f'name="action" value="{value}"' in html and f">{label}</button>" in html
    assert '<dd id="status">PendingAuth</dd>' in html
    assert "already linked" not in html
    # Looking changes nothing.
    for _ in range(3):
        browser.get(local(connection["linkUrl"]))
    assert api.get(f"/companies/{company['id']}/connections/{connection['id']}").json() == connection


def test_authorize_links_and_shows_success(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    connection = connect(api, company["id"])
    response = click(browser, connection["linkUrl"], "authorize")
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/connections/{connection['id']}/result?statusCode=200")
    assert connection_status(api, company["id"], connection["id"]) == "Linked"
    result = browser.get(local(response.headers["location"]))
    assert result.status_code == 200
    assert ">Connected</h1>" in result.text and "QuickBooks Online is now linked" in result.text
    assert '<dd id="status">Linked</dd>' in result.text
    # Authorizing again: already connected, 201, nothing changes.
    again = click(browser, connection["linkUrl"], "authorize")
    assert again.headers["location"].endswith("statusCode=201")
    assert "already linked" in browser.get(local(connection["linkUrl"])).text
    assert "Already connected" in browser.get(local(again.headers["location"])).text


def test_cancel_records_an_entry_and_shows_failure(
    api: TestClient, browser: TestClient, company: dict[str, Any]
) -> None:
    connection = connect(api, company["id"])
    response = click(browser, connection["linkUrl"], "cancel")
    assert response.headers["location"].endswith("statusCode=403")
    body = api.get(f"/companies/{company['id']}/connections/{connection['id']}").json()
    assert body["status"] == "PendingAuth"
    assert [(e["statusCode"], e["errorMessage"], e["status"]) for e in body["dataConnectionErrors"]] == [
        ("403", "User cancelled", "Active")
    ]
    result = browser.get(local(response.headers["location"])).text
    assert "Linking cancelled" in result and "Try again" in result
    assert "Earlier attempts" in browser.get(local(connection["linkUrl"])).text


def test_platform_error_records_a_500_entry(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    connection = connect(api, company["id"])
    response = click(browser, connection["linkUrl"], "error")
    assert response.headers["location"].endswith("statusCode=500")
    body = api.get(f"/companies/{company['id']}/connections/{connection['id']}").json()
    assert body["status"] == "PendingAuth"
    assert [(e["statusCode"], e["errorMessage"]) for e in body["dataConnectionErrors"]] == [
        ("500", "Unknown error occurred.")
    ]
    assert "Linking failed" in browser.get(local(response.headers["location"])).text


def test_authorize_reconnects_an_unlinked_connection(
    api: TestClient, browser: TestClient, company: dict[str, Any]
) -> None:
    connection = connect(api, company["id"])
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    api.put(f"{url}/authorization", json={})
    api.patch(url, json={"status": "Unlinked"})
    response = click(browser, connection["linkUrl"], "authorize")
    assert response.headers["location"].endswith("statusCode=200")
    assert connection_status(api, company["id"], connection["id"]) == "Linked"


def test_a_second_accounting_link_fails_visibly(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    qbo = connect(api, company["id"], "qhyg")
    xero = connect(api, company["id"], "gbol")
    click(browser, qbo["linkUrl"], "authorize")
    response = click(browser, xero["linkUrl"], "authorize")
    assert response.headers["location"].endswith("statusCode=500")
    body = api.get(f"/companies/{company['id']}/connections/{xero['id']}").json()
    assert body["status"] == "PendingAuth"
    assert body["dataConnectionErrors"][0]["statusCode"] == "500"
    page = browser.get(local(response.headers["location"])).text
    assert "Linking failed" in page and qbo["id"] in page and "already has a Linked accounting connection" in page
    # A banking connection is not limited.
    bank = connect(api, company["id"], "suuo")
    assert click(browser, bank["linkUrl"], "authorize").headers["location"].endswith("statusCode=200")


@pytest.mark.parametrize("data", [{"action": "explode"}, {}, {"action": ""}])
def test_unknown_actions_are_400_and_change_nothing(
    api: TestClient, browser: TestClient, company: dict[str, Any], data: dict[str, str]
) -> None:
    connection = connect(api, company["id"])
    response = browser.post(local(connection["linkUrl"]), data=data)
    assert response.status_code == 400 and "Authorize" in response.text
    assert api.get(f"/companies/{company['id']}/connections/{connection['id']}").json() == connection


def test_result_page_without_a_known_status(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    connection = connect(api, company["id"])
    result_url = local(connection["linkUrl"]).replace("/start", "/result")
    for query in ("", "?statusCode=999", "?statusCode=abc"):
        page = browser.get(result_url + query)
        assert page.status_code == 200 and "This connection is PendingAuth." in page.text


# --- redirects to the tenant's configured URL ---------------------------------------------------------


def redirect_to(api: TestClient, template: str) -> None:
    response = api.put("/_mock/settings", json={"redirectUrl": template})
    assert response.status_code == 200, response.text


def test_redirect_substitutes_every_placeholder(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    names = [
        "clientId",
        "companyId",
        "connectionId",
        "integrationId",
        "sourceId",
        "platform",
        "platformName",
        "sourceType",
        "statusCode",
        "statusText",
        "errorMessage",
        "data.company.companyName",
    ]
    redirect_to(api, "https://app.example/done?" + "&".join(f"{n}={{{n}}}" for n in names))
    connection = connect(api, company["id"], "gbol")
    response = click(browser, connection["linkUrl"], "authorize")
    assert response.status_code == 303
    query = {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query, keep_blank_values=True).items()}
    tenants = api.get("/_mock/tenants").json()["tenants"]
    assert query == {
        "clientId": tenants[0]["clientId"],
        "companyId": company["id"],
        "connectionId": connection["id"],
        "integrationId": connection["integrationId"],
        "sourceId": connection["sourceId"],
        "platform": "gbol",
        "platformName": "Xero",
        "sourceType": "accounting",
        "statusCode": "200",
        "statusText": "Success",
        "errorMessage": "",
        "data.company.companyName": "Bob's Burgers & Co",
    }
    assert "Bob%27s%20Burgers%20%26%20Co" in response.headers["location"]


@pytest.mark.parametrize(
    ("action", "code", "message"),
    [("authorize", "200", ""), ("cancel", "403", "User%20cancelled."), ("error", "500", "Unknown%20error%20occurred.")],
)
def test_redirect_status_codes_and_messages(
    api: TestClient, browser: TestClient, company: dict[str, Any], action: str, code: str, message: str
) -> None:
    redirect_to(
        api, "https://redirect.site/{sourceType}/?flow=Codat&statuscode={statusCode}&errormessage={errorMessage}"
    )
    connection = connect(api, company["id"])
    location = click(browser, connection["linkUrl"], action).headers["location"]
    assert location == f"https://redirect.site/accounting/?flow=Codat&statuscode={code}&errormessage={message}"


def test_redirect_carries_custom_parameters(api: TestClient, browser: TestClient, company: dict[str, Any]) -> None:
    redirect_to(api, "https://www.mybank.io/{customParam}/success?ClientType={clientType}&q={spaced}")
    connection = connect(api, company["id"])
    response = browser.post(
        local(connection["linkUrl"]) + "?customParam=123456&spaced=a%20b%26c&customParam=ignored",
        data={"action": "authorize"},
    )
    assert response.headers["location"] == "https://www.mybank.io/123456/success?ClientType=&q=a%20b%26c"


def test_redirect_after_a_refused_second_accounting_link(
    api: TestClient, browser: TestClient, company: dict[str, Any]
) -> None:
    redirect_to(api, "https://app.example/?s={statusCode}&m={errorMessage}&c={connectionId}")
    qbo = connect(api, company["id"], "qhyg")
    xero = connect(api, company["id"], "gbol")
    assert click(browser, qbo["linkUrl"], "authorize").headers["location"].startswith("https://app.example/?s=200")
    location = click(browser, xero["linkUrl"], "authorize").headers["location"]
    assert location == f"https://app.example/?s=500&m=Unknown%20error%20occurred.&c={xero['id']}"
    assert click(browser, qbo["linkUrl"], "cancel").headers["location"].startswith("https://app.example/?s=201&m=&")


def test_the_whole_flow_from_the_company_redirect(
    api: TestClient, browser: TestClient, company: dict[str, Any]
) -> None:
    redirect_to(api, "https://app.example/linked/{companyId}/{connectionId}?ref={ref}")
    chosen = browser.post(local(company["redirect"]) + "?ref=abc", data={"platformKey": "gbol"})
    start = chosen.headers["location"]
    done = browser.post(local(start), data={"action": "authorize"})
    connection = api.get(f"/companies/{company['id']}").json()["dataConnections"][0]
    assert done.headers["location"] == f"https://app.example/linked/{company['id']}/{connection['id']}?ref=abc"
    assert connection["status"] == "Linked"


# --- not found, tenancy, methods ----------------------------------------------------------------------


def test_unknown_or_deleted_things_are_a_404_page(
    api: TestClient, browser: TestClient, company: dict[str, Any]
) -> None:
    connection = connect(api, company["id"])
    other = api.post("/companies", json={"name": "Other"}).json()
    api.delete(f"/companies/{other['id']}")
    gone = connect(api, company["id"], "gbol")
    api.delete(f"/companies/{company['id']}/connections/{gone['id']}")
    cid = company["id"]
    for method, url in (
        ("GET", f"/link/company/{MISSING}"),
        ("GET", f"/link/company/{other['id']}"),
        ("GET", "/link/company/not-a-uuid"),
        ("POST", f"/link/company/{MISSING}"),
        ("GET", f"/link/companies/{cid}/connections/{MISSING}/start"),
        ("GET", f"/link/companies/{cid}/connections/{gone['id']}/start"),
        ("POST", f"/link/companies/{cid}/connections/{gone['id']}/start"),
        ("GET", f"/link/companies/{cid}/connections/{gone['id']}/result"),
        ("GET", f"/link/companies/{other['id']}/connections/{connection['id']}/start"),
        ("GET", "/link/elsewhere"),
        ("GET", "/link"),
    ):
        page = browser.request(method, url, data={"action": "authorize", "platformKey": "qhyg"})
        assert page.status_code == 404, (method, url)
        assert page.headers["content-type"].startswith("text/html")
        assert "Link not found" in page.text or "no Link page" in page.text
    assert connection_status(api, cid, connection["id"]) == "PendingAuth"


def test_a_link_url_reaches_only_its_own_tenant(store: Store, api: TestClient, browser: TestClient) -> None:
    mine = api.post("/companies", json={"name": "Mine"}).json()
    theirs = api.post("/companies", json={"name": "Theirs"}, headers=basic("tenant-b")).json()
    their_connection = (
        connect(api, theirs["id"])
        if False
        else api.post(
            f"/companies/{theirs['id']}/connections", json={"platformKey": "qhyg"}, headers=basic("tenant-b")
        ).json()
    )
    # Each company's pages work without any API key, for its own tenant...
    assert browser.get(local(theirs["redirect"])).status_code == 200
    assert browser.get(local(their_connection["linkUrl"])).status_code == 200
    # ...but another company's id cannot reach that tenant's connection.
    crossed = f"/link/companies/{mine['id']}/connections/{their_connection['id']}/start"
    assert browser.post(crossed, data={"action": "authorize"}).status_code == 404
    assert store.get_connection("tenant-b", theirs["id"], their_connection["id"]).status.value == "PendingAuth"
    # Completing their Link changes their tenant, and only theirs.
    browser.post(local(their_connection["linkUrl"]), data={"action": "authorize"})
    assert store.get_connection("tenant-b", theirs["id"], their_connection["id"]).status.value == "Linked"
    assert api.get(f"/companies/{theirs['id']}").status_code == 404


def test_wrong_methods_are_405(browser: TestClient, company: dict[str, Any]) -> None:
    response = browser.put(local(company["redirect"]))
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_head_requests_work(browser: TestClient, company: dict[str, Any]) -> None:
    response = browser.head(local(company["redirect"]))
    assert response.status_code == 200 and response.content == b""


def test_link_pages_are_journaled_under_their_tenant(
    api: TestClient, browser: TestClient, company: dict[str, Any]
) -> None:
    connection = connect(api, company["id"])
    browser.get(local(connection["linkUrl"]))
    click(browser, connection["linkUrl"], "cancel")
    entries = api.get("/_mock/journal", params={"pathPrefix": "/link/"}).json()["entries"]
    assert [(e["method"], e["operationId"], e["status"]) for e in entries] == [
        ("GET", "link-start-page", 200),
        ("POST", "link-complete", 303),
    ]
    assert entries[1]["requestBody"] == "action=cancel"

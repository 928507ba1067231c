"""A real browser through the Link flow: Playwright driving Debian's Chromium against `codat-mock serve`.

Chromium comes from the system (`apt-get install -y chromium`), never from `playwright install`; the test
is skipped, with that reason, only when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import base64
import http.server
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from mock_server.testing import LiveServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's Chromium is not installed at /usr/bin/chromium (CI installs it: apt-get install -y chromium)",
)


class _Callback(http.server.BaseHTTPRequestHandler):
    """The tenant's app: where Link redirects the browser when it is done."""

    received: list[str]

    def do_GET(self) -> None:
        self.received.append(self.path)
        body = b"<!doctype html><title>Back in the app</title><h1>Back in the app</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def callback() -> Iterator[tuple[str, list[str]]]:
    received: list[str] = []
    handler = type("Handler", (_Callback,), {"received": received})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def emulator() -> Iterator[LiveServer]:
    with LiveServer(env={"CODAT_MOCK_PUBLIC_URL": None}) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


class Tenant:
    """A fresh tenant of the live emulator, reached with its own API key."""

    def __init__(self, base_url: str) -> None:
        key = f"browser-{uuid.uuid4().hex}"
        self.http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": "Basic " + base64.b64encode(key.encode()).decode()},
            timeout=10,
        )

    def company(self, name: str) -> dict[str, Any]:
        response = self.http.post("/companies", json={"name": name})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def tenant(emulator: LiveServer) -> Iterator[Tenant]:
    made = Tenant(emulator.url)
    try:
        yield made
    finally:
        made.http.close()


def test_authorize_in_a_browser_lands_on_the_redirect(
    tenant: Tenant, callback: tuple[str, list[str]], page: Page
) -> None:
    callback_url, received = callback
    template = (
        f"{callback_url}/linked?company={{companyId}}&connection={{connectionId}}&status={{statusCode}}&ref={{ref}}"
    )
    assert tenant.http.put("/_mock/settings", json={"redirectUrl": template}).status_code == 200
    company = tenant.company("Browser Test Ltd")

    page.goto(company["redirect"] + "?ref=e2e")
    assert page.get_by_role("heading", level=1).inner_text() == "Connect Browser Test Ltd"
    page.get_by_role("button", name="QuickBooks Online").click()

    page.wait_for_url("**/start?ref=e2e")
    assert page.get_by_role("heading", level=1).inner_text() == "Authorize QuickBooks Online"
    page.get_by_role("button", name="Authorize").click()

    page.wait_for_url(f"{callback_url}/linked?**")
    assert page.get_by_role("heading", level=1).inner_text() == "Back in the app"
    query = parse_qs(urlsplit(page.url).query)
    connection_id = query["connection"][0]
    assert query == {"company": [company["id"]], "connection": [connection_id], "status": ["200"], "ref": ["e2e"]}
    assert urlsplit(page.url).path + "?" + urlsplit(page.url).query in received  # the app saw the redirect

    connection = tenant.http.get(f"/companies/{company['id']}/connections/{connection_id}").json()
    assert connection["status"] == "Linked"
    assert connection["integrationKey"] == "qhyg"


def test_cancel_in_a_browser_shows_the_failure_page(tenant: Tenant, page: Page) -> None:
    company = tenant.company("Cancelling Co")
    connection = tenant.http.post(f"/companies/{company['id']}/connections", json={"platformKey": "gbol"}).json()

    page.goto(connection["linkUrl"])
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_url("**/result?statusCode=403")
    assert page.get_by_role("heading", level=1).inner_text() == "Linking cancelled"
    assert page.get_by_role("link", name="Try again").get_attribute("href") == connection["linkUrl"]

    fetched = tenant.http.get(f"/companies/{company['id']}/connections/{connection['id']}").json()
    assert fetched["status"] == "PendingAuth"
    assert [e["statusCode"] for e in fetched["dataConnectionErrors"]] == ["403"]


def test_an_unknown_link_is_a_404_page(emulator: LiveServer, page: Page) -> None:
    response = page.goto(f"{emulator.url}/link/company/{uuid.uuid4()}")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Link not found"

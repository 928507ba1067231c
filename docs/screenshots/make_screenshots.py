"""Render the Link pages to PNG for the README: `.venv/bin/python docs/screenshots/make_screenshots.py`.

Runs the emulator in-process (deterministic mode, so ids and times are the same every run) on a free
loopback port and drives Debian's Chromium (`apt-get install -y chromium`) with Playwright. Writes:

    link-company.png   the company page (`redirect`): pick a platform
    link-start.png     the connection's start page (`linkUrl`): Authorize / Cancel / Simulate platform error
    link-success.png   the success page (no redirect URL configured)
    link-failure.png   the failure page: a second accounting platform refused
    link-not-found.png the 404 page
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from mock_server.app import create_app
from mock_server.control import store_for
from mock_server.domain.store import Store
from mock_server.settings import Settings

OUT = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TENANT = "screenshots"


def populate(store: Store) -> dict[str, str]:
    """A company with a linked QuickBooks Online connection and a pending Xero one; the URLs to shoot."""
    company = store.create_company(TENANT, name="Bob's Burgers", tags={"region": "uk"})
    qbo = store.create_connection(TENANT, company.id, "qhyg")
    xero = store.create_connection(TENANT, company.id, "gbol")
    base = f"/link/companies/{company.id}/connections"
    return {"company": company.id, "qbo": f"{base}/{qbo.id}", "xero": f"{base}/{xero.id}"}


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: apt-get install -y chromium", file=sys.stderr)
        return 1
    settings = Settings(seed=1)
    store = store_for(settings)
    paths = populate(store)
    app = create_app(settings, store=store)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 960, "height": 720}, device_scale_factor=1)

            def shoot(name: str) -> None:
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                print(f"wrote {OUT / f'{name}.png'}")

            page.goto(f"{base}/link/company/{paths['company']}")
            shoot("link-company")
            page.goto(f"{base}{paths['qbo']}/start")
            shoot("link-start")
            page.get_by_role("button", name="Authorize").click()
            page.wait_for_url("**/result?statusCode=200")
            shoot("link-success")
            page.goto(f"{base}{paths['xero']}/start")
            page.get_by_role("button", name="Authorize").click()
            page.wait_for_url("**/result?statusCode=500")
            shoot("link-failure")
            page.goto(f"{base}/link/company/00000000-0000-4000-8000-000000000000")
            shoot("link-not-found")
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Drive the README's seed flow over HTTP against a running emulator; exit 1 on the first deviation.

    CODAT_MOCK_URL=http://127.0.0.1:18090 python tests/container/seed_flow_check.py

`.ci/run` runs it inside `container-check`, against the image built from the Dockerfile, with the container's
port published on the host. It checks what a user of the image sees: a company and a connection are made,
the connection's `linkUrl` points at the URL the host reaches the container on (`--link-base`, default
`$CODAT_MOCK_URL`) and answers there, the Link page's Authorize form links it, unlink, re-link through
`PUT …/authorization`, then the connection and the company are deleted and are gone.

Standalone on purpose (httpx only, no project imports): it judges the container from outside.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import uuid
from collections.abc import Sequence
from typing import Any

import httpx


class Deviation(Exception):
    """The emulator answered something the seed flow does not expect."""


def expect(response: httpx.Response, status: int, what: str) -> httpx.Response:
    if response.status_code != status:
        raise Deviation(
            f"{what}: {response.request.method} {response.request.url} answered {response.status_code}, "
            f"expected {status}: {response.text[:500]}"
        )
    return response


def field(body: Any, name: str, what: str) -> Any:
    if not isinstance(body, dict) or name not in body:
        raise Deviation(f"{what}: no {name!r} in {body!r}"[:600])
    return body[name]


def seed_flow(base_url: str, link_base: str, log: Any = print) -> None:
    """Every step of the flow; raises Deviation on the first thing that is not as expected."""
    key = f"container-check-{uuid.uuid4().hex}"
    auth = {"Authorization": "Basic " + base64.b64encode(key.encode()).decode()}
    with httpx.Client(base_url=base_url, headers=auth, timeout=10) as api:
        expect(api.get("/_mock/ready"), 200, "readiness")

        company = expect(api.post("/companies", json={"name": "Bank of Dave"}), 200, "create-company").json()
        company_id = field(company, "id", "create-company")
        log(f"created company {company_id}")

        created = api.post(f"/companies/{company_id}/connections", json={"platformKey": "qhyg"})
        connection = expect(created, 200, "create-connection").json()
        connection_id = field(connection, "id", "create-connection")
        if field(connection, "status", "create-connection") != "PendingAuth":
            raise Deviation(f"create-connection: status {connection['status']!r}, expected 'PendingAuth'")
        link_url = field(connection, "linkUrl", "create-connection")
        expected_link = f"{link_base}/link/companies/{company_id}/connections/{connection_id}/start"
        if link_url != expected_link:
            raise Deviation(f"linkUrl is {link_url!r}, expected {expected_link!r} (the host's mapped URL)")
        log(f"created connection {connection_id}, linkUrl {link_url}")

        # The linkUrl itself, as a browser on the host would open it: no API key.
        with httpx.Client(timeout=10) as browser:
            page = expect(browser.get(link_url), 200, "the Link start page")
            if not page.headers.get("content-type", "").startswith("text/html") or "authorize" not in page.text:
                raise Deviation(f"the Link start page is not the page with the Authorize form: {page.text[:300]!r}")
            # Its Authorize button: a form post, answered 303 to the result page (no redirect URL set).
            decided = expect(browser.post(link_url, data={"action": "authorize"}), 303, "Link's Authorize form")
            log(f"Authorize on the Link page: 303 to {decided.headers.get('location')}")

        def status() -> str:
            got = expect(api.get(f"/companies/{company_id}/connections/{connection_id}"), 200, "get-connection")
            return str(field(got.json(), "status", "get-connection"))

        if status() != "Linked":
            raise Deviation(f"after Link's Authorize the connection is {status()!r}, expected 'Linked'")

        unlinked = api.patch(f"/companies/{company_id}/connections/{connection_id}", json={"status": "Unlinked"})
        if field(expect(unlinked, 200, "unlink-connection").json(), "status", "unlink-connection") != "Unlinked":
            raise Deviation(f"unlink-connection answered {unlinked.text[:300]}")
        log("unlinked")

        relinked = api.put(
            f"/companies/{company_id}/connections/{connection_id}/authorization", json={"accessToken": "0000-0000"}
        )
        if field(expect(relinked, 200, "update-authorization").json(), "status", "update-authorization") != "Linked":
            raise Deviation(f"update-connection-authorization answered {relinked.text[:300]}")
        log("linked again through PUT …/authorization")

        expect(api.delete(f"/companies/{company_id}/connections/{connection_id}"), 200, "delete-connection")
        expect(api.get(f"/companies/{company_id}/connections/{connection_id}"), 404, "the deleted connection")
        expect(api.delete(f"/companies/{company_id}"), 204, "delete-company")
        expect(api.get(f"/companies/{company_id}"), 404, "the deleted company")
        log("deleted the connection and the company")


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    environ = dict(os.environ) if environ is None else environ
    parser = argparse.ArgumentParser(description="Drive the seed flow against $CODAT_MOCK_URL; exit 1 on a deviation.")
    parser.add_argument("--url", default=environ.get("CODAT_MOCK_URL"), help="the emulator (default $CODAT_MOCK_URL)")
    parser.add_argument("--link-base", help="where linkUrls must point (default: the emulator's URL)")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("no emulator URL: set CODAT_MOCK_URL or pass --url")
    base_url = args.url.rstrip("/")
    link_base = (args.link_base or base_url).rstrip("/")
    try:
        seed_flow(base_url, link_base)
    except (Deviation, httpx.HTTPError) as exc:
        print(f"seed flow FAILED against {base_url}: {exc}", file=sys.stderr)
        return 1
    print(f"seed flow passed against {base_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

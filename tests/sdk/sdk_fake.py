"""An in-memory fake of the Codat API for the sdk_stub tests, used as an `httpx.MockTransport` handler.

The fake follows docs/decisions.md closely enough for the client's needs (bodies, paging links, error
envelopes, auth); it is written independently of mock_server so the client tests stand alone.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx
from payables_fake import PAYABLES, FakePayables

from sdk_stub import RetryPolicy

API_KEY = "test-api-key"
BASE_URL = "http://codat.test"

INTEGRATIONS = [
    ("pdvj", "MYOB Business"),
    ("akxx", "Oracle NetSuite"),
    ("qhyg", "QuickBooks Online"),
    ("pqsw", "QuickBooks Desktop"),
    ("knfz", "Sage Intacct"),
    ("gbol", "Xero"),
    ("fbrh", "FreeAgent"),
    ("rwuv", "Zoho Books"),
    ("mqjo", "Sandbox"),
]


def error_body(status: int, error: str, validation: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A Codat ErrorMessage as docs/decisions.md describes it."""
    return {
        "statusCode": status,
        "service": "PublicApi",
        "error": error,
        "correlationId": uuid.uuid4().hex,
        "validation": None if validation is None else {"errors": validation, "warnings": []},
        "canBeRetried": "Unknown",
        "detailedErrorCode": 0,
    }


def company_body(**overrides: Any) -> dict[str, Any]:
    """A complete company body in Codat's wire shape."""
    company_id = overrides.pop("id", str(uuid.uuid4()))
    body = {
        "id": company_id,
        "name": "Acme Ltd",
        "description": "",
        "redirect": f"https://link.codat.io/company/{company_id}",
        "created": "2026-11-26T06:53:22.1234560Z",
        "createdByUserName": None,
        "products": [],
        "tags": {},
        "referenceSubsidiaryCompanies": [],
        "dataConnections": [],
    }
    body.update(overrides)
    return body


def connection_body(**overrides: Any) -> dict[str, Any]:
    """A complete connection body in Codat's wire shape."""
    connection_id = overrides.pop("id", str(uuid.uuid4()))
    body = {
        "id": connection_id,
        "integrationId": "adeb7fe9-4c64-4848-9e0d-175317876b6f",
        "integrationKey": "qhyg",
        "sourceId": "afe268b1-289e-4496-b890-3d65e9ce1acb",
        "sourceType": "Accounting",
        "platformName": "QuickBooks Online",
        "linkUrl": f"{BASE_URL}/link/companies/c/connections/{connection_id}/start",
        "status": "PendingAuth",
        "created": "2026-11-26T06:53:22.1234560Z",
    }
    body.update(overrides)
    return body


def integration_body(key: str, name: str) -> dict[str, Any]:
    return {
        "key": key,
        "logoUrl": f"https://static.codat.io/public/platforms/{key}.png",
        "name": name,
        "enabled": True,
        "sourceId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"source/{key}")),
        "sourceType": "Accounting",
        "integrationId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"integration/{key}")),
        "isOfflineConnector": key == "pqsw",
        "isBeta": False,
        "dataProvidedBy": "Codat",
        "datatypeFeatures": [],
    }


@dataclass
class FakeTime:
    """A clock that only moves when someone sleeps (or a test moves it)."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def policy(self, **overrides: Any) -> RetryPolicy:
        return RetryPolicy(sleep=self.sleep, async_sleep=self.async_sleep, clock=self.clock, **overrides)


Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]

_COMPANIES = re.compile(r"^/companies$")
_COMPANY = re.compile(r"^/companies/(?P<company>[^/]+)$")
_CONNECTIONS = re.compile(r"^/companies/(?P<company>[^/]+)/connections$")
_CONNECTION = re.compile(r"^/companies/(?P<company>[^/]+)/connections/(?P<connection>[^/]+)$")
_AUTHORIZATION = re.compile(r"^/companies/(?P<company>[^/]+)/connections/(?P<connection>[^/]+)/authorization$")
_INTEGRATIONS = re.compile(r"^/integrations$")
_INTEGRATION = re.compile(r"^/integrations/(?P<key>[^/]+)$")


class FakeCodat:
    """A stateful fake of the Codat endpoints the client calls; use it as an `httpx.MockTransport` handler.

    `requests` records every request. `enqueue(...)` scripts the next replies (a response, an exception to
    raise, or a callable), which take precedence over the normal behaviour: that is how tests inject 429s,
    503s and connection errors.
    """

    def __init__(self, api_key: str = API_KEY) -> None:
        self.expected_auth = "Basic " + base64.b64encode(api_key.encode()).decode()
        self.requests: list[httpx.Request] = []
        self.companies: dict[str, dict[str, Any]] = {}
        self.connections: dict[str, dict[str, dict[str, Any]]] = {}
        self.integrations = [integration_body(key, name) for key, name in INTEGRATIONS]
        self._script: list[Reply] = []
        self._ticks = itertools.count(1)
        self.payables = FakePayables(self._error, self._invalid)

    # -- scripting -------------------------------------------------------------------------------------------

    def enqueue(self, *replies: Reply) -> None:
        self._script.extend(replies)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def last_json(self) -> Any:
        return json.loads(self.last.content)

    # -- the handler ----------------------------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self._script:
            reply = self._script.pop(0)
            if isinstance(reply, Exception):
                raise reply
            if isinstance(reply, httpx.Response):
                return reply
            return reply(request)
        if request.headers.get("Authorization") != self.expected_auth:
            return self._error(401, "Unauthorized")
        return self._route(request)

    def _route(self, request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        method = request.method
        if match := PAYABLES.match(path):
            company_id, connection_id = unquote(match["company"]), unquote(match["connection"])
            company = self.companies.get(company_id)
            connection = self.connections.get(company_id, {}).get(connection_id)
            return self.payables.handle(request, path, company, connection)
        if _COMPANIES.match(path):
            if method == "GET":
                return self._page(request, list(self.companies.values()))
            if method == "POST":
                return self._create_company(request)
        elif match := _COMPANY.match(path):
            company_id = unquote(match["company"])
            if company_id not in self.companies:
                return self._error(404, f"No company was found with ID {company_id}")
            if method == "GET":
                return self._json(200, self._company(company_id))
            if method in {"PUT", "PATCH"}:
                return self._change_company(request, company_id)
            if method == "DELETE":
                del self.companies[company_id]
                del self.connections[company_id]
                return httpx.Response(204)
        elif match := _CONNECTIONS.match(path):
            company_id = unquote(match["company"])
            if company_id not in self.companies:
                return self._error(404, f"No company was found with ID {company_id}")
            if method == "GET":
                return self._page(request, list(self.connections[company_id].values()))
            if method == "POST":
                return self._create_connection(request, company_id)
        elif (match := _CONNECTION.match(path)) or (match := _AUTHORIZATION.match(path)):
            company_id, connection_id = unquote(match["company"]), unquote(match["connection"])
            if company_id not in self.companies:
                return self._error(404, f"No company was found with ID {company_id}")
            connection = self.connections[company_id].get(connection_id)
            if connection is None:
                return self._error(404, f"Data connection {connection_id} not found")
            if path.endswith("/authorization") and method == "PUT":
                connection["status"] = "Linked"
                return self._json(200, connection)
            if method == "GET":
                return self._json(200, connection)
            if method == "PATCH":
                return self._unlink(request, connection)
            if method == "DELETE":
                del self.connections[company_id][connection_id]
                return httpx.Response(200)
        elif _INTEGRATIONS.match(path) and method == "GET":
            return self._page(request, self.integrations)
        elif (match := _INTEGRATION.match(path)) and method == "GET":
            key = unquote(match["key"])
            for integration in self.integrations:
                if integration["key"] == key:
                    return self._json(200, integration)
            return self._error(404, f"No integration was found with platform key {key}")
        else:
            return self._error(404, "The requested resource was not found.")
        return self._error(405, f"The requested resource does not support http method '{method}'.")

    # -- behaviour ------------------------------------------------------------------------------------------

    def _company(self, company_id: str) -> dict[str, Any]:
        return {**self.companies[company_id], "dataConnections": list(self.connections[company_id].values())}

    def _timestamp(self) -> str:
        return f"2026-11-26T06:53:{next(self._ticks) % 60:02d}.1234560Z"

    def _create_company(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if not isinstance(body.get("name"), str) or not body["name"].strip():
            return self._invalid("name", "Name must not be empty.")
        company = company_body(
            name=body["name"],
            description=body.get("description") or "",
            tags=body.get("tags") or {},
            created=self._timestamp(),
        )
        self.companies[company["id"]] = company
        self.connections[company["id"]] = {}
        return self._json(200, self._company(company["id"]))

    def _change_company(self, request: httpx.Request, company_id: str) -> httpx.Response:
        body = json.loads(request.content)
        company = self.companies[company_id]
        if request.method == "PUT":
            company.update(name=body["name"], description=body.get("description", ""), tags=body.get("tags", {}))
        else:
            company.update({key: value for key, value in body.items() if value is not None})
        return self._json(200, self._company(company_id))

    def _create_connection(self, request: httpx.Request, company_id: str) -> httpx.Response:
        key = json.loads(request.content).get("platformKey")
        names = dict(INTEGRATIONS)
        if key not in names:
            return self._error(404, f"No integration was found with platform key {key}")
        connection = connection_body(integrationKey=key, platformName=names[key], created=self._timestamp())
        self.connections[company_id][connection["id"]] = connection
        return self._json(200, connection)

    def _unlink(self, request: httpx.Request, connection: dict[str, Any]) -> httpx.Response:
        if json.loads(request.content) != {"status": "Unlinked"} or connection["status"] != "Linked":
            return self._error(400, f"Only Linked data connections can be unlinked; this one is {connection['status']}")
        connection["status"] = "Unlinked"
        return self._json(200, connection)

    def _page(self, request: httpx.Request, items: list[dict[str, Any]]) -> httpx.Response:
        params = request.url.params
        try:
            page = int(params.get("page", "1"))
            page_size = int(params.get("pageSize", "100"))
        except ValueError:
            return self._invalid("page", "not an integer")
        if page < 1 or not 1 <= page_size <= 5000:
            return self._invalid("pageSize" if page >= 1 else "page", "out of range")
        path = request.url.path
        others = [(k, v) for k, v in params.multi_items() if k not in {"page", "pageSize"}]

        def href(number: int) -> dict[str, str]:
            query = [("page", str(number))]
            if "pageSize" in params:
                query.append(("pageSize", str(page_size)))
            return {"href": str(httpx.URL(path, params=query + others))}

        start = (page - 1) * page_size
        links = {"self": {"href": path}, "current": href(page)}
        if start + page_size < len(items):
            links["next"] = href(page + 1)
        if page > 1:
            links["previous"] = href(page - 1)
        body = {
            "results": items[start : start + page_size],
            "pageNumber": page,
            "pageSize": page_size,
            "totalResults": len(items),
            "_links": links,
        }
        return self._json(200, body)

    @staticmethod
    def _json(status: int, body: Any) -> httpx.Response:
        return httpx.Response(status, json=body)

    def _error(self, status: int, error: str) -> httpx.Response:
        return self._json(status, error_body(status, error))

    def _invalid(self, item: str, message: str) -> httpx.Response:
        validation = [{"itemId": item, "message": message, "validatorName": "Fake"}]
        return self._json(400, error_body(400, "Error processing request - not valid.", validation))

    # -- what Link would do ---------------------------------------------------------------------------------

    def link(self, company_id: str, connection_id: str) -> None:
        self.connections[company_id][connection_id]["status"] = "Linked"

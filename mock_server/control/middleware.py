"""The ASGI middleware around the API and the Link pages: journal, fault injection, auto-link settling.

For each request it finds the route (its name is the operationId), the tenant (from `Authorization` for
the API; from the company id in the URL for the Link pages), and then:

1. asks the fault rules (API requests only): a rule may delay the request, answer it with an error
   instead of the handler, or both;
2. before a read (get/list companies and connections), lets the store apply the tenant's auto-link policy;
3. records the request and its response in the journal.

When the journal is off, no fault rule is installed and the caller's auto-link policy is manual, there is
nothing to do, and the request passes straight through (the benchmarks' "idle middleware" case).

Requests to `/_mock` itself pass straight through: the control plane is neither journaled nor faulted, so
a test can always inspect and repair the emulator. So do requests for the served contract (`/openapi.json`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..domain.errors import CodatError, Unauthorized
from ..domain.journal import JournalEntry, cut
from ..domain.tenants import fingerprint, policy_is_manual
from ..http.auth import tenant_of
from ..http.bodies import IGNORED_FIELDS_HEADER
from ..http.contract import CONTRACT_PATHS
from ..http.payables.routes import OPERATION_IDS as PAYABLES_OPERATION_IDS
from ..http.rendering import error_response
from .plane import ControlPlane

CONTROL_PREFIX = "/_mock"
LINK_PREFIX = "/link"
_TENANT_CACHE_SIZE = 4096
# The handlers name the body fields they ignored in this response header; the journal keeps them too.
_IGNORED_FIELDS = IGNORED_FIELDS_HEADER.lower().encode("latin-1")


@dataclass(frozen=True, slots=True)
class _RouteKey:
    """What the middleware needs of a route to name a request: a regex and the methods, not a child scope."""

    name: str
    regex: re.Pattern[str]
    methods: frozenset[str]

    @classmethod
    def of(cls, route: Route) -> _RouteKey:
        return cls(route.name, route.path_regex, frozenset(route.methods or ()))


@dataclass(frozen=True, slots=True)
class _Caller:
    tenant: str | None
    fingerprint: str | None


class _Recorder:
    """Keeps the first `limit` bytes of the request and response bodies, and the response status."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.request = bytearray()
        self.request_size = 0
        self.response = bytearray()
        self.response_size = 0
        self.status: int | None = None
        self.ignored_fields: tuple[str, ...] = ()

    def receive(self, inner: Receive) -> Receive:
        async def receive() -> Message:
            message = await inner()
            if message["type"] == "http.request":
                body: bytes = message.get("body", b"")
                self.request_size += len(body)
                room = self.limit - len(self.request)
                if room > 0:
                    self.request += body[:room]
            return message

        return receive

    def send(self, inner: Send) -> Send:
        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
                for name, value in message.get("headers", ()):
                    if name == _IGNORED_FIELDS:
                        self.ignored_fields = tuple(unquote(part) for part in value.decode("latin-1").split(","))
            elif message["type"] == "http.response.body":
                body: bytes = message.get("body", b"")
                self.response_size += len(body)
                room = self.limit - len(self.response)
                if room > 0:
                    self.response += body[:room]
            await inner(message)

        return send


class ControlMiddleware:
    """Wraps the whole app; `api_routes` and `link_routes` are the routes it names requests by."""

    def __init__(
        self,
        app: ASGIApp,
        plane: ControlPlane,
        api_routes: Sequence[BaseRoute],
        link_routes: Sequence[BaseRoute],
    ) -> None:
        self.app = app
        self.plane = plane
        self.api_routes = [_RouteKey.of(r) for r in api_routes if isinstance(r, Route)]
        self.link_routes = [_RouteKey.of(r) for r in link_routes if isinstance(r, Route)]
        # Authorization header → caller. Every API request needs its tenant; parsing base64 and hashing the
        # key each time costs more than the rest of this middleware, and callers reuse a handful of keys.
        self._callers: dict[bytes, _Caller] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if (
            scope["type"] != "http"
            or path == CONTROL_PREFIX
            or path.startswith(CONTROL_PREFIX + "/")
            or path in CONTRACT_PATHS
        ):
            await self.app(scope, receive, send)
            return
        plane = self.plane
        is_link = path == LINK_PREFIX or path.startswith(LINK_PREFIX + "/")
        if not plane.journal.enabled and plane.faults.idle and (is_link or self._nothing_to_settle(scope)):
            # Idle: nothing to record, fault or settle, so the request goes straight to the app. Costs two
            # attribute checks and, for the API, a cached tenant lookup.
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method: str = scope["method"]
        operation_id, params = _match(scope, self.link_routes if is_link else self.api_routes)
        caller = self._link_caller(params) if is_link else self._api_caller(scope)
        tenant = caller.tenant
        decision = None if is_link else plane.faults.decide(tenant, operation_id, method, path)

        recorder = _Recorder(plane.settings.journal_body_bytes) if plane.journal.enabled else None
        if recorder is not None:
            receive, send = recorder.receive(receive), recorder.send(send)
        try:
            if decision is not None and decision.delay_ms > 0:
                await plane.sleep(decision.delay_ms / 1000)
            if decision is not None and decision.status is not None:
                headers = {"Retry-After": decision.retry_after} if decision.retry_after is not None else None
                error = CodatError(decision.message, decision.status)
                await error_response(error, plane.store.ids().hex, headers)(scope, receive, send)
            else:
                if tenant is not None and operation_id is not None and not is_link:
                    self._settle(tenant, operation_id, params)
                await self.app(scope, receive, send)
        finally:
            if recorder is not None:
                self._record(scope, recorder, started, caller, operation_id, decision.rule_id if decision else None)

    def _nothing_to_settle(self, scope: Scope) -> bool:
        """The caller's auto-link policy is manual (or there is no valid caller): reads change nothing."""
        tenant = self._api_caller(scope).tenant
        return tenant is None or policy_is_manual(self.plane.store.settings(tenant))

    def _link_caller(self, params: Mapping[str, Any]) -> _Caller:
        company_id = params.get("companyId")
        tenant = self.plane.store.owner_of(company_id) if isinstance(company_id, str) else None
        return _Caller(tenant, fingerprint(tenant) if tenant is not None else None)

    def _api_caller(self, scope: Scope) -> _Caller:
        header = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                header = value
                break
        caller = self._callers.get(header)
        if caller is None:
            tenant = _api_tenant(scope)
            caller = _Caller(tenant, fingerprint(tenant) if tenant is not None else None)
            if len(self._callers) >= _TENANT_CACHE_SIZE:
                self._callers.clear()  # bounded: a run with endless fresh keys just re-parses them
            self._callers[header] = caller
        return caller

    def _settle(self, tenant: str, operation_id: str, params: Mapping[str, Any]) -> None:
        # The reads an auto-link policy counts (docs/control-plane.md): what each one covers.
        store = self.plane.store
        if operation_id == "list-companies":
            store.settle(tenant)
        elif operation_id in ("get-company", "list-connections"):
            store.settle(tenant, params["companyId"])
        elif operation_id == "get-connection" or operation_id in PAYABLES_OPERATION_IDS:
            store.settle(tenant, params["companyId"], params["connectionId"])

    def _record(
        self,
        scope: Scope,
        recorder: _Recorder,
        started: float,
        caller: _Caller,
        operation_id: str | None,
        fault_rule: str | None,
    ) -> None:
        plane = self.plane
        request_body, request_cut = cut(bytes(recorder.request), recorder.limit)
        response_body, response_cut = cut(bytes(recorder.response), recorder.limit)
        query: bytes = scope.get("query_string", b"")
        plane.journal.record(
            JournalEntry(
                seq=plane.journal.next_seq(),
                at=plane.store.clock.now(),
                method=scope["method"],
                path=scope["path"],
                query=query.decode("latin-1"),
                # No response started means the handler raised: the outer error handler answers 500.
                status=recorder.status if recorder.status is not None else 500,
                tenant=caller.fingerprint,
                operation_id=operation_id,
                duration_ms=(time.perf_counter() - started) * 1000,
                request_body=request_body,
                request_body_truncated=request_cut or recorder.request_size > recorder.limit,
                response_body=response_body,
                response_body_truncated=response_cut or recorder.response_size > recorder.limit,
                fault_rule=fault_rule,
                ignored_fields=recorder.ignored_fields,
            )
        )


def _match(scope: Scope, routes: Sequence[_RouteKey]) -> tuple[str | None, Mapping[str, Any]]:
    """The name and path parameters of the route that serves this request (same rules as the router)."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if root_path and path.startswith(root_path):
        path = path[len(root_path) :]
    method: str = scope["method"]
    for route in routes:
        found = route.regex.match(path)
        if found is not None and method in route.methods:
            return route.name, found.groupdict()
    return None, {}


def _api_tenant(scope: Scope) -> str | None:
    try:
        return tenant_of(Request(scope))
    except Unauthorized:
        return None

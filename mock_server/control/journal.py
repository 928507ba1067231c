"""`GET /_mock/journal` (filtered) and `DELETE /_mock/journal`: the caller's own entries, or all for the admin."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import ValidationItem
from ..domain.journal import JournalEntry, JournalFilter
from ..domain.tenants import fingerprint
from .access import Access, Forbidden
from .plane import ControlPlane
from .responses import QueryParams, json_body, timestamp

FINGERPRINT = re.compile(r"[0-9a-f]{16}")


def entry_body(entry: JournalEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": timestamp(entry.at),
        "method": entry.method,
        "path": entry.path,
        "query": entry.query,
        "status": entry.status,
        "tenant": entry.tenant,
        "operationId": entry.operation_id,
        "durationMs": round(entry.duration_ms, 3),
        "requestBody": entry.request_body,
        "requestBodyTruncated": entry.request_body_truncated,
        "responseBody": entry.response_body,
        "responseBodyTruncated": entry.response_body_truncated,
        "faultRuleId": entry.fault_rule,
        "ignoredFields": list(entry.ignored_fields),
    }


class JournalHandlers:
    def __init__(self, plane: ControlPlane, access: Access) -> None:
        self.plane = plane
        self.access = access

    async def list_journal(self, request: Request) -> Response:
        scope = self.access.scope(request)
        own = fingerprint(scope) if scope is not None else None
        params = QueryParams(request)
        wanted_tenant = params.matching("tenant", FINGERPRINT, "a tenant fingerprint (16 lower-case hex digits)")
        which = JournalFilter(
            tenant=own or wanted_tenant,
            method=params.text("method"),
            path=params.text("path"),
            path_prefix=params.text("pathPrefix"),
            operation_id=params.text("operationId"),
            status=params.integer("status", 100, 599),
            since=params.moment("since"),
        )
        limit = params.integer("limit", 1, 1_000_000)
        params.check()
        if own is not None and wanted_tenant not in (None, own):
            # Well-formed, but not for this caller: a tenant sees only its own entries. 403, as for any
            # admin-only request, still naming the parameter.
            message = "Only the admin (no Authorization header) can read other tenants' entries."
            raise Forbidden(message, validation=(ValidationItem("tenant", message, "QueryValidator"),))
        entries = self.plane.journal.entries(which)
        if limit is not None:
            entries = entries[-limit:]  # the most recent ones, still oldest first
        return json_body(
            {
                "capacity": self.plane.journal.capacity,
                "dropped": self.plane.journal.dropped,
                "total": len(entries),
                "entries": [entry_body(e) for e in entries],
            }
        )

    async def clear_journal(self, request: Request) -> Response:
        scope = self.access.scope(request)
        removed = self.plane.journal.clear(fingerprint(scope) if scope is not None else None)
        return json_body({"removed": removed})

"""`Idempotency-Key` on the payables writes: replay the first response, refuse a reused key with 422.

Codat keeps the first response to a key for 90 minutes and replays it, whatever its status (except 429),
for a request with the same key; the same key with a different request is a 422 (docs/decisions.md). The
key is any non-empty header value: Codat asks for a GUID, but its published documents declare a plain
string, and refusing other keys would refuse requests written against them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from ...domain.errors import CodatError
from ...domain.payables.idempotency import StoredResponse, fingerprint
from ..bodies import parse_api_bytes
from ..context import ApiContext
from ..rendering import error_response

HEADER = "idempotency-key"


class IdempotencyConflict(CodatError):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was already used for a different request; use a new key for a new request "
            "(a key's first response is replayed for 90 minutes).",
            422,
        )


async def idempotent(
    ctx: ApiContext,
    request: Request,
    operation: str,
    body: bytes,
    handle: Callable[[], Awaitable[Response]],
    model: type[BaseModel] | None = None,
) -> Response:
    """Run `handle` once per key: a repeat with the same request gets the stored response again.

    `model` is the body's model: a replayed success names the ignored fields again (the same body, so the
    same names), as the first response did; the stored response keeps only status and body.
    """
    key = request.headers.get(HEADER)
    if not key:
        return await handle()
    tenant = ctx.tenant(request)
    store = ctx.store
    now = store.clock.now()
    mark = fingerprint(operation, request.url.path, body)
    stored = store.payables.reply(tenant, key, now)
    if stored is not None:
        if stored.fingerprint != mark:
            return error_response(IdempotencyConflict(key), ctx.correlation_id())
        headers = _ignored_fields(request, body, model) if 200 <= stored.status_code < 300 else {}
        return Response(stored.body, status_code=stored.status_code, media_type=stored.media_type, headers=headers)
    try:
        response = await handle()
    except CodatError as error:
        response = error_response(error, ctx.correlation_id())
    if response.status_code != 429:
        store.payables.remember(
            tenant, key, StoredResponse(mark, response.status_code, bytes(response.body), "application/json", now)
        )
    return response


def _ignored_fields(request: Request, body: bytes, model: type[BaseModel] | None) -> dict[str, str]:
    if model is None:
        return {}
    try:
        return parse_api_bytes(body, request.headers.get("content-type"), model, strict=False).headers()
    except CodatError:  # not reached for a body that once succeeded; a replay never fails on its header
        return {}

"""`Idempotency-Key` on the payables writes: replay the first response, refuse a reused key with 422.

Codat keeps the first response to a key for 90 minutes and replays it, whatever its status (except 429),
for a request with the same key; the same key with a different request is a 422 (docs/decisions.md). The
key is any non-empty header value: Codat asks for a GUID, but its published documents declare a plain
string, and refusing other keys would refuse requests written against them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from ...domain.errors import CodatError
from ...domain.payables.idempotency import StoredResponse, fingerprint
from ..bodies import IGNORED_FIELDS_HEADER
from ..context import ApiContext
from ..rendering import error_response

HEADER = "idempotency-key"
# Headers of the first response a replay repeats: what it said about the request, not how it was framed.
_REPLAYED = (IGNORED_FIELDS_HEADER,)


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
) -> Response:
    """Run `handle` once per key: a repeat with the same request gets the stored response again.

    The stored response keeps its status, body and the ignored-fields report, so a replayed success names
    the ignored fields as the first response did, without reading the body again.
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
        headers = dict(stored.headers)
        return Response(stored.body, status_code=stored.status_code, media_type=stored.media_type, headers=headers)
    try:
        response = await handle()
    except CodatError as error:
        response = error_response(error, ctx.correlation_id())
    if response.status_code != 429:
        kept = tuple((name, value) for name in _REPLAYED if (value := response.headers.get(name)) is not None)
        replay = StoredResponse(mark, response.status_code, bytes(response.body), "application/json", now, kept)
        store.payables.remember(tenant, key, replay)
    return response

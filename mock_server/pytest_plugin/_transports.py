"""httpx transports the fixtures share: a synchronous one over the ASGI app, and one that outlives its clients.

httpx's own `ASGITransport` is asynchronous only, so a synchronous client (the `sdk_stub` client, Codat's
official SDKs, `requests`-style test code) cannot use it directly. `InProcessTransport` runs the app on an
event loop in one background thread (an anyio blocking portal) for the whole session and hands each request
to it: no socket, no port, and it works from inside an async test too (the app never runs on the test's
own loop). Starlette's `TestClient` does the same, but costs a new portal per client unless entered, and
Starlette 1.x deprecates it over httpx.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, ExitStack
from typing import TYPE_CHECKING

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["InProcessTransport", "SharedTransport"]


class InProcessTransport(httpx.BaseTransport):
    """Sends each request to the ASGI `app` on a background event loop; `close()` stops the loop.

    The app's lifespan runs once, when the transport is made. Responses are read completely before they are
    returned (the emulator's bodies are small).
    """

    def __init__(self, app: Starlette) -> None:
        self._stack = ExitStack()
        self._portal: BlockingPortal = self._stack.enter_context(start_blocking_portal())
        try:
            lifespan: AbstractContextManager[object] = self._portal.wrap_async_context_manager(
                app.router.lifespan_context(app)
            )
            self._stack.enter_context(lifespan)
        except BaseException:
            self._stack.close()
            raise
        self._asgi = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # A fresh request with the body as bytes: the original's stream is synchronous, the ASGI side async.
        inner = httpx.Request(request.method, request.url, headers=request.headers, content=request.read())
        status, headers, content = self._portal.call(self._send, inner)
        return httpx.Response(status, headers=headers, content=content, request=request)

    async def _send(self, request: httpx.Request) -> tuple[int, httpx.Headers, bytes]:
        response = await self._asgi.handle_async_request(request)
        # Raw bytes: the headers go along unchanged, so any Content-Encoding is decoded once, by the client.
        content = b"".join([chunk async for chunk in response.aiter_raw()])
        return response.status_code, response.headers, content

    def close(self) -> None:
        self._stack.close()


class SharedTransport(httpx.BaseTransport):
    """Delegates to a session-wide transport and ignores `close()`: per-test clients are cheap to make and
    to close, and closing one does not close the connection pool (or the event loop) they all use."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)

    def close(self) -> None:
        pass

"""httpx transports the fixtures share: a synchronous one over the ASGI app, and one that outlives its clients.

httpx's own `ASGITransport` is asynchronous only, so a synchronous client (the `sdk_stub` client, Codat's
official SDKs, plain test code) cannot use it directly. `InProcessTransport` runs each request to completion
on a private event loop, in the calling thread: no socket, no port, no thread switch (the fastest way, and
unaffected by scheduling on a loaded machine). Where that loop cannot run — called from inside an async test,
whose own loop is busy in this thread, or from another thread — it hands the request to an event loop in a
background thread instead (an anyio blocking portal, started on first need).

`AsyncInProcessTransport` is the same call for async clients, on the caller's loop. Both call the app
themselves rather than through httpx's `ASGITransport`, which looks for the optional `sniffio` package twice
per request, and a failed import searches all of `sys.path` every time (most of a millisecond in a pytest run).
Starlette's `TestClient` would do the background-thread half only, at a thread switch per request, and
Starlette 1.x deprecates it over httpx.
"""

from __future__ import annotations

import asyncio
import threading
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from anyio.from_thread import BlockingPortal
    from starlette.applications import Starlette
    from starlette.types import ASGIApp, Message

__all__ = ["AsyncInProcessTransport", "InProcessTransport", "SharedTransport"]

_Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


async def call_app(app: ASGIApp, request: httpx.Request, body: bytes) -> _Answer:
    """One HTTP request through the ASGI app: its status, headers and whole body. An exception the app
    raises is raised here (an emulator bug should fail the test loudly, not read as a 500)."""
    url = request.url
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "headers": [(name.lower(), value) for name, value in request.headers.raw],
        "scheme": url.scheme,
        "path": url.path,
        "raw_path": url.raw_path.split(b"?", 1)[0],
        "query_string": url.query,
        "server": (url.host, url.port),
        "client": ("127.0.0.1", 123),
        "root_path": "",
    }
    sent_body = False
    done = asyncio.Event()
    status = 500
    headers: list[tuple[bytes, bytes]] = []
    parts: list[bytes] = []

    async def receive() -> Message:
        nonlocal sent_body
        if not sent_body:
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}
        await done.wait()  # the client "disconnects" only once the response is complete
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            if request.method != "HEAD":
                parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                done.set()

    try:
        await app(scope, receive, send)
    finally:
        done.set()
    return status, headers, b"".join(parts)


class InProcessTransport(httpx.BaseTransport):
    """Sends each request to the ASGI `app` in this process; `close()` ends its lifespan and event loops.

    The app's lifespan runs once, on the private loop, when the transport is made. Responses are read
    completely before they are returned (the emulator's bodies are small).
    """

    def __init__(self, app: Starlette) -> None:
        self._app = app
        self._owner = threading.get_ident()
        self._loop = asyncio.new_event_loop()
        self._lifespan: AbstractAsyncContextManager[Any] = app.router.lifespan_context(app)
        self._portal: BlockingPortal | None = None
        self._portal_cm: AbstractContextManager[BlockingPortal] | None = None
        self._portal_lock = threading.Lock()
        try:
            self._loop.run_until_complete(self._lifespan.__aenter__())
        except BaseException:
            self._loop.close()
            raise

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        call = call_app(self._app, request, request.read())
        if threading.get_ident() == self._owner and not _loop_running():
            status, headers, content = self._loop.run_until_complete(call)
        else:
            status, headers, content = self._background().call(lambda: call)
        return httpx.Response(status, headers=headers, content=content, request=request)

    def _background(self) -> BlockingPortal:
        with self._portal_lock:
            if self._portal is None:
                from anyio.from_thread import start_blocking_portal

                self._portal_cm = start_blocking_portal()
                self._portal = self._portal_cm.__enter__()
            return self._portal

    def close(self) -> None:
        try:
            if not self._loop.is_closed():
                self._loop.run_until_complete(self._lifespan.__aexit__(None, None, None))
        finally:
            self._loop.close()
            with self._portal_lock:
                if self._portal_cm is not None:
                    self._portal_cm.__exit__(None, None, None)
                    self._portal = self._portal_cm = None


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class AsyncInProcessTransport(httpx.AsyncBaseTransport):
    """Sends each request to the ASGI `app` on the caller's event loop (for `httpx.AsyncClient`)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        status, headers, content = await call_app(self._app, request, await request.aread())
        return httpx.Response(status, headers=headers, content=content, request=request)


class SharedTransport(httpx.BaseTransport):
    """Delegates to a session-wide transport and ignores `close()`: per-test clients are cheap to make and
    to close, and closing one does not close the connection pool (or the event loop) they all use."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)

    def close(self) -> None:
        pass

"""A loopback webhook receiver for tests: an HTTP server on 127.0.0.1, a free port, in a background thread.

    with WebhookReceiver() as receiver:
        # register receiver.url as a webhook consumer, then act on the API
        event = receiver.wait_for("connection.connected", timeout=10)
        assert event.body["payload"]["connection"]["status"] == "Linked"

It records every POST (headers, raw body, parsed JSON) and answers 200, or whatever `respond` says:
a status per request (`receiver.respond = lambda webhook: 500`), or `None` to never answer (a hung
receiver: the request is held until the receiver closes). Standard library only, so it runs anywhere.

The pytest plugin's `codat_webhooks` fixture is meant to be exactly this:

    @pytest.fixture
    def codat_webhooks() -> Iterator[WebhookReceiver]:
        with WebhookReceiver() as receiver:
            yield receiver
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

Responder = Callable[["ReceivedWebhook"], "int | None"]


@dataclass(frozen=True, slots=True)
class ReceivedWebhook:
    """One request the receiver got."""

    path: str
    headers: Mapping[str, str]
    """Header names in lower case."""
    raw: bytes
    """The body exactly as sent (what signatures cover)."""
    received_at: float
    """time.monotonic() when it arrived."""

    @property
    def body(self) -> Any:
        return json.loads(self.raw)

    @property
    def event_type(self) -> str | None:
        try:
            body = self.body
        except ValueError:
            return None
        return body.get("eventType") if isinstance(body, dict) else None

    @property
    def webhook_id(self) -> str | None:
        return self.headers.get("webhook-id")


class WebhookReceiver:
    def __init__(self, respond: Responder | None = None) -> None:
        self.respond: Responder = respond or (lambda webhook: 200)
        self._received: list[ReceivedWebhook] = []
        self._changed = threading.Condition()
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life ------------------------------------------------------------------------------------------------

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                webhook = ReceivedWebhook(
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    raw=raw,
                    received_at=time.monotonic(),
                )
                receiver._record(webhook)
                status = receiver.respond(webhook)
                if status is None:  # hang: hold the request until the receiver closes
                    receiver._closing.wait()
                    return
                self.send_response(status)
                self.send_header("content-type", "text/plain")
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read `received`
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="webhook receiver", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- what tests use ------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the receiver is not running (use it as a context manager)")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/webhooks"

    @property
    def received(self) -> list[ReceivedWebhook]:
        """Everything received so far, in arrival order (a copy)."""
        with self._changed:
            return list(self._received)

    def event_types(self) -> list[str | None]:
        return [w.event_type for w in self.received]

    def wait_for(
        self,
        event_type: str,
        timeout: float = 10.0,
        *,
        where: Callable[[ReceivedWebhook], bool] | None = None,
        count: int = 1,
    ) -> ReceivedWebhook:
        """The `count`-th received webhook of `event_type` (matching `where`), waiting up to `timeout` s.

        TimeoutError, listing what did arrive, when it does not come in time.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [w for w in self._received if w.event_type == event_type and (where is None or where(w))]
                if len(found) >= count:
                    return found[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    got = [w.event_type for w in self._received]
                    raise TimeoutError(f"no {event_type} webhook (#{count}) within {timeout:g} s; received {got}")
                self._changed.wait(left)

    def wait_for_count(self, count: int, timeout: float = 10.0) -> list[ReceivedWebhook]:
        """The first `count` webhooks received, waiting up to `timeout` seconds for them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self._received)} webhooks within {timeout:g} s, wanted {count}")
                self._changed.wait(left)
            return self._received[:count]

    def _record(self, webhook: ReceivedWebhook) -> None:
        with self._changed:
            self._received.append(webhook)
            self._changed.notify_all()

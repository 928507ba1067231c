"""Serve an ASGI app with uvicorn, hardened: request limits, timeouts and a shutdown deadline.

uvicorn's HTTP/1.1 protocol (httptools) leaves a server open to a few cheap attacks and answers malformed
requests in plain text. `GuardedHttpProtocol` closes the gaps at the protocol layer, where the bytes are
seen before any application code runs:

- a request target over `max_url_bytes` → 414; headers over `max_header_bytes` or `max_header_count` → 431
  (counted while they arrive, so an endless header never sits in memory);
- a request not fully received `request_timeout` seconds after its first byte → 408, so a client stuck
  half-way through its head or body cannot hold a connection (or shutdown) forever;
- an idle connection is closed after `keep_alive_timeout`, also a new one that never sends a byte
  (uvicorn arms that timer only after a first response);
- bytes httptools cannot parse (an unknown method, a control byte in a header, raw non-ASCII in the path)
  → 400 in Codat's ErrorMessage shape instead of uvicorn's plain `Invalid HTTP request received.`.

Every refusal is a complete Codat ErrorMessage with `Connection: close`: after a protocol error the rest of
the byte stream cannot be trusted, so the connection is not reused. `run` also gives in-flight requests
`shutdown_timeout` seconds after SIGTERM/SIGINT and then cancels them, and treats SIGTERM as a normal exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import http
import signal
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import httptools
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .domain.errors import BadRequest, CodatError
from .http.rendering import error_message
from .settings import Settings


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may cost before the protocol layer refuses it."""

    max_url_bytes: int
    max_header_bytes: int
    max_header_count: int
    request_timeout: float
    shutdown_timeout: float

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            settings.max_url_bytes,
            settings.max_header_bytes,
            settings.max_header_count,
            settings.request_timeout,
            settings.shutdown_timeout,
        )


_LINGER_SECONDS = 2.0


class _Refused(Exception):
    """Raised inside a parser callback to stop parsing and answer `error` (httptools re-raises it wrapped)."""

    def __init__(self, error: CodatError) -> None:
        super().__init__(error.message)
        self.error = error


def error_bytes(error: CodatError, extra_headers: Sequence[tuple[bytes, bytes]] = ()) -> bytes:
    """A whole HTTP/1.1 response carrying `error` as Codat's ErrorMessage, closing the connection."""
    body = error_message(error, uuid.uuid4().hex).model_dump_json(by_alias=True).encode()
    phrase = http.HTTPStatus(error.status_code).phrase
    lines = [f"HTTP/1.1 {error.status_code} {phrase}".encode()]
    lines += [name + b": " + value for name, value in extra_headers]
    lines += [b"content-type: application/json", b"content-length: %d" % len(body), b"connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _parse_error(exc: httptools.HttpParserError) -> CodatError:
    cause = exc.__context__
    if isinstance(cause, _Refused):
        return cause.error
    if isinstance(exc, httptools.HttpParserInvalidMethodError):
        reason = "the method is not an HTTP method"
    elif isinstance(exc, httptools.HttpParserInvalidURLError) or isinstance(cause, UnicodeDecodeError):
        reason = "the request target must be ASCII (percent-encode anything else)"
    else:
        reason = f"it is not valid HTTP/1.1 ({exc})"
    return BadRequest.for_field("request", f"The request could not be read: {reason}.", "HttpValidator")


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits above; `guarded_protocol` binds the limits."""

    limits: ClassVar[Limits]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_bytes = 0
        self._header_count = 0
        # Bytes received while a request's head (request line and headers) is incomplete: from its first
        # byte (on_message_begin) to the end of its headers.
        self._head_bytes = 0
        self._in_head = False
        self._read_deadline: asyncio.TimerHandle | None = None
        self._refused = False

    # --- connection -----------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_read_deadline()
        super().connection_lost(exc)

    def shutdown(self) -> None:
        super().shutdown()
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            # uvicorn cancels the request's task when the shutdown deadline passes, and its fallback answer
            # is a plain-text 500; answer a moment before that, in Codat's shape, and let the task go.
            delay = max(0.0, self.limits.shutdown_timeout - 0.1)
            self.loop.call_later(delay, self._give_up)

    def _give_up(self) -> None:
        cycle = self.cycle
        if cycle is None or cycle.response_complete or self.transport.is_closing():
            return
        if cycle.response_started:
            self.transport.close()
            return
        message = "The server is shutting down; the request was not completed. Please try again."
        self._refuse(CodatError(message, 503), linger=False)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # the connection is being closed after a refusal; what follows is not read
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
        except httptools.HttpParserError as exc:
            self._refuse(_parse_error(exc))
            return
        if self._in_head:
            # Still inside a request's head after this read: httptools holds a header that has not ended in
            # its own buffer, so count what arrived (a read is at most 256 KiB) and stop it here. The whole
            # read counts, which can only over-count when a pipelined request starts within it.
            self._head_bytes += len(data)
            if self._head_bytes > self.limits.max_url_bytes + self.limits.max_header_bytes + 1024:
                self._refuse(_too_large_headers(self.limits))

    def send_400_response(self, msg: str) -> None:
        # uvicorn's own fallback for a request it cannot read; keep every answer in Codat's shape.
        self._refuse(BadRequest.for_field("request", f"The request could not be read: {msg}", "HttpValidator"))

    # --- parser callbacks -------------------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = self._header_count = self._head_bytes = 0
        self._in_head = True
        self._cancel_read_deadline()
        self._read_deadline = self.loop.call_later(self.limits.request_timeout, self._read_timed_out)

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.limits.max_url_bytes:
            limit = self.limits.max_url_bytes
            raise _Refused(CodatError(f"The request target (path and query) is longer than {limit} bytes.", 414))

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        self._header_bytes += len(name) + len(value)
        if self._header_count > self.limits.max_header_count or self._header_bytes > self.limits.max_header_bytes:
            raise _Refused(_too_large_headers(self.limits))
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._cancel_read_deadline()
        super().on_message_complete()

    # --- refusals ----------------------------------------------------------------------------------------

    def _read_timed_out(self) -> None:
        self._read_deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and cycle.scope is self.scope and cycle.response_started:
            self.transport.close()  # the app already answered; nothing more can be said
            return
        seconds = self.limits.request_timeout
        self._refuse(CodatError(f"The request was not received in full within {seconds:g} seconds.", 408))

    def _refuse(self, error: CodatError, *, linger: bool = True) -> None:
        self._cancel_read_deadline()
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            # A handler still waiting for this request's body gets a disconnect, and anything it sends later
            # is dropped: this answer is the only one on the wire.
            cycle.disconnected = True
            cycle.message_event.set()
        if self._refused or self.transport.is_closing():
            return
        self._refused = True
        self.transport.write(error_bytes(error, self.server_state.default_headers))
        if linger and self.transport.can_write_eof():
            # Lingering close: a client still sending (the rest of a huge header) would get a reset, and
            # lose this answer, if the socket closed now. Send FIN, discard what arrives, close shortly.
            self.transport.write_eof()
            self.loop.call_later(_LINGER_SECONDS, self.transport.close)
        else:
            self.transport.close()

    def _cancel_read_deadline(self) -> None:
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None


def _too_large_headers(limits: Limits) -> CodatError:
    return CodatError(
        f"The request headers are too large: at most {limits.max_header_count} headers and "
        f"{limits.max_header_bytes} bytes in all.",
        431,
    )


def guarded_protocol(limits: Limits) -> type[GuardedHttpProtocol]:
    """A protocol class carrying `limits` (uvicorn instantiates the class it is given, per connection)."""
    return type("GuardedHttpProtocol", (GuardedHttpProtocol,), {"limits": limits})


def config(app: ASGIApp, settings: Settings) -> uvicorn.Config:
    """The uvicorn configuration `codat-mock serve` runs with."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        http=guarded_protocol(Limits.of(settings)),
        timeout_keep_alive=settings.keep_alive_timeout,
        timeout_graceful_shutdown=settings.shutdown_timeout,
    )


def tune_gc() -> None:
    """Keep Python's cyclic GC from walking what start-up built, in the server process only.

    A full (generation 2) collection walks every tracked object. Start-up leaves tens of thousands of them
    (modules, routes, pydantic validators) and a seed file three more per company, none of which can ever
    be cyclic garbage: with 100 000 seeded companies each full collection walked them all (bench/stalls.py
    --seed). `gc.freeze()` moves them out of the collector's sight; they are still freed by reference
    counting if they go. Objects made later are left to the collector as usual (see BENCHMARKS.md for why
    survivors are not frozen after each full collection too).
    """
    gc.collect()
    gc.freeze()


STARTUP_FAILURE = 3
"""The exit code when the server could not start (uvicorn's own, e.g. the port is taken)."""


def run(app: ASGIApp, settings: Settings) -> int:
    """Serve `app` until SIGINT or SIGTERM, then return the exit code (0, or STARTUP_FAILURE).

    In-flight requests get `settings.shutdown_timeout` seconds after the signal.
    """
    server = uvicorn.Server(config(app, settings))
    tune_gc()
    # uvicorn catches SIGINT/SIGTERM, stops accepting, finishes in-flight requests, then re-raises the
    # signal with the handler that was installed before it. For SIGTERM that is the default one, which
    # would kill the process (exit -15) after a clean shutdown; make it a normal exit instead.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    # uvicorn re-raises SIGINT as KeyboardInterrupt once it has shut down: that is the normal way out.
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    return 0 if server.started else STARTUP_FAILURE

"""A raw-socket HTTP client for the reliability tests: sends exactly the bytes given, reads one response.

httpx refuses to send most of what these tests need (a control byte in a header, a 9 MiB header, half a
request), so they speak HTTP/1.1 by hand.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from dataclasses import dataclass
from typing import Any

ERROR_FIELDS = {"statusCode", "service", "error", "correlationId", "validation", "canBeRetried", "detailedErrorCode"}


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body)


def connect(port: int, timeout: float = 10.0) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def read_response(sock: socket.socket, started: float | None = None) -> RawResponse:
    """One response read until the server closes the connection (every refusal closes it)."""
    started = time.monotonic() if started is None else started
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
        head, sep, rest = data.partition(b"\r\n\r\n")
        if sep:
            headers = _headers(head)
            length = headers.get("content-length")
            if length is not None and len(rest) >= int(length):
                break
    head, _, body = data.partition(b"\r\n\r\n")
    if not head:
        raise ConnectionError("the server closed the connection without answering")
    status = int(head.split(b" ", 2)[1])
    return RawResponse(status, _headers(head), body, time.monotonic() - started)


def exchange(port: int, request: bytes, timeout: float = 10.0) -> RawResponse:
    """Send `request` (possibly incomplete or malformed) and read the answer."""
    with connect(port, timeout) as sock:
        started = time.monotonic()
        # The server may refuse before it has read everything; its answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        return read_response(sock, started)


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}


def assert_codat_error(response: RawResponse, status: int) -> dict[str, Any]:
    assert response.status == status, (response.status, response.body[:300])
    assert response.headers.get("content-type") == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == ERROR_FIELDS
    assert body["statusCode"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert len(body["correlationId"]) == 32
    return body

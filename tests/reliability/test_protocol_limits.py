"""The served emulator's protocol-layer limits (mock_server/serving.py), over real sockets.

One `codat-mock serve` with small limits and short timeouts; every refusal must be Codat's ErrorMessage
with the right status, and the server must keep serving everyone else afterwards.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator

import httpx
import pytest
from raw_http import assert_codat_error, connect, exchange, read_response

from mock_server.testing import LiveServer

API_AUTH = {"Authorization": "Basic " + base64.b64encode(b"limits-tenant").decode()}
AUTH = b"Authorization: " + API_AUTH["Authorization"].encode() + b"\r\n"
REQUEST_TIMEOUT = 1.5
KEEP_ALIVE = 1


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    args = [
        "--request-timeout",
        str(REQUEST_TIMEOUT),
        "--keep-alive-timeout",
        str(KEEP_ALIVE),
        "--shutdown-timeout",
        "1",
    ]
    env = {"CODAT_MOCK_MAX_HEADER_BYTES": "8192", "CODAT_MOCK_MAX_HEADER_COUNT": "50"}
    with LiveServer(args, env) as live:
        yield live


def still_serving(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/integrations", headers=API_AUTH, timeout=10)
    assert response.status_code == 200


def get(path: bytes, extra: bytes = b"") -> bytes:
    return b"GET " + path + b" HTTP/1.1\r\nHost: localhost\r\n" + AUTH + extra + b"\r\n"


def test_a_request_target_over_64_kib_is_414(server: LiveServer) -> None:
    response = exchange(server.port, get(b"/companies?query=" + b"a" * (64 * 1024)))
    body = assert_codat_error(response, 414)
    assert "65536" in body["error"]
    assert response.headers["connection"] == "close"
    still_serving(server)


def test_headers_over_the_byte_limit_are_431(server: LiveServer) -> None:
    response = exchange(server.port, get(b"/companies", b"X-Big: " + b"a" * 9000 + b"\r\n"))
    assert_codat_error(response, 431)
    still_serving(server)


def test_more_headers_than_the_count_limit_are_431(server: LiveServer) -> None:
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(60))
    assert_codat_error(exchange(server.port, get(b"/companies", many)), 431)
    still_serving(server)


def test_a_9_mib_header_is_refused_early_and_does_not_stall_others(server: LiveServer) -> None:
    # The header never ends: the server must answer from the byte count, not wait for (or buffer) it all.
    request = b"GET /companies HTTP/1.1\r\nHost: localhost\r\nX-Huge: " + b"a" * (9 * 1024 * 1024)
    response = exchange(server.port, request)
    assert_codat_error(response, 431)
    still_serving(server)


@pytest.mark.parametrize(
    "request_bytes",
    [
        pytest.param(b"FROB /companies HTTP/1.1\r\nHost: localhost\r\n\r\n", id="unknown-method"),
        pytest.param(get(b"/companies/\xff\xfe"), id="non-ascii-path"),
        pytest.param(get(b"/companies", b"X-Bad: a\x01b\r\n"), id="control-byte-in-header"),
        pytest.param(b"GET /companies HTTP/9.9.9\r\n\r\n", id="bad-version"),
        pytest.param(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", id="tls-hello-on-plain-http"),
    ],
)
def test_malformed_http_is_a_codat_400(server: LiveServer, request_bytes: bytes) -> None:
    body = assert_codat_error(exchange(server.port, request_bytes), 400)
    assert body["validation"]["errors"][0]["itemId"] == "request"
    still_serving(server)


def test_a_half_sent_head_times_out_with_408(server: LiveServer) -> None:
    response = exchange(server.port, b"GET /compan")
    assert_codat_error(response, 408)
    assert response.elapsed < REQUEST_TIMEOUT + 5


def test_a_half_sent_body_times_out_with_408(server: LiveServer) -> None:
    request = (
        b"POST /companies HTTP/1.1\r\nHost: localhost\r\n" + AUTH + b"Content-Type: application/json\r\n"
        b"Content-Length: 100\r\n\r\n" + b'{"name": "Ha'
    )
    response = exchange(server.port, request)
    assert_codat_error(response, 408)
    # Nothing was stored by the request that never arrived in full.
    listed = httpx.get(f"{server.url}/companies", headers=API_AUTH, timeout=10)
    assert listed.json()["totalResults"] == 0


def test_a_connection_that_never_sends_is_closed_after_the_keep_alive_timeout(server: LiveServer) -> None:
    with connect(server.port) as sock:
        started = time.monotonic()
        assert sock.recv(1) == b""  # closed by the server, no answer owed
        assert time.monotonic() - started < KEEP_ALIVE + 5


def test_a_keep_alive_connection_serves_several_requests(server: LiveServer) -> None:
    with connect(server.port) as sock:
        for _ in range(3):
            sock.sendall(get(b"/integrations/qhyg"))
            head = b""
            while b"\r\n\r\n" not in head:
                head += sock.recv(65536)
            assert head.startswith(b"HTTP/1.1 200")
            length = int(head.split(b"content-length: ")[1].split(b"\r\n")[0])
            body = head.split(b"\r\n\r\n", 1)[1]
            while len(body) < length:
                body += sock.recv(65536)
        sock.sendall(get(b"/integrations/qhyg", b"Connection: close\r\n"))
        assert read_response(sock).status == 200


def test_a_large_body_arriving_with_its_headers_is_not_mistaken_for_large_headers(server: LiveServer) -> None:
    # Head and a large body (well under the 1 MiB body limit) arrive in the same reads: only the head counts.
    body = b'{"name": "Big Body Ltd", "description": "' + b"d" * (600 * 1024) + b'"}'
    request = (
        b"POST /companies HTTP/1.1\r\nHost: localhost\r\n" + AUTH + b"Content-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
    ) + body
    response = exchange(server.port, request)
    assert response.status == 200, response.body[:300]
    assert response.json()["name"] == "Big Body Ltd"

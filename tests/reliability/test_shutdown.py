"""SIGTERM while clients are mid-request: the server answers them in Codat's shape and exits promptly."""

from __future__ import annotations

import base64
import signal
import threading
import time

import httpx
from raw_http import RawResponse, assert_codat_error, connect, read_response

from mock_server.testing import LiveServer

API_AUTH = {"Authorization": "Basic " + base64.b64encode(b"shutdown-tenant").decode()}
DEADLINE = 1


def serve() -> LiveServer:
    return LiveServer(["--shutdown-timeout", str(DEADLINE)], stop_timeout=15)


def stop_and_time(server: LiveServer) -> tuple[int, float]:
    started = time.monotonic()
    code = server.stop(signal.SIGTERM)
    return code, time.monotonic() - started


def test_sigterm_with_a_half_sent_body_exits_within_the_deadline() -> None:
    with serve() as server:
        sock = connect(server.port, timeout=15)
        head = (
            b"POST /companies HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
            + API_AUTH["Authorization"].encode()
            + b"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        )
        sock.sendall(head + b'{"name": "Half')
        time.sleep(0.5)  # the handler is now waiting for the rest of the body
        code, took = stop_and_time(server)
        assert code == 0, server.output()
        assert took < DEADLINE + 5, server.output()
        answer = read_response(sock)
        sock.close()
        assert_codat_error(answer, 503)


def test_sigterm_with_a_60_second_delayed_request_exits_within_the_deadline() -> None:
    with serve() as server:
        rule = {"operationId": "list-integrations", "delayMs": 60_000}
        assert httpx.post(f"{server.url}/_mock/faults", json=rule, headers=API_AUTH).status_code == 201
        answers: list[httpx.Response | Exception] = []

        def slow_call() -> None:
            try:
                answers.append(httpx.get(f"{server.url}/integrations", headers=API_AUTH, timeout=30))
            except Exception as exc:
                answers.append(exc)

        caller = threading.Thread(target=slow_call)
        caller.start()
        time.sleep(0.5)
        code, took = stop_and_time(server)
        caller.join(timeout=30)
        assert code == 0, server.output()
        assert took < DEADLINE + 5, server.output()
        [answer] = answers
        assert isinstance(answer, httpx.Response), answer
        raw = RawResponse(answer.status_code, dict(answer.headers), answer.content, 0.0)
        assert_codat_error(raw, 503)


def test_sigterm_when_idle_exits_at_once() -> None:
    with serve() as server:
        assert httpx.get(f"{server.url}/integrations", headers=API_AUTH).status_code == 200
        code, took = stop_and_time(server)
        assert code == 0
        assert took < 5

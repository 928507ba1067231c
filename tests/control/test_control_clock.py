"""The clock (global, admin) and deterministic mode: the same calls give byte-identical bodies."""

from __future__ import annotations

import re
from typing import Any

from api_helpers import basic
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.settings import Settings


def test_read_set_and_advance_a_manual_clock(client: TestClient) -> None:
    assert client.get("/_mock/clock").json() == {"now": "2026-03-01T09:30:00.0000000Z", "settable": True}
    moved = client.post("/_mock/clock", json={"advanceSeconds": 90.5})
    assert moved.json()["now"] == "2026-03-01T09:31:30.5000000Z"
    company = client.post("/companies", json={"name": "Acme"}).json()
    assert company["created"] == "2026-03-01T09:31:30.5000000Z"
    assert client.post("/_mock/clock", json={"now": "2027-05-06T07:08:09+02:00"}).json()["now"] == (
        "2027-05-06T05:08:09.0000000Z"
    )


def test_bad_clock_changes_are_400(client: TestClient) -> None:
    for body in (
        {},
        {"now": "2026-01-01T00:00:00Z", "advanceSeconds": 1},
        {"now": "2026-01-01T00:00:00"},
        {"now": "soon"},
        {"advanceSeconds": -1},
        {"advanceSeconds": "1"},
        {"rewind": 1},
    ):
        response = client.post("/_mock/clock", json=body)
        assert response.status_code == 400, body
        assert response.json()["validation"]["errors"]
    assert client.get("/_mock/clock").json()["now"] == "2026-03-01T09:30:00.0000000Z"


def test_clock_times_are_strict_rfc_3339_and_within_what_the_clock_can_hold(client: TestClient) -> None:
    for now in (
        "1700000000",  # pydantic alone would read this as a Unix time
        "2026-01-01T00:00Z",  # no seconds
        "2026-01-01 00:00:00Z",
        "2016-12-31T23:59:60Z",  # a leap second: valid RFC 3339, but no datetime can hold it
        "0001-01-01T00:00:00+01:00",  # in UTC, before the year 1
        "9999-12-31T23:00:00-02:00",  # in UTC, after the year 9999
        None,
    ):
        response = client.post("/_mock/clock", json={"now": now})
        assert response.status_code == 400, now
        assert [e["itemId"] for e in response.json()["validation"]["errors"]] == ["now"], now
    assert client.get("/_mock/clock").json()["now"] == "2026-03-01T09:30:00.0000000Z"
    # RFC 3339 allows lower-case separators; the earliest and latest dates are fine in UTC.
    assert client.post("/_mock/clock", json={"now": "2026-01-01t00:00:00.5z"}).status_code == 200
    assert client.post("/_mock/clock", json={"now": "0001-01-01T00:00:00Z"}).json()["now"] == (
        "0001-01-01T00:00:00.0000000Z"
    )
    assert client.post("/_mock/clock", json={"now": "9999-12-30T23:59:59-23:59"}).json()["now"] == (
        "9999-12-31T23:58:59.0000000Z"
    )


def test_advancing_past_the_last_representable_time_is_409_and_moves_nothing(client: TestClient) -> None:
    client.post("/_mock/clock", json={"now": "9999-12-01T00:00:00Z"})
    response = client.post("/_mock/clock", json={"advanceSeconds": 31 * 24 * 3600})
    assert response.status_code == 409 and "9999" in response.json()["error"]
    assert client.get("/_mock/clock").json()["now"] == "9999-12-01T00:00:00.0000000Z"
    # Reads at the end of time still work, auto-link policies included (no `created + seconds` overflow).
    client.put("/_mock/settings", json={"autoLink": {"mode": "afterSeconds", "seconds": 315360000}})
    company = client.post("/companies", json={"name": "Late"}).json()
    connection = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}).json()
    read = client.get(f"/companies/{company['id']}/connections/{connection['id']}")
    assert read.status_code == 200 and read.json()["status"] == "PendingAuth"


def test_the_system_clock_cannot_be_set() -> None:
    with TestClient(create_app()) as client:
        assert client.get("/_mock/clock").json()["settable"] is False
        response = client.post("/_mock/clock", json={"advanceSeconds": 1})
        assert response.status_code == 409 and "--seed" in response.json()["error"]


def test_setting_the_clock_needs_the_admin_token() -> None:
    with TestClient(create_app(Settings(seed=1, admin_token="s3cret"))) as client:  # type: ignore[arg-type]
        assert client.post("/_mock/clock", json={"advanceSeconds": 1}).status_code == 403
        assert client.get("/_mock/clock").json()["now"] == "2026-01-01T00:00:00.0000000Z"
        ok = client.post("/_mock/clock", json={"advanceSeconds": 1}, headers={"X-Codat-Mock-Admin": "s3cret"})
        assert ok.json()["now"] == "2026-01-01T00:00:01.0000000Z"


def session(client: TestClient) -> list[bytes]:
    """A fixed sequence of calls, successes and errors; every body it got, in order."""
    a, b = basic("key-a"), basic("key-b")
    bodies: list[bytes] = []

    def call(method: str, url: str, headers: dict[str, str], **kwargs: Any) -> dict[str, Any]:
        response = client.request(method, url, headers=headers, **kwargs)
        bodies.append(response.content + response.headers.get("location", "").encode())
        return response.json() if response.headers.get("content-type") == "application/json" else {}

    company = call("POST", "/companies", a, json={"name": "Acme", "tags": {"k": "v"}})
    call("POST", "/companies", b, json={"name": "Other"})
    connection = call("POST", f"/companies/{company['id']}/connections", a, json={"platformKey": "qhyg"})
    call(
        "PUT", "/_mock/settings", a, json={"redirectUrl": "https://app.example/{companyId}?s={statusCode}&c={clientId}"}
    )
    call("POST", "/_mock/clock", {}, json={"advanceSeconds": 12.25})
    call("POST", f"/companies/{company['id']}/connections", a, json={"platformKey": "nope"})
    call("GET", f"/companies/{company['id']}", b)
    call("POST", "/_mock/faults", a, json={"operationId": "list-companies", "status": 503, "probability": 0.5})
    for _ in range(6):
        call("GET", "/companies", a)
    call("POST", connection["linkUrl"].replace("http://testserver", ""), {}, data={"action": "cancel"})
    call("POST", f"/_mock/companies/{company['id']}/connections/{connection['id']}/authorize", a)
    call("GET", f"/companies/{company['id']}/connections", a)
    call("GET", "/_mock/state", a)
    call("GET", "/_mock/journal", a)
    return _without_durations(bodies)


def _without_durations(bodies: list[bytes]) -> list[bytes]:
    # The journal measures real time; everything else must repeat exactly.
    return [re.sub(rb'"durationMs":[0-9.e-]+', b"", body) for body in bodies]


def test_two_runs_with_the_same_seed_are_byte_identical() -> None:
    runs = []
    for _ in range(2):
        with TestClient(create_app(Settings(seed=2026)), follow_redirects=False) as client:
            runs.append(session(client))
    assert runs[0] == runs[1]
    with TestClient(create_app(Settings(seed=2027)), follow_redirects=False) as client:
        assert session(client) != runs[0]


def test_reset_all_restarts_a_deterministic_emulator() -> None:
    with TestClient(create_app(Settings(seed=7)), follow_redirects=False) as client:
        first = session(client)
        assert client.post("/_mock/reset/all").status_code == 200
        assert client.get("/_mock/clock").json()["now"] == "2026-01-01T00:00:00.0000000Z"
        assert session(client) == first

"""Any reachable state survives export → reset → import exactly, as the API and the export see it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api_helpers import basic
from hypothesis import HealthCheck, given, settings
from starlette.testclient import TestClient
from store_operations import operations, run

from mock_server.app import create_app
from mock_server.domain.clock import ManualClock, seeded_ids
from mock_server.domain.store import Store

AUTH = basic("t")


def api_bodies(client: TestClient) -> list[bytes]:
    """Every API body that shows the tenant's state, plus a Link page per connection."""
    companies = client.get("/companies?pageSize=5000")
    bodies = [companies.content]
    for company in companies.json()["results"]:
        bodies.append(client.get(f"/companies/{company['id']}").content)
        listing = client.get(f"/companies/{company['id']}/connections")
        bodies.append(listing.content)
        for connection in listing.json()["results"]:
            bodies.append(client.get(f"/companies/{company['id']}/connections/{connection['id']}").content)
    return bodies


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_export_reset_import_is_exact(ops: list[tuple[Any, ...]]) -> None:
    start = datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)
    clock = ManualClock(start)
    store = Store(clock=clock, ids=seeded_ids(5))
    run(store, clock, ops)
    # A second emulator, at the same instant, that will receive the first one's state.
    twin_clock = ManualClock(clock.now())
    twin = Store(clock=twin_clock, ids=seeded_ids(6))
    with (
        TestClient(create_app(store=store), headers=AUTH) as original,
        TestClient(create_app(store=twin), headers=AUTH) as copy,
    ):
        exported = original.get("/_mock/state")
        assert exported.status_code == 200
        imported = copy.put("/_mock/state", content=exported.content, headers={"Content-Type": "application/json"})
        assert imported.status_code == 200, imported.text
        assert imported.content == exported.content
        # Reading may advance auto-link policies; both emulators must advance identically.
        assert api_bodies(copy) == api_bodies(original)
        assert copy.get("/_mock/state").content == original.get("/_mock/state").content
        # And in place: reset the tenant, import its own export, and nothing differs.
        snapshot = original.get("/_mock/state").content
        original.post("/_mock/reset")
        original.put("/_mock/state", content=snapshot, headers={"Content-Type": "application/json"})
        assert original.get("/_mock/state").content == snapshot


def test_pending_read_counts_survive_a_round_trip(client: TestClient) -> None:
    client.put("/_mock/settings", json={"autoLink": {"mode": "afterReads", "reads": 2}})
    company = client.post("/companies", json={"name": "Acme"}).json()
    connection = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}).json()
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    client.get(url)
    exported = client.get("/_mock/state").json()
    assert exported["companies"][0]["connections"][0]["pendingReads"] == 1
    client.post("/_mock/reset")
    client.put("/_mock/state", json=exported)
    assert [client.get(url).json()["status"] for _ in range(2)] == ["PendingAuth", "Linked"]

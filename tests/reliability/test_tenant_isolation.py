"""Tenant isolation as a property: whatever sequence of operations several API keys perform, no key ever
reads, changes or deletes another key's companies or connections, and each listing holds only its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from api_helpers import basic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.domain.clock import ManualClock, seeded_ids
from mock_server.domain.store import Store

TENANTS = ["key-alpha", "key-beta", "key-gamma"]
KINDS = ["create", "connect", "get", "list", "rename", "replace", "delete", "link", "unlink", "drop", "get-conn"]


@dataclass
class World:
    """What each tenant made: company id → owner, and connection → (company, owner)."""

    companies: dict[str, str] = field(default_factory=dict)
    connections: dict[str, tuple[str, str]] = field(default_factory=dict)


Operation = tuple[int, str, int]
OPERATIONS = st.lists(
    st.tuples(st.integers(0, len(TENANTS) - 1), st.sampled_from(KINDS), st.integers(0, 50)),
    min_size=1,
    max_size=40,
)


def run(client: TestClient, store: Store, world: World, op: Operation) -> None:
    actor_index, kind, pick = op
    actor = TENANTS[actor_index]
    headers = basic(actor)
    company_ids = sorted(world.companies)
    connection_ids = sorted(world.connections)
    if kind == "create" or (not company_ids and kind != "list"):
        response = client.post("/companies", json={"name": f"Made by {actor}"}, headers=headers)
        assert response.status_code == 200
        world.companies[response.json()["id"]] = actor
        return
    if kind == "list":
        listed = client.get("/companies", params={"pageSize": 5000}, headers=headers).json()["results"]
        own = {cid for cid, owner in world.companies.items() if owner == actor}
        assert {c["id"] for c in listed} == own
        return
    company = company_ids[pick % len(company_ids)]
    owner = world.companies[company]
    connection = connection_ids[pick % len(connection_ids)] if connection_ids else None
    if kind in ("link", "unlink", "drop", "get-conn") and connection is not None:
        company, owner = world.connections[connection]
    others_before = {t: store.export_state(t) for t in TENANTS if t != actor}
    base = f"/companies/{company}"
    conn_path = f"{base}/connections/{connection}"
    requests = {
        "connect": ("POST", f"{base}/connections", {"platformKey": "qhyg"}),
        "get": ("GET", base, None),
        "rename": ("PATCH", base, {"name": "Renamed"}),
        "replace": ("PUT", base, {"name": "Replaced"}),
        "delete": ("DELETE", base, None),
        "link": ("PUT", f"{conn_path}/authorization", {"k": "v"}),
        "unlink": ("PATCH", conn_path, {"status": "Unlinked"}),
        "drop": ("DELETE", conn_path, None),
        "get-conn": ("GET", conn_path, None),
    }
    method, path, body = requests[kind]
    if connection is None and kind in ("link", "unlink", "drop", "get-conn"):
        method, path, body = requests["get"]
    response = client.request(method, path, json=body, headers=headers)
    if owner != actor:
        assert response.status_code == 404, (actor, owner, method, path, response.text)
        assert {t: store.export_state(t) for t in TENANTS if t != actor} == others_before
        return
    assert response.status_code < 500
    if response.status_code >= 300:
        return
    if kind == "connect":
        world.connections[response.json()["id"]] = (company, owner)
    elif kind == "delete":
        del world.companies[company]
        for cid in [c for c, (co, _) in world.connections.items() if co == company]:
            del world.connections[cid]
    elif kind == "drop" and connection is not None and path == conn_path:
        del world.connections[connection]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(operations=OPERATIONS)
def test_no_sequence_of_operations_crosses_tenants(operations: list[Operation]) -> None:
    store = Store(clock=ManualClock(datetime(2026, 3, 1, tzinfo=UTC)), ids=seeded_ids(5))
    world = World()
    with TestClient(create_app(store=store)) as client:
        for op in operations:
            run(client, store, world, op)
        for tenant in TENANTS:
            own = {cid for cid, owner in world.companies.items() if owner == tenant}
            assert {c.id for c in store.companies(tenant)} == own
            for company in store.companies(tenant):
                assert store.owner_of(company.id) == tenant

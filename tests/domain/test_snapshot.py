"""Export and import of a tenant's state: exact round trips, and documents that are refused whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from store_operations import operations, run

from mock_server.domain.catalogue import Catalogue
from mock_server.domain.clock import ManualClock, seeded_ids
from mock_server.domain.enums import ConnectionEvent
from mock_server.domain.errors import BadRequest, Conflict
from mock_server.domain.snapshot import (
    dump_document,
    export_document,
    parse_seed_document,
    parse_tenant_document,
    seed_states,
    state_from_document,
)
from mock_server.domain.store import Store
from mock_server.domain.timestamps import format_timestamp

CATALOGUE = Catalogue.default()


def round_trip(store: Store, tenant: str) -> str:
    """Export the tenant, reset it, import the export, and return the export text."""
    text = dump_document(export_document(store.export_state(tenant)))
    state = state_from_document(parse_tenant_document(text), CATALOGUE)
    store.reset(tenant)
    store.import_state(tenant, state)
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_reachable_state_round_trips_exactly(ops: list[tuple[Any, ...]]) -> None:
    clock = ManualClock(datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC))
    store = Store(clock=clock, ids=seeded_ids(99))
    run(store, clock, ops)
    before = store.export_state("t")
    neighbour = store.export_state("neighbour")
    text = round_trip(store, "t")
    after = store.export_state("t")
    assert dump_document(export_document(after)) == text
    assert after.companies == before.companies
    assert after.settings == before.settings
    assert dict(after.reads) == dict(before.reads)
    assert store.export_state("neighbour") == neighbour
    for company in after.companies:
        assert store.owner_of(company.id) == "t"


def test_export_of_an_unknown_tenant_is_empty(store: Store) -> None:
    document = json.loads(dump_document(export_document(store.export_state("nobody"))))
    assert document == {
        "version": 1,
        "settings": {"autoLink": {"mode": "manual"}, "redirectUrl": None, "strictBodies": None},
        "companies": [],
        "webhookConsumers": [],
    }
    assert store.tenants() == []


def test_export_document_shape(store: Store, clock: ManualClock) -> None:
    company = store.create_company("t", name="Acme", description="d", tags={"k": "v"})
    connection = store.create_connection("t", company.id, "qhyg")
    clock.advance(timedelta(seconds=1))
    store.apply("t", company.id, connection.id, ConnectionEvent.FAIL)
    document = json.loads(dump_document(export_document(store.export_state("t"))))
    assert document["companies"] == [
        {
            "id": company.id,
            "name": "Acme",
            "description": "d",
            "created": "2026-03-01T09:30:00Z",
            "lastSync": None,
            "tags": {"k": "v"},
            "connections": [
                {
                    "id": connection.id,
                    "platformKey": "qhyg",
                    "status": "PendingAuth",
                    "created": "2026-03-01T09:30:00Z",
                    "statusChanged": "2026-03-01T09:30:00Z",
                    "lastSync": None,
                    "pendingReads": 0,
                    "errors": [
                        {
                            "statusCode": "403",
                            "statusText": "User cancelled linking",
                            "errorMessage": "User cancelled",
                            "erroredOnUtc": "2026-03-01T09:30:01Z",
                            "status": "Active",
                            "resolvedOnUtc": None,
                        }
                    ],
                    "ledger": None,  # PendingAuth: no Bill Pay ledger yet
                }
            ],
        }
    ]


COMPANY = "6f1c4d1e-2b7a-4c3e-9d8f-0a1b2c3d4e5f"
CONNECTION = "7a2d5e2f-3c8b-4d4f-8e9a-1b2c3d4e5f60"
CONNECTION_2 = "8b3e6f30-4d9c-4e5a-9fab-2c3d4e5f6071"


def document(**company: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": COMPANY,
        "name": "Acme",
        "created": "2026-01-01T00:00:00Z",
        "connections": [
            {
                "id": CONNECTION,
                "platformKey": "qhyg",
                "status": "Linked",
                "created": "2026-01-01T00:00:00Z",
                "statusChanged": "2026-01-01T00:00:00Z",
            }
        ],
    }
    base.update(company)
    return {"version": 1, "companies": [base]}


def test_a_minimal_document_imports_and_times_are_kept_in_utc(store: Store) -> None:
    doc = document(created="2026-01-01T02:00:00+02:00", id=COMPANY.upper())
    state = state_from_document(parse_tenant_document(json.dumps(doc)), CATALOGUE)
    store.import_state("t", state)
    company = store.get_company("t", COMPANY)
    assert company.created == datetime(2026, 1, 1, tzinfo=UTC)
    assert company.id == COMPANY
    assert company.connections[0].status.value == "Linked"


def second_linked() -> list[dict[str, Any]]:
    base = document()["companies"][0]["connections"][0]
    return [base, {**base, "id": CONNECTION_2, "platformKey": "gbol"}]


@pytest.mark.parametrize(
    ("doc", "item"),
    [
        ({"companies": []}, "version"),
        ({"version": 2, "companies": []}, "version"),
        ({"version": "1", "companies": []}, "version"),
        (document(id="not-a-uuid"), "companies.0.id"),
        (document(name="Acme (UK)"), "companies.0.name"),
        (document(name="()"), "companies.0.name"),
        (document(name=""), "companies.0.name"),
        (document(created="2026-01-01T00:00:00"), "companies.0.created"),
        (document(tags={f"k{i}": "v" for i in range(11)}), "companies.0.tags"),
        (document(bogus=1), "companies.0.bogus"),
        (
            document(connections=[{**document()["companies"][0]["connections"][0], "platformKey": "zzzz"}]),
            "companies.0.connections.0.platformKey",
        ),
        (
            document(connections=[{**document()["companies"][0]["connections"][0], "status": "Gone"}]),
            "companies.0.connections.0.status",
        ),
        (
            document(connections=[{**document()["companies"][0]["connections"][0], "pendingReads": -1}]),
            "companies.0.connections.0.pendingReads",
        ),
        (document(connections=second_linked()), "companies.0.connections"),
        (document(connections=[document()["companies"][0]["connections"][0]] * 2), "companies.0.connections.1.id"),
        ({"version": 1, "companies": [document()["companies"][0]] * 2}, "companies.1.id"),
        ({"version": 1, "settings": {"autoLink": {"mode": "later"}}}, "settings.autoLink"),
    ],
)
def test_invalid_documents_name_the_field(doc: dict[str, Any], item: str) -> None:
    with pytest.raises(BadRequest) as raised:
        state_from_document(parse_tenant_document(json.dumps(doc)), CATALOGUE)
    items = [v.item_id for v in raised.value.validation]
    assert any(i == item or i.startswith(item + ".") for i in items), items


@pytest.mark.parametrize(
    ("doc", "item"),
    [
        # Same id, different items: the schema (which has `uniqueItems`) cannot refuse these, so they conflict.
        (
            {
                "version": 1,
                "companies": [document()["companies"][0], document(name="Other", connections=[])["companies"][0]],
            },
            "companies.1.id",
        ),
        (
            document(
                connections=[
                    document()["companies"][0]["connections"][0],
                    {**document()["companies"][0]["connections"][0], "status": "Unlinked"},
                ]
            ),
            "companies.0.connections.1.id",
        ),
    ],
)
def test_ids_used_twice_by_different_items_conflict(doc: dict[str, Any], item: str) -> None:
    with pytest.raises(Conflict) as raised:
        state_from_document(parse_tenant_document(json.dumps(doc)), CATALOGUE)
    assert [v.item_id for v in raised.value.validation] == [item]


def test_a_document_with_both_kinds_of_problem_is_a_400_naming_all() -> None:
    twin = document(name="<>", connections=[])["companies"][0]  # a conflicting id, and a name no API stores
    doc = {"version": 1, "companies": [document()["companies"][0], twin]}
    with pytest.raises(BadRequest) as raised:
        state_from_document(parse_tenant_document(json.dumps(doc)), CATALOGUE)
    assert {v.item_id for v in raised.value.validation} == {"companies.1.id", "companies.1.name"}


def test_times_are_answered_with_four_digit_years() -> None:
    assert format_timestamp(datetime(5, 1, 2, 3, 4, 5, 6, tzinfo=UTC)) == "0005-01-02T03:04:05.0000060Z"
    assert format_timestamp(datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)) == "9999-12-31T23:59:59.9999990Z"


def test_company_ids_are_unique_across_tenants(store: Store) -> None:
    state = state_from_document(parse_tenant_document(json.dumps(document())), CATALOGUE)
    store.import_state("a", state)
    mine = store.create_company("b", name="Mine")
    with pytest.raises(Conflict, match=COMPANY):
        store.import_state("b", state)
    assert [c.id for c in store.companies("b")] == [mine.id]
    store.import_state("a", state)  # the same tenant may import its own ids again
    assert store.owner_of(COMPANY) == "a"


def test_seed_documents() -> None:
    seed = parse_seed_document(json.dumps({"version": 1, "tenants": {"key-a": document(), "key-b": {"companies": []}}}))
    states = dict(seed_states(seed, CATALOGUE))
    assert [c.id for c in states["key-a"].companies] == [COMPANY]
    assert states["key-b"].companies == ()
    twice = parse_seed_document(json.dumps({"version": 1, "tenants": {"a": document(), "b": document()}}))
    with pytest.raises(BadRequest) as raised:
        list(seed_states(twice, CATALOGUE))
    assert raised.value.validation[0].item_id == "tenants.b.companies.0.id"

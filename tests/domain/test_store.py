from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.clock import ManualClock, seeded_ids
from mock_server.domain.enums import ConnectionEvent, ConnectionStatus
from mock_server.domain.errors import (
    BadRequest,
    CompanyNotFound,
    ConnectionNotFound,
    IntegrationNotFound,
    InvalidTransition,
)
from mock_server.domain.events import DomainEvent, EventType
from mock_server.domain.store import LinkFailure, Store


def test_create_and_get_company(store: Store, clock: ManualClock) -> None:
    company = store.create_company("t", name="Acme", description="d", tags={"region": "uk"})
    assert store.get_company("t", company.id) == company
    assert (company.name, company.description, dict(company.tags)) == ("Acme", "d", {"region": "uk"})
    assert company.created == clock.now()
    assert company.connections == ()


def test_ids_come_from_the_injected_factory() -> None:
    first = Store(ids=seeded_ids(7)).create_company("t", name="A")
    second = Store(ids=seeded_ids(7)).create_company("t", name="A")
    assert first.id == second.id
    assert first.id != Store(ids=seeded_ids(8)).create_company("t", name="A").id


def test_ids_match_case_insensitively_and_only_as_uuids(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    assert store.get_company("t", company.id.upper()) == company
    for bad in ("", "x", company.id.replace("-", ""), "{" + company.id + "}", company.id + " "):
        with pytest.raises(CompanyNotFound) as raised:
            store.get_company("t", bad)
        assert raised.value.message == f"No company was found with ID {bad}"


def test_tenants_are_isolated(store: Store) -> None:
    company = store.create_company("a", name="Acme")
    with pytest.raises(CompanyNotFound):
        store.get_company("b", company.id)
    assert store.companies("b") == []
    with pytest.raises(CompanyNotFound):
        store.delete_company("b", company.id)
    assert store.get_company("a", company.id) == company


def test_names_are_cleaned_and_empty_names_refused(store: Store) -> None:
    assert store.create_company("t", name="Company (Codat[1])").name == "Company Codat1"
    with pytest.raises(BadRequest) as raised:
        store.create_company("t", name="()[]")
    assert raised.value.validation[0].item_id == "name"
    assert store.companies("t")[0].name == "Company Codat1"
    assert len(store.companies("t")) == 1


def test_replace_clears_and_update_keeps(store: Store) -> None:
    company = store.create_company("t", name="Acme", description="d", tags={"a": "1"})
    patched = store.update_company("t", company.id, name="Acme 2")
    assert (patched.name, patched.description, dict(patched.tags)) == ("Acme 2", "d", {"a": "1"})
    patched = store.update_company("t", company.id, tags={"b": "2"})
    assert dict(patched.tags) == {"b": "2"}
    replaced = store.replace_company("t", company.id, name="Acme 3", description=None, tags=None)
    assert (replaced.name, replaced.description, dict(replaced.tags)) == ("Acme 3", "", {})
    assert replaced.created == company.created


def test_failed_updates_change_nothing(store: Store) -> None:
    company = store.create_company("t", name="Acme", tags={"a": "1"})
    with pytest.raises(BadRequest):
        store.update_company("t", company.id, name="Ok", tags={f"k{i}": "v" for i in range(11)})
    with pytest.raises(BadRequest):
        store.replace_company("t", company.id, name="%%%", description="x", tags=None)
    assert store.get_company("t", company.id) == company


def test_delete_company_cascades(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    store.delete_company("t", company.id)
    with pytest.raises(CompanyNotFound):
        store.get_connection("t", company.id, connection.id)
    assert store.companies("t") == []


def test_connection_lifecycle(store: Store, clock: ManualClock) -> None:
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    assert connection.status is ConnectionStatus.PENDING_AUTH
    assert connection.integration.key == "qhyg"
    clock.advance(timedelta(minutes=5))
    linked = store.authorize("t", company.id, connection.id)
    assert linked.status is ConnectionStatus.LINKED
    assert linked.status_changed == clock.now() != connection.created
    unlinked = store.unlink("t", company.id, connection.id)
    assert unlinked.status is ConnectionStatus.UNLINKED
    assert store.get_company("t", company.id).connections == (unlinked,)
    relinked = store.authorize("t", company.id, connection.id)
    assert relinked.status is ConnectionStatus.LINKED


def test_unknown_platform_and_connection(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    with pytest.raises(IntegrationNotFound, match="zzzz"):
        store.create_connection("t", company.id, "zzzz")
    assert store.get_company("t", company.id).connections == ()
    with pytest.raises(ConnectionNotFound):
        store.get_connection("t", company.id, "00000000-0000-4000-8000-000000000000")


def test_connection_ids_are_scoped_to_their_company(store: Store) -> None:
    a = store.create_company("t", name="A")
    b = store.create_company("t", name="B")
    connection = store.create_connection("t", a.id, "qhyg")
    with pytest.raises(ConnectionNotFound):
        store.get_connection("t", b.id, connection.id)


def test_failed_link_records_an_error_and_success_resolves_it(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    failed = store.apply("t", company.id, connection.id, ConnectionEvent.FAIL)
    assert failed.status is ConnectionStatus.PENDING_AUTH
    assert [(e.status_code, e.error_message, e.status) for e in failed.errors] == [("403", "User cancelled", "Active")]
    failed = store.apply(
        "t", company.id, connection.id, ConnectionEvent.FAIL, failure=LinkFailure.platform_error("boom")
    )
    assert [e.status_code for e in failed.errors] == ["403", "500"]
    linked = store.authorize("t", company.id, connection.id)
    assert {e.status for e in linked.errors} == {"Resolved"}
    # Failing a Linked connection is a no-op: Link reports it is already connected.
    assert store.apply("t", company.id, connection.id, ConnectionEvent.FAIL) == linked


def test_deauthorize_records_the_platforms_revocation(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "gbol")
    store.authorize("t", company.id, connection.id)
    revoked = store.apply("t", company.id, connection.id, ConnectionEvent.DEAUTHORIZE)
    assert revoked.status is ConnectionStatus.DEAUTHORIZED
    assert revoked.errors[-1].status_code == "401"
    with pytest.raises(InvalidTransition):
        store.unlink("t", company.id, connection.id)


def test_only_one_linked_accounting_connection(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    qbo = store.create_connection("t", company.id, "qhyg")
    xero = store.create_connection("t", company.id, "gbol")
    bank = store.create_connection("t", company.id, "suuo")
    store.authorize("t", company.id, qbo.id)
    with pytest.raises(InvalidTransition, match=qbo.id):
        store.authorize("t", company.id, xero.id)
    assert store.get_connection("t", company.id, xero.id).status is ConnectionStatus.PENDING_AUTH
    assert store.authorize("t", company.id, bank.id).status is ConnectionStatus.LINKED
    store.unlink("t", company.id, qbo.id)
    assert store.authorize("t", company.id, xero.id).status is ConnectionStatus.LINKED


def test_events_describe_every_change(store: Store) -> None:
    seen: list[DomainEvent] = []
    unsubscribe = store.subscribe(seen.append)
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    store.apply("t", company.id, connection.id, ConnectionEvent.FAIL)
    store.authorize("t", company.id, connection.id)
    store.authorize("t", company.id, connection.id)  # no-op: no event
    store.unlink("t", company.id, connection.id)
    store.authorize("t", company.id, connection.id)
    store.unlink("t", company.id, connection.id)
    with pytest.raises(InvalidTransition):
        store.unlink("t", company.id, connection.id)  # refused: no event
    store.delete_connection("t", company.id, connection.id)
    store.delete_company("t", company.id)
    unsubscribe()
    store.create_company("t", name="After")
    assert [e.type for e in seen] == [
        EventType.COMPANY_CREATED,
        EventType.CONNECTION_CREATED,
        EventType.CONNECTION_FAILED,
        EventType.CONNECTION_CONNECTED,
        EventType.CONNECTION_DISCONNECTED,
        EventType.CONNECTION_RECONNECTED,
        EventType.CONNECTION_DISCONNECTED,
        EventType.CONNECTION_DELETED,
        EventType.COMPANY_DELETED,
    ]
    assert seen[3].previous_status is ConnectionStatus.PENDING_AUTH
    assert seen[3].connection is not None and seen[3].connection.status is ConnectionStatus.LINKED
    assert {e.tenant for e in seen} == {"t"}
    assert len({e.id for e in seen}) == len(seen)


def test_reset_one_tenant_or_all(store: Store) -> None:
    store.create_company("a", name="A")
    store.create_company("b", name="B")
    store.reset("a")
    assert store.companies("a") == [] and len(store.companies("b")) == 1
    store.reset()
    assert store.tenants() == []


def test_snapshots_do_not_change_under_later_writes(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    listing = store.companies("t")
    store.update_company("t", company.id, name="Renamed")
    store.create_company("t", name="Other")
    assert [c.name for c in listing] == ["Acme"]


def test_racing_authorizations_link_at_most_one_accounting_connection() -> None:
    store = Store()
    company = store.create_company("t", name="Acme")
    ids = [store.create_connection("t", company.id, key).id for key in ("qhyg", "gbol", "akxx", "pdvj") * 4]
    barrier = threading.Barrier(len(ids))

    def attempt(connection_id: str) -> None:
        barrier.wait()
        with contextlib.suppress(InvalidTransition):
            store.authorize("t", company.id, connection_id)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    linked = [c for c in store.get_company("t", company.id).connections if c.status is ConnectionStatus.LINKED]
    assert len(linked) == 1


@given(st.lists(st.sampled_from(["create", "connect", "authorize", "unlink", "delete"]), max_size=25))
def test_store_invariants_hold_for_any_operation_sequence(operations: list[str]) -> None:
    store = Store()
    for op in operations:
        companies = store.companies("t")
        try:
            if op == "create" or not companies:
                store.create_company("t", name="C")
            elif op == "connect":
                store.create_connection("t", companies[-1].id, "qhyg")
            elif op == "delete":
                store.delete_company("t", companies[0].id)
            elif companies[-1].connections:
                connection = companies[-1].connections[-1]
                getattr(store, op)("t", companies[-1].id, connection.id)
        except InvalidTransition:
            pass
        for company in store.companies("t"):
            linked = [c for c in company.connections if c.status is ConnectionStatus.LINKED]
            assert len(linked) <= 1
            assert all(c.company_id == company.id for c in company.connections)
            assert len({c.id for c in company.connections}) == len(company.connections)

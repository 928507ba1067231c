"""The store's settle step: auto-link policies applied to reads, with the manual clock."""

from __future__ import annotations

from datetime import timedelta

from mock_server.domain.clock import ManualClock
from mock_server.domain.enums import ConnectionStatus
from mock_server.domain.events import DomainEvent, EventType
from mock_server.domain.store import Store
from mock_server.domain.tenants import ImmediateLink, LinkAfterReads, LinkAfterSeconds, TenantSettings

PENDING, LINKED = ConnectionStatus.PENDING_AUTH, ConnectionStatus.LINKED


def status(store: Store, company_id: str, connection_id: str) -> ConnectionStatus:
    return store.get_connection("t", company_id, connection_id).status


def test_manual_policy_never_links_and_takes_no_lock(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    # Holding the lock in another thread would block a settle that took it; manual must not need it.
    import threading

    locked = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with store._lock:
            locked.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait(5)
    try:
        store.settle("t")
        store.settle("t", company.id, connection.id)
        store.settle("nobody")
    finally:
        release.set()
        holder.join()
    assert status(store, company.id, connection.id) is PENDING


def test_immediate_links_on_the_first_read(store: Store) -> None:
    store.configure("t", TenantSettings(auto_link=ImmediateLink()))
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    assert connection.status is PENDING  # create's own answer stays pending
    store.settle("t", company.id, connection.id)
    assert status(store, company.id, connection.id) is LINKED


def test_after_seconds_uses_the_store_clock(store: Store, clock: ManualClock) -> None:
    store.configure("t", TenantSettings(auto_link=LinkAfterSeconds(seconds=30)))
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    clock.advance(timedelta(seconds=29, microseconds=999_999))
    store.settle("t")
    assert status(store, company.id, connection.id) is PENDING
    clock.advance(timedelta(microseconds=1))
    store.settle("t")
    linked = store.get_connection("t", company.id, connection.id)
    assert linked.status is LINKED
    assert linked.status_changed == clock.now()


def test_after_reads_counts_each_connection_separately(store: Store) -> None:
    store.configure("t", TenantSettings(auto_link=LinkAfterReads(reads=2)))
    company = store.create_company("t", name="Acme")
    first = store.create_connection("t", company.id, "qhyg")
    store.settle("t", company.id, first.id)  # read 1 of first
    second = store.create_connection("t", company.id, "suuo")
    store.settle("t", company.id)  # read 2 of first, read 1 of second
    assert (status(store, company.id, first.id), status(store, company.id, second.id)) == (PENDING, PENDING)
    store.settle("t")  # read 3 of first: linked; read 2 of second
    assert (status(store, company.id, first.id), status(store, company.id, second.id)) == (LINKED, PENDING)
    store.settle("t", company.id, second.id)
    assert status(store, company.id, second.id) is LINKED


def test_reads_of_other_connections_do_not_count(store: Store) -> None:
    store.configure("t", TenantSettings(auto_link=LinkAfterReads(reads=1)))
    company = store.create_company("t", name="Acme")
    other = store.create_company("t", name="Other")
    connection = store.create_connection("t", company.id, "qhyg")
    for _ in range(3):
        store.settle("t", other.id)
        store.settle("t", company.id, "00000000-0000-4000-8000-000000000000")
        store.settle("t", company.id, "not-a-uuid")
    assert status(store, company.id, connection.id) is PENDING
    store.settle("t", company.id, connection.id)
    store.settle("t", company.id, connection.id)
    assert status(store, company.id, connection.id) is LINKED


def test_due_connections_respect_the_one_linked_accounting_rule(store: Store) -> None:
    store.configure("t", TenantSettings(auto_link=ImmediateLink()))
    company = store.create_company("t", name="Acme")
    qbo = store.create_connection("t", company.id, "qhyg")
    xero = store.create_connection("t", company.id, "gbol")
    bank = store.create_connection("t", company.id, "suuo")
    store.settle("t", company.id)
    # The oldest accounting connection wins; the other stays pending, with no error entry.
    assert [c.status for c in store.connections("t", company.id)] == [LINKED, PENDING, LINKED]
    assert store.get_connection("t", company.id, xero.id).errors == ()
    store.unlink("t", company.id, qbo.id)
    store.settle("t", company.id, xero.id)
    assert status(store, company.id, xero.id) is LINKED
    assert status(store, company.id, bank.id) is LINKED


def test_only_pending_connections_are_auto_linked(store: Store) -> None:
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    store.authorize("t", company.id, connection.id)
    store.unlink("t", company.id, connection.id)
    store.configure("t", TenantSettings(auto_link=ImmediateLink()))
    store.settle("t")
    assert status(store, company.id, connection.id) is ConnectionStatus.UNLINKED


def test_auto_links_emit_the_usual_events(store: Store) -> None:
    seen: list[DomainEvent] = []
    store.subscribe(seen.append)
    store.configure("t", TenantSettings(auto_link=ImmediateLink()))
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    store.settle("t")
    store.settle("t")
    assert [e.type for e in seen] == [
        EventType.COMPANY_CREATED,
        EventType.CONNECTION_CREATED,
        EventType.CONNECTION_CONNECTED,
    ]
    assert seen[-1].connection is not None and seen[-1].connection.id == connection.id


def test_changing_the_policy_restarts_the_count(store: Store) -> None:
    store.configure("t", TenantSettings(auto_link=LinkAfterReads(reads=2)))
    company = store.create_company("t", name="Acme")
    connection = store.create_connection("t", company.id, "qhyg")
    store.settle("t")
    store.settle("t")
    assert store.export_state("t").reads == {connection.id: 2}
    # Changing only the redirect URL keeps the count; changing the policy restarts it.
    store.configure("t", TenantSettings(auto_link=LinkAfterReads(reads=2), redirect_url="https://x.example/"))
    assert store.export_state("t").reads == {connection.id: 2}
    store.configure("t", TenantSettings(auto_link=LinkAfterReads(reads=3)))
    assert store.export_state("t").reads == {}

"""The in-memory store: companies and connections, partitioned by tenant (one tenant per API key).

Every write takes the store's lock, validates everything first and only then swaps in new immutable
records, so a failed call leaves nothing half-changed. Single-record reads are lock-free (a dict lookup
returns one consistent record). A listing takes only its page under the lock: in store order straight from
the dict, in an `orderBy` order from a sorted index kept current on every write (order_index.py); when it
filters, one tuple of the tenant's records made once per version of them (every change is a new version).
Each change emits a DomainEvent to the subscribed listeners, in order, while the lock is held.

Company ids are unique across tenants, and the store keeps an index from company id to tenant: the Link
pages are opened by a browser that sends no API key, so they find the tenant from the company id in the
URL (an unguessable UUID), and a Link URL can only ever reach its own tenant's data.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from .catalogue import Catalogue
from .clock import Clock, IdFactory, SystemClock, random_ids
from .enums import ConnectionEvent, ConnectionStatus, SourceType
from .errors import CompanyNotFound, Conflict, ConnectionNotFound, InvalidTransition
from .events import DomainEvent, EventListener, EventType
from .order_index import OrderIndexes
from .payables.ledgers import Ledgers
from .payables.records import Ledger
from .payables.snapshot import copy_ledger
from .query import OrderBy
from .records import CompanyRecord, ConnectionErrorRecord, ConnectionRecord
from .rules import canonical_id, check_tags, clean_company_name
from .state_machine import transition
from .tenants import LinkAfterReads, TenantSettings, is_due, policy_is_manual


@dataclass(frozen=True, slots=True)
class LinkFailure:
    """Why a Link attempt failed: becomes a `dataConnectionErrors` entry."""

    status_code: str
    status_text: str
    error_message: str

    @classmethod
    def cancelled(cls) -> LinkFailure:
        return cls("403", "User cancelled linking", "User cancelled")

    @classmethod
    def platform_error(cls, message: str = "Unknown error occurred.") -> LinkFailure:
        return cls("500", "The platform reported an error", message)

    @classmethod
    def already_linked(cls, message: str) -> LinkFailure:
        """Link refused the connection: the company already has a Linked accounting connection."""
        return cls("500", "Only one accounting platform can be linked", message)


@dataclass(frozen=True, slots=True)
class LinkAttempt:
    """What one Link attempt did: the status before, the connection after, and a refusal if any."""

    previous_status: ConnectionStatus
    connection: ConnectionRecord
    refusal: InvalidTransition | None = None


@dataclass(frozen=True, slots=True)
class TenantState:
    """Everything the store holds for one tenant, as plain records: what export and import exchange.

    `reads` counts, per connection id, the reads an `afterReads` policy has seen of it; `ledgers` holds the
    Bill Pay ledger of each connection that has one.
    """

    companies: tuple[CompanyRecord, ...] = ()
    settings: TenantSettings = field(default_factory=TenantSettings)
    reads: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    ledgers: Mapping[str, Ledger] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(slots=True)
class _Tenant:
    companies: dict[str, CompanyRecord] = field(default_factory=dict)
    settings: TenantSettings = field(default_factory=TenantSettings)
    reads: dict[str, int] = field(default_factory=dict)
    version: int = 0
    """Names the current state of `companies`; every change takes a new, never reused, number."""
    snapshot: tuple[CompanyRecord, ...] | None = None
    """`companies` as a tuple, made by the first listing that needs them all after a change."""
    orders: OrderIndexes[CompanyRecord] = field(default_factory=lambda: OrderIndexes(_company_id))
    """`companies` sorted per `orderBy` used so far; every write to `companies` goes through `orders` too."""


class _CompanyListing:
    """A tenant's companies as a Listable (domain/listing.py); each method is one look under the lock."""

    def __init__(self, lock: threading.RLock, state: _Tenant | None) -> None:
        self._lock = lock
        self._state = state

    def window(self, start: int, stop: int) -> tuple[int, Sequence[CompanyRecord]]:
        state = self._state
        if state is None:
            return 0, ()
        with self._lock:
            if state.snapshot is not None:
                return len(state.snapshot), state.snapshot[start:stop]
            # Only the page is copied. Reaching it is a C-level walk of the dict, from whichever end is nearer:
            # a walk of 100 000 values costs milliseconds (each step touches another record), so the last
            # pages, which clients page to as often as the first, walk back from the newest.
            count = len(state.companies)
            stop = min(stop, count)
            if start >= stop:
                return count, ()
            if start > count - stop:
                newest_first = itertools.islice(reversed(state.companies.values()), count - stop, count - start)
                return count, tuple(newest_first)[::-1]
            return count, tuple(itertools.islice(state.companies.values(), start, stop))

    def ordered_window(self, order: OrderBy, start: int, stop: int) -> tuple[int, Sequence[CompanyRecord]]:
        state = self._state
        if state is None:
            return 0, ()
        with self._lock:
            return len(state.companies), state.orders.page(order, state.companies, start, stop)

    def everything(self) -> tuple[Hashable | None, Sequence[CompanyRecord]]:
        state = self._state
        if state is None:
            return None, ()
        with self._lock:
            if state.snapshot is None:
                state.snapshot = tuple(state.companies.values())
            return state.version, state.snapshot


class Store:
    """All emulated state. Construct one per app (or per test); there is no global instance."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        ids: IdFactory | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.ids: IdFactory = ids or random_ids()
        self.catalogue = catalogue or Catalogue.default()
        self._lock = threading.RLock()
        self._tenants: dict[str, _Tenant] = {}
        self._owners: dict[str, str] = {}  # company id → tenant (ids are unique across tenants)
        self._listeners: list[EventListener] = []
        self._pending: list[DomainEvent] = []
        # Bill Pay ledgers follow the connections through their events (seeded on linking, dropped on delete).
        self.payables = Ledgers()
        self._listeners.append(self.payables.on_event)
        self._versions = itertools.count(1)

    # --- infrastructure --------------------------------------------------------------------------------

    def new_id(self) -> str:
        return str(self.ids())

    def subscribe(self, listener: EventListener) -> Callable[[], None]:
        """Call `listener` with every later DomainEvent; returns a function that unsubscribes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def reset(self, tenant: str | None = None) -> None:
        """Forget one tenant's data and settings, or everyone's."""
        with self._lock:
            self.payables.forget(tenant)
            if tenant is None:
                self._tenants.clear()
                self._owners.clear()
            else:
                # The tenant's order indexes go with it.
                state = self._tenants.pop(tenant, None)
                if state is not None:
                    for company_id in state.companies:
                        self._owners.pop(company_id, None)

    def tenants(self) -> list[str]:
        with self._lock:
            return list(self._tenants)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._lock:
            try:
                yield
            finally:
                # Events of a failed write were never queued (writes validate before they emit), so
                # whatever is pending here describes changes that really happened.
                pending, self._pending = self._pending, []
                for event in pending:
                    for listener in list(self._listeners):
                        listener(event)

    def _emit(
        self,
        tenant: str,
        kind: EventType,
        company: CompanyRecord,
        connection: ConnectionRecord | None = None,
        previous: ConnectionStatus | None = None,
    ) -> None:
        self._pending.append(DomainEvent(self.new_id(), kind, tenant, self.clock.now(), company, connection, previous))

    def publish(self, event: DomainEvent) -> None:
        """Deliver an event of a write made outside the store's own methods (Bill Pay) to the listeners."""
        with self._writing():
            self._pending.append(event)

    def owner_of(self, company_id: str) -> str | None:
        """The tenant holding `company_id`, or None. Lock-free: one dict lookup."""
        key = canonical_id(company_id)
        return self._owners.get(key) if key is not None else None

    def _tenant(self, tenant: str) -> _Tenant:
        state = self._tenants.get(tenant)
        if state is None:
            state = self._tenants[tenant] = _Tenant(version=next(self._versions))
        return state

    def _store(self, tenant: str, company: CompanyRecord) -> None:
        """Put `company` (new or a new version of it) into the tenant's records."""
        state = self._tenant(tenant)
        state.orders.stored(state.companies.get(company.id), company)
        state.companies[company.id] = company
        self._changed(state)

    def _changed(self, state: _Tenant) -> None:
        state.version = next(self._versions)
        state.snapshot = None

    # --- companies -------------------------------------------------------------------------------------

    def create_company(
        self, tenant: str, *, name: str, description: str | None = None, tags: Mapping[str, str] | None = None
    ) -> CompanyRecord:
        clean_name = clean_company_name(name)
        clean_tags = check_tags(tags or {})
        with self._writing():
            now = self.clock.now()
            company = CompanyRecord(self._new_company_id(), clean_name, description or "", now, clean_tags)
            self._store(tenant, company)
            self._owners[company.id] = tenant
            self._emit(tenant, EventType.COMPANY_CREATED, company)
            return company

    def get_company(self, tenant: str, company_id: str) -> CompanyRecord:
        state = self._tenants.get(tenant)
        key = canonical_id(company_id)
        company = state.companies.get(key) if state is not None and key is not None else None
        if company is None:
            raise CompanyNotFound(company_id)
        return company

    def company_listing(self, tenant: str) -> _CompanyListing:
        """The tenant's companies for a listing: a page, or all of them with their version (listing.py)."""
        return _CompanyListing(self._lock, self._tenants.get(tenant))

    def companies(self, tenant: str) -> list[CompanyRecord]:
        """The tenant's companies, oldest first (a snapshot: later writes do not change it)."""
        with self._lock:
            state = self._tenants.get(tenant)
            return list(state.companies.values()) if state is not None else []

    def replace_company(
        self, tenant: str, company_id: str, *, name: str, description: str | None, tags: Mapping[str, str] | None
    ) -> CompanyRecord:
        """PUT semantics: every field is set; an omitted description or tags is cleared."""
        clean_name = clean_company_name(name)
        clean_tags = check_tags(tags or {})
        with self._writing():
            company = self.get_company(tenant, company_id)
            updated = dataclasses.replace(company, name=clean_name, description=description or "", tags=clean_tags)
            self._store(tenant, updated)
            return updated

    def update_company(
        self,
        tenant: str,
        company_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> CompanyRecord:
        """PATCH semantics: None means "keep"; a given tags map replaces the whole map."""
        clean_name = clean_company_name(name) if name is not None else None
        clean_tags = check_tags(tags) if tags is not None else None
        with self._writing():
            company = self.get_company(tenant, company_id)
            updated = dataclasses.replace(
                company,
                name=clean_name if clean_name is not None else company.name,
                description=description if description is not None else company.description,
                tags=clean_tags if clean_tags is not None else company.tags,
            )
            self._store(tenant, updated)
            return updated

    def delete_company(self, tenant: str, company_id: str) -> None:
        """Delete the company and, with it, every connection it holds."""
        with self._writing():
            company = self.get_company(tenant, company_id)
            state = self._tenants[tenant]
            state.orders.removed(company)
            del state.companies[company.id]
            self._changed(state)
            self._owners.pop(company.id, None)
            for connection in company.connections:
                state.reads.pop(connection.id, None)
            self._emit(tenant, EventType.COMPANY_DELETED, company)

    # --- connections -----------------------------------------------------------------------------------

    def create_connection(self, tenant: str, company_id: str, platform_key: str) -> ConnectionRecord:
        """A new PendingAuth connection; a company may hold any number of pending ones."""
        with self._writing():
            company = self.get_company(tenant, company_id)
            integration = self.catalogue.get(platform_key)
            now = self.clock.now()
            connection = ConnectionRecord(
                id=self.new_id(),
                company_id=company.id,
                integration=integration,
                status=ConnectionStatus.PENDING_AUTH,
                created=now,
                status_changed=now,
            )
            company = self._put_connection(tenant, company, connection, new=True)
            self._emit(tenant, EventType.CONNECTION_CREATED, company, connection)
            return connection

    def get_connection(self, tenant: str, company_id: str, connection_id: str) -> ConnectionRecord:
        company = self.get_company(tenant, company_id)
        key = canonical_id(connection_id)
        connection = company.connection(key) if key is not None else None
        if connection is None:
            raise ConnectionNotFound(connection_id)
        return connection

    def connections(self, tenant: str, company_id: str) -> list[ConnectionRecord]:
        """The company's connections, oldest first."""
        return list(self.get_company(tenant, company_id).connections)

    def delete_connection(self, tenant: str, company_id: str, connection_id: str) -> None:
        with self._writing():
            company = self.get_company(tenant, company_id)
            connection = self.get_connection(tenant, company_id, connection_id)
            remaining = tuple(c for c in company.connections if c.id != connection.id)
            company = dataclasses.replace(company, connections=remaining)
            self._store(tenant, company)
            self._tenants[tenant].reads.pop(connection.id, None)
            self._emit(tenant, EventType.CONNECTION_DELETED, company, connection)

    def apply(
        self,
        tenant: str,
        company_id: str,
        connection_id: str,
        event: ConnectionEvent,
        *,
        failure: LinkFailure | None = None,
    ) -> ConnectionRecord:
        """Move a connection through the state machine and record what happened.

        `authorize` refuses (400) while another accounting connection of the company is Linked: Codat
        allows one linked accounting source per company. `fail` records `failure` (default: the user
        cancelled) as an error entry unless the connection is already Linked.
        """
        with self._writing():
            company = self.get_company(tenant, company_id)
            current = self.get_connection(tenant, company_id, connection_id)
            new_status = transition(current.status, event)
            now = self.clock.now()
            if event is ConnectionEvent.AUTHORIZE and current.status is not ConnectionStatus.LINKED:
                self._check_single_accounting_link(company, current)
                updated = dataclasses.replace(
                    current, status=new_status, status_changed=now, errors=_resolved(current.errors, now)
                )
                kind = (
                    EventType.CONNECTION_CONNECTED
                    if current.status is ConnectionStatus.PENDING_AUTH
                    else EventType.CONNECTION_RECONNECTED
                )
            elif event is ConnectionEvent.FAIL and current.status is not ConnectionStatus.LINKED:
                why = failure or LinkFailure.cancelled()
                entry = ConnectionErrorRecord(why.status_code, why.status_text, why.error_message, now)
                updated = dataclasses.replace(current, errors=(*current.errors, entry))
                kind = EventType.CONNECTION_FAILED
            elif event in (ConnectionEvent.UNLINK, ConnectionEvent.DEAUTHORIZE):
                errors = current.errors
                if event is ConnectionEvent.DEAUTHORIZE:
                    message = "The integration de-authorized access to the connection."
                    errors = (*errors, ConnectionErrorRecord("401", message, message, now))
                updated = dataclasses.replace(current, status=new_status, status_changed=now, errors=errors)
                kind = EventType.CONNECTION_DISCONNECTED
            else:
                # Authorizing or failing a Linked connection changes nothing (Link says "already connected").
                return current
            company = self._put_connection(tenant, company, updated)
            self._emit(tenant, kind, company, updated, current.status)
            return updated

    def start_connection(self, tenant: str, company_id: str, platform_key: str) -> ConnectionRecord:
        """The company's PendingAuth connection to `platform_key`, created if it has none (Link's platform pick).

        Choosing a platform twice on the company's Link page must not pile up pending connections, so an
        existing PendingAuth one (the oldest) is reused.
        """
        with self._writing():
            company = self.get_company(tenant, company_id)
            self.catalogue.get(platform_key)  # an unknown key is a 404 before anything is looked at
            for connection in company.connections:
                if connection.status is ConnectionStatus.PENDING_AUTH and connection.integration.key == platform_key:
                    return connection
            return self.create_connection(tenant, company_id, platform_key)

    def attempt_link(
        self, tenant: str, company_id: str, connection_id: str, failure: LinkFailure | None = None
    ) -> LinkAttempt:
        """One completed Link attempt, atomically: authorize (`failure` None) or record `failure`.

        Unlike `authorize`, a refusal by the one-linked-accounting rule is not raised: as at Codat's Link,
        the attempt fails, a 500 `dataConnectionErrors` entry is recorded, and the refusal is returned.
        """
        with self._writing():
            before = self.get_connection(tenant, company_id, connection_id)
            if failure is not None:
                return LinkAttempt(
                    before.status, self.apply(tenant, company_id, connection_id, ConnectionEvent.FAIL, failure=failure)
                )
            try:
                return LinkAttempt(before.status, self.authorize(tenant, company_id, connection_id))
            except InvalidTransition as refusal:
                failed = self.apply(
                    tenant,
                    company_id,
                    connection_id,
                    ConnectionEvent.FAIL,
                    failure=LinkFailure.already_linked(refusal.message),
                )
                return LinkAttempt(before.status, failed, refusal)

    def authorize(self, tenant: str, company_id: str, connection_id: str) -> ConnectionRecord:
        return self.apply(tenant, company_id, connection_id, ConnectionEvent.AUTHORIZE)

    def unlink(self, tenant: str, company_id: str, connection_id: str) -> ConnectionRecord:
        return self.apply(tenant, company_id, connection_id, ConnectionEvent.UNLINK)

    # --- auto-link policies -----------------------------------------------------------------------------

    def settings(self, tenant: str) -> TenantSettings:
        state = self._tenants.get(tenant)
        return state.settings if state is not None else TenantSettings()

    def configure(self, tenant: str, settings: TenantSettings) -> TenantSettings:
        """Replace the tenant's settings. A changed auto-link policy counts reads from now on."""
        with self._lock:
            state = self._tenant(tenant)
            if settings.auto_link != state.settings.auto_link:
                state.reads.clear()
            state.settings = settings
            return settings

    def settle(self, tenant: str, company_id: str | None = None, connection_id: str | None = None) -> None:
        """Apply the tenant's auto-link policy to what a read is about to see.

        The read covers one connection (`company_id` and `connection_id`), one company's connections
        (`company_id`), or every connection of the tenant (neither). Each PendingAuth connection covered
        counts one read, and those the policy finds due are authorized, oldest first, emitting the same
        events as any authorization. A due connection that the one-linked-accounting rule refuses stays
        PendingAuth, silently (no error entry: no one attempted a Link), and is due again on later reads.

        Under the default `manual` policy this returns at once without taking the lock.
        """
        state = self._tenants.get(tenant)
        if state is None or policy_is_manual(state.settings):
            return
        with self._writing():
            companies: list[CompanyRecord]
            if company_id is None:
                companies = list(state.companies.values())
            else:
                key = canonical_id(company_id)
                company = state.companies.get(key) if key is not None else None
                companies = [company] if company is not None else []
            wanted = canonical_id(connection_id) if connection_id is not None else None
            now = self.clock.now()
            policy = state.settings.auto_link
            for company in companies:
                for connection in company.connections:
                    if connection.status is not ConnectionStatus.PENDING_AUTH:
                        continue
                    if connection_id is not None and connection.id != wanted:
                        continue
                    reads = state.reads.get(connection.id, 0) + 1
                    if isinstance(policy, LinkAfterReads):  # only this policy needs the count kept
                        state.reads[connection.id] = reads
                    if is_due(policy, created=connection.created, now=now, reads=reads):
                        # Refused when another accounting connection is Linked: it stays pending (documented).
                        with contextlib.suppress(InvalidTransition):
                            self.authorize(tenant, company.id, connection.id)

    # --- export and import ------------------------------------------------------------------------------

    def export_state(self, tenant: str) -> TenantState:
        """A consistent copy of the tenant's companies, settings and read counts."""
        with self._lock:
            state = self._tenants.get(tenant)
            if state is None:
                return TenantState()
            ledgers = {key: copy_ledger(ledger) for key, ledger in self.payables.of_tenant(tenant).items()}
            return TenantState(
                tuple(state.companies.values()),
                state.settings,
                MappingProxyType(dict(state.reads)),
                MappingProxyType(ledgers),
            )

    def import_state(self, tenant: str, imported: TenantState) -> None:
        """Replace everything the tenant holds with `imported`, atomically; no events are emitted.

        `imported` must already be valid (snapshot.py checks documents); the store checks only what
        depends on other tenants: a company id that another tenant holds is a 409 and changes nothing.
        """
        with self._lock:
            for company in imported.companies:
                owner = self._owners.get(company.id)
                if owner is not None and owner != tenant:
                    raise Conflict(
                        f"Company id {company.id} is already used by another tenant; company ids are unique "
                        "across tenants (reset that tenant first, or import the company under a new id)."
                    )
            self.reset(tenant)
            state = self._tenant(tenant)
            state.companies = {company.id: company for company in imported.companies}
            state.orders.clear()  # a fresh tenant after reset(); kept explicit in case that ever changes
            self._changed(state)
            state.settings = imported.settings
            state.reads = dict(imported.reads)
            self.payables.replace_tenant(tenant, {key: copy_ledger(ledger) for key, ledger in imported.ledgers.items()})
            for company in imported.companies:
                self._owners[company.id] = tenant

    def _new_company_id(self) -> str:
        # UUIDs do not collide, but an imported document may already hold the id a seeded factory is
        # about to produce; skip such ids so the company-to-tenant index stays one-to-one.
        while True:
            candidate = self.new_id()
            if candidate not in self._owners:
                return candidate

    def _check_single_accounting_link(self, company: CompanyRecord, candidate: ConnectionRecord) -> None:
        if candidate.source_type is not SourceType.ACCOUNTING:
            return
        for other in company.connections:
            if (
                other.id != candidate.id
                and other.status is ConnectionStatus.LINKED
                and other.source_type is SourceType.ACCOUNTING
            ):
                message = (
                    f"Company {company.id} already has a Linked accounting connection ({other.id}, "
                    f"{other.integration.name}); unlink it before linking another."
                )
                raise InvalidTransition(message, status=candidate.status.value, event=ConnectionEvent.AUTHORIZE.value)

    def _put_connection(
        self, tenant: str, company: CompanyRecord, connection: ConnectionRecord, *, new: bool = False
    ) -> CompanyRecord:
        # Keep creation order: append a new connection (no scan: a company may hold thousands of pending
        # ones, and comparing every id made each create O(connections) in Python), replace one in place.
        if new:
            connections = (*company.connections, connection)
        else:
            connections = tuple(connection if c.id == connection.id else c for c in company.connections)
        updated = dataclasses.replace(company, connections=connections)
        self._store(tenant, updated)
        return updated


def _company_id(company: CompanyRecord) -> str:
    return company.id


def _resolved(errors: tuple[ConnectionErrorRecord, ...], now: datetime) -> tuple[ConnectionErrorRecord, ...]:
    """A successful link resolves the errors of earlier failed attempts."""
    return tuple(
        dataclasses.replace(e, status="Resolved", resolved_on=now) if e.status == "Active" else e for e in errors
    )

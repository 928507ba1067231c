"""Every tenant's Bill Pay ledgers, with their idempotency entries, under one lock.

The store owns one `Ledgers` and forwards its domain events here: a connection that becomes Linked (or is
re-linked without one) gets its seed ledger, a deleted connection or company loses its ledgers, and a
reset forgets them. Keeping this apart from the company/connection records keeps those small and lets a
tenant with no Bill Pay use cost nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime

from ..enums import ConnectionStatus
from ..events import DomainEvent, EventType
from .generation import generate_ledger
from .idempotency import StoredResponse
from .platforms import PROFILES
from .records import Ledger

_LINKING = (EventType.CONNECTION_CONNECTED, EventType.CONNECTION_RECONNECTED)


class Ledgers:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._ledgers: dict[str, dict[str, Ledger]] = {}
        self._replies: dict[str, dict[str, StoredResponse]] = {}

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the lock across a read-check-write, so a write sees and leaves one consistent ledger."""
        with self._lock:
            yield

    # --- lifecycle ----------------------------------------------------------------------------------------

    def on_event(self, event: DomainEvent) -> None:
        """Keep ledgers in step with connections: seeded on linking, dropped with their connection or company."""
        connection = event.connection
        if event.type in _LINKING and connection is not None and connection.status is ConnectionStatus.LINKED:
            self.ensure(event.tenant, connection.id, connection.integration.key, event.company.name, event.occurred_at)
        elif event.type is EventType.CONNECTION_DELETED and connection is not None:
            self.drop(event.tenant, (connection.id,))
        elif event.type is EventType.COMPANY_DELETED:
            self.drop(event.tenant, tuple(c.id for c in event.company.connections))

    def ensure(
        self, tenant: str, connection_id: str, platform_key: str, company_name: str, now: datetime
    ) -> Ledger | None:
        """The connection's ledger, seeded now if it has none; None for a platform without Bill Pay."""
        profile = PROFILES.get(platform_key)
        if profile is None:
            return None
        with self._lock:
            ledgers = self._ledgers.setdefault(tenant, {})
            ledger = ledgers.get(connection_id)
            if ledger is None:
                ledger = ledgers[connection_id] = generate_ledger(profile, connection_id, company_name, now)
            return ledger

    def get(self, tenant: str, connection_id: str) -> Ledger | None:
        with self._lock:
            return self._ledgers.get(tenant, {}).get(connection_id)

    def put(self, tenant: str, connection_id: str, ledger: Ledger) -> None:
        with self._lock:
            self._ledgers.setdefault(tenant, {})[connection_id] = ledger

    def of_tenant(self, tenant: str) -> Mapping[str, Ledger]:
        with self._lock:
            return dict(self._ledgers.get(tenant, {}))

    def replace_tenant(self, tenant: str, ledgers: Mapping[str, Ledger]) -> None:
        """An import: the tenant's ledgers become exactly `ledgers`, and its idempotency entries go."""
        with self._lock:
            self._ledgers[tenant] = dict(ledgers)
            self._replies.pop(tenant, None)

    def drop(self, tenant: str, connection_ids: tuple[str, ...]) -> None:
        with self._lock:
            ledgers = self._ledgers.get(tenant, {})
            for connection_id in connection_ids:
                ledgers.pop(connection_id, None)

    def forget(self, tenant: str | None = None) -> None:
        """A reset: one tenant's ledgers and idempotency entries, or everyone's."""
        with self._lock:
            if tenant is None:
                self._ledgers.clear()
                self._replies.clear()
            else:
                self._ledgers.pop(tenant, None)
                self._replies.pop(tenant, None)

    def attachment_bytes(self) -> int:
        """Bytes of attachment content held across every tenant (the memory cap counts these)."""
        with self._lock:
            return sum(ledger.attachment_bytes() for ledgers in self._ledgers.values() for ledger in ledgers.values())

    # --- idempotency --------------------------------------------------------------------------------------

    def reply(self, tenant: str, key: str, now: datetime) -> StoredResponse | None:
        with self._lock:
            replies = self._replies.get(tenant, {})
            stored = replies.get(key)
            if stored is not None and stored.expired(now):
                del replies[key]
                return None
            return stored

    def remember(self, tenant: str, key: str, response: StoredResponse) -> None:
        with self._lock:
            replies = self._replies.setdefault(tenant, {})
            # Drop expired entries as new ones arrive, so the table stays bounded by the 90-minute window.
            for old in [k for k, v in replies.items() if v.expired(response.stored_at)]:
                del replies[old]
            replies[key] = response

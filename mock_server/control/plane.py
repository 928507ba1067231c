"""The control plane's state for one app: journal, fault rules, clock start; created by `create_app`."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

from ..delivery import WebhookHub
from ..domain.clock import ManualClock, seeded_ids
from ..domain.faults import FaultBook
from ..domain.journal import Journal
from ..domain.store import Store
from ..domain.tenants import fingerprint
from ..settings import Settings

Sleep = Callable[[float], Awaitable[None]]
"""How injected latency waits; tests pass a fake that records the delay instead."""


def store_for(settings: Settings) -> Store:
    """The store `create_app` builds: seeded ids and a manual clock in deterministic mode, else real ones."""
    if settings.seed is None:
        return Store()
    # ManualClock starts at a fixed instant (2026-01-01T00:00:00Z), so timestamps repeat run after run.
    return Store(clock=ManualClock(), ids=seeded_ids(settings.seed))


class ControlPlane:
    """Everything the control plane and its middleware share. One per app: there is no global state."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        operation_ids: Iterable[str],
        owns_ids: bool,
        sleep: Sleep | None = None,
        webhooks: WebhookHub | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.operation_ids = frozenset(operation_ids)
        self.journal = Journal(settings.journal_size)
        self.faults = FaultBook(self._random())
        self.sleep: Sleep = sleep or asyncio.sleep
        self._owns_ids = owns_ids
        self.webhooks = webhooks
        if webhooks is not None:
            webhooks.journal = self.journal  # delivery attempts are journaled beside the requests
        self.clock_start: datetime | None = store.clock.now() if isinstance(store.clock, ManualClock) else None

    @property
    def deterministic(self) -> bool:
        return self.settings.seed is not None

    def _random(self) -> random.Random:
        # Seeded in deterministic mode so probabilistic fault rules fire on the same requests every run.
        return random.Random(self.settings.seed) if self.settings.seed is not None else random.Random()

    def reset_tenant(self, tenant: str) -> None:
        """Forget the tenant's companies, settings, journal entries, fault rules and webhook consumers."""
        self.store.reset(tenant)
        self.journal.clear(fingerprint(tenant))
        self.faults.clear(tenant)
        if self.webhooks is not None:
            self.webhooks.reset(tenant)

    def reset_all(self) -> None:
        """Back to a just-started emulator: no tenants, journal or rules; a manual clock back at its start.

        In deterministic mode the id and fault generators are re-seeded too, so the same calls after a
        reset give the same bodies as after start-up. (The seed file is not re-imported.)
        """
        self.store.reset()
        self.journal.reset()
        self.faults.reset(self._random())
        if self.webhooks is not None:
            self.webhooks.reset()
        if isinstance(self.store.clock, ManualClock) and self.clock_start is not None:
            self.store.clock.set(self.clock_start)
        if self._owns_ids and self.settings.seed is not None:
            self.store.ids = seeded_ids(self.settings.seed)

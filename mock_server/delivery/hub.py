"""The webhook hub: consumers, the delivery book and the sender, wired to the store's events.

One hub per app (built by `create_app`). The store calls `_on_event` while it holds its lock, on whatever
thread wrote: the hub only builds the envelope and queues deliveries there, then nudges the sender on its
own event loop. The API call that caused the event never waits for a receiver.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from ..domain.events import DomainEvent
from ..domain.journal import Journal, JournalEntry, cut
from ..domain.store import Store
from ..domain.tenants import fingerprint
from ..domain.views import LinkUrls
from ..domain.webhooks.consumers import Consumer, ConsumerBook, ConsumerCreate, ConsumerNotFound
from ..domain.webhooks.deliveries import Attempt, Delivery, DeliveryBook
from ..domain.webhooks.payloads import envelope_bytes
from ..domain.webhooks.signing import make_secret
from ..settings import Settings
from .sender import Sender

FLUSH_POLL_SECONDS = 0.01
MIN_HISTORY = 1000
DELIVERY_OPERATION = "webhook-delivery"
"""The journal's operationId for a delivery attempt (its `path` is the receiver's URL)."""


class WebhookHub:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.consumers = ConsumerBook()
        # Finished deliveries stay visible for a while, at least a thousand, however small the queue is.
        history = max(settings.webhook_queue_size, MIN_HISTORY)
        self.book = DeliveryBook(settings.webhook_queue_size, history=history)
        self.journal: Journal | None = None
        self._default_base = settings.public_url or f"http://{settings.host}:{settings.port}"
        self._bases: dict[str, str] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sender: Sender | None = None
        store.subscribe(self._on_event)

    # --- consumers -----------------------------------------------------------------------------------------

    def create_consumer(self, tenant: str, body: ConsumerCreate, base_url: str | None = None) -> Consumer:
        """Add a consumer. `base_url` is where the caller reached the emulator: the base of payload links."""
        consumer = self.consumers.add(tenant, body, consumer_id=self.store.new_id(), secret=self._new_secret())
        if base_url is not None and self.settings.public_url is None:
            self._bases[tenant] = base_url
        return consumer

    def delete_consumer(self, tenant: str, webhook_id: str) -> None:
        consumer = self.consumers.delete(tenant, webhook_id)
        self.book.cancel_consumer(tenant, consumer.id)

    def import_consumers(self, tenant: str, consumers: list[Consumer]) -> None:
        for consumer in self.consumers.of(tenant):
            self.book.cancel_consumer(tenant, consumer.id)
        self.consumers.replace(tenant, consumers)

    def _new_secret(self) -> str:
        if self.settings.webhook_secret is not None:
            return self.settings.webhook_secret.get_secret_value()
        # From the store's id source: random normally, repeatable in deterministic mode.
        return make_secret(self.store.ids().bytes + self.store.ids().bytes)

    # --- events → deliveries ----------------------------------------------------------------------------------

    def _on_event(self, event: DomainEvent) -> None:
        wanted = [c for c in self.consumers.of(event.tenant) if c.wants(event.type.value, event.company.tags)]
        if not wanted:
            return
        body = envelope_bytes(event, LinkUrls(self._bases.get(event.tenant, self._default_base)))
        for consumer in wanted:
            self._queue(
                Delivery(
                    id=self.store.new_id(),
                    tenant=event.tenant,
                    consumer_id=consumer.id,
                    url=consumer.url,
                    secret=consumer.secret,
                    event_id=event.id,
                    event_type=event.type.value,
                    company_id=event.company.id,
                    connection_id=event.connection.id if event.connection is not None else None,
                    body=body,
                    created=datetime.now(UTC),
                )
            )

    def _queue(self, delivery: Delivery) -> None:
        self.book.add(delivery, time.monotonic(), datetime.now(UTC))
        self._nudge()

    def replay(self, tenant: str, delivery_id: str) -> Delivery | None:
        """Send a delivery's event to its consumer again, as a new delivery with the same `webhook-id`.

        None when there is no such delivery, or its consumer has been deleted since.
        """
        original = self.book.get(tenant, delivery_id)
        if original is None:
            return None
        try:
            consumer = self.consumers.get(tenant, original.consumer_id)
        except ConsumerNotFound:
            return None
        again = Delivery(
            id=self.store.new_id(),
            tenant=tenant,
            consumer_id=consumer.id,
            url=consumer.url,
            secret=consumer.secret,
            event_id=original.event_id,
            event_type=original.event_type,
            company_id=original.company_id,
            connection_id=original.connection_id,
            body=original.body,
            created=datetime.now(UTC),
            replay_of=original.id,
        )
        self._queue(again)
        return again

    # --- control -------------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._sender is not None

    def pause(self, tenant: str) -> None:
        self.book.pause(tenant)

    def resume(self, tenant: str) -> None:
        self.book.resume(tenant)
        self._nudge()

    async def flush(self, tenant: str, timeout: float) -> bool:
        """Wait until none of the tenant's deliveries is waiting (True), or `timeout` passes (False).

        Returns at once when nothing could drain: the tenant is paused, or the sender is not running.
        """
        deadline = time.monotonic() + timeout
        while self.book.waiting(tenant):
            if self.book.paused(tenant) or not self.running or time.monotonic() >= deadline:
                return False
            await asyncio.sleep(FLUSH_POLL_SECONDS)
        return True

    def reset(self, tenant: str | None = None) -> None:
        self.consumers.reset(tenant)
        self.book.reset(tenant)
        if tenant is None:
            self._bases.clear()
        else:
            self._bases.pop(tenant, None)

    # --- the sender's life -------------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        """Starlette lifespan: run the sender while the app runs."""
        sender = Sender(
            self.book,
            timeout=self.settings.webhook_timeout,
            retry_scale=self.settings.webhook_retry_scale,
            on_attempt=self._journal_attempt,
        )
        task = asyncio.create_task(sender.run(), name="codat-mock webhook sender")
        self._loop, self._sender = asyncio.get_running_loop(), sender
        try:
            yield
        finally:
            self._loop, self._sender = None, None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _nudge(self) -> None:
        loop, sender = self._loop, self._sender
        if loop is not None and sender is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed under us: the app is stopping
                loop.call_soon_threadsafe(sender.wake)

    def _journal_attempt(self, delivery: Delivery, attempt: Attempt, answer: str) -> None:
        journal = self.journal
        if journal is None or not journal.enabled:
            return
        limit = self.settings.journal_body_bytes
        request_body, request_cut = cut(delivery.body, limit)
        response_body, response_cut = cut(answer.encode("utf-8"), limit)
        journal.record(
            JournalEntry(
                seq=journal.next_seq(),
                at=self.store.clock.now(),
                method="POST",
                path=delivery.url,
                query="",
                status=attempt.status_code or 0,
                tenant=fingerprint(delivery.tenant),
                operation_id=DELIVERY_OPERATION,
                duration_ms=attempt.duration_ms,
                request_body=request_body,
                request_body_truncated=request_cut,
                response_body=response_body,
                response_body_truncated=response_cut,
            )
        )

"""The sender: an asyncio task that posts due deliveries to their receivers, off the request path.

It runs inside the app's lifespan (uvicorn always runs it; Starlette's TestClient only inside `with`).
Each attempt is a POST with the Standard Webhooks headers; anything but a 2xx within the timeout is a
failure and goes back to the delivery book, which schedules the retry. One attempt per consumer is in
flight at a time (the book's lanes), each as its own task, so a receiver that never answers holds only
its own consumer, and only for the timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..domain.webhooks.deliveries import Attempt, Delivery, DeliveryBook
from ..domain.webhooks.signing import sign

if TYPE_CHECKING:
    import httpx

AttemptListener = Callable[[Delivery, Attempt, str], None]
"""Told of every attempt: the delivery, the attempt, and the receiver's answer (or the error) as text."""

_ANSWER_LIMIT = 64 * 1024  # the most of a receiver's answer kept for the journal


class Sender:
    def __init__(
        self,
        book: DeliveryBook,
        *,
        timeout: float,
        retry_scale: float,
        on_attempt: AttemptListener,
    ) -> None:
        self.book = book
        self.timeout = timeout
        self.retry_scale = retry_scale
        self.on_attempt = on_attempt
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        """Look for due deliveries now. Call on the sender's loop (the hub hops threads for you)."""
        self._wake.set()

    async def run(self) -> None:
        # The HTTP client (and httpx's import, a tenth of start-up) waits for the first delivery: most runs
        # never send a webhook, and `serve` should answer its first request as soon as it can.
        client: httpx.AsyncClient | None = None
        try:
            while True:
                self._wake.clear()
                for delivery in self.book.take_due(time.monotonic()):
                    if client is None:
                        client = _new_client(self.timeout)
                    task = asyncio.create_task(self._attempt(client, delivery))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                due = self.book.next_due()
                wait = None if due is None else max(0.0, due - time.monotonic())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
        finally:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            if client is not None:
                await client.aclose()

    async def _attempt(self, client: httpx.AsyncClient, delivery: Delivery) -> None:
        import httpx  # already loaded by _new_client: only the name is needed here

        at = datetime.now(UTC)
        # Real Unix time even in deterministic mode: receivers reject timestamps more than 5 minutes off.
        timestamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "user-agent": "codat-mock-webhooks",
            "webhook-id": delivery.event_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(delivery.secret, delivery.event_id, timestamp, delivery.body),
        }
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        answer = ""
        try:
            # A total limit, not httpx's per-phase one: a receiver trickling bytes must not outlast it.
            async with asyncio.timeout(self.timeout):
                response = await client.post(delivery.url, content=delivery.body, headers=headers)
            status = response.status_code
            answer = response.text[:_ANSWER_LIMIT]
            if not 200 <= status < 300:
                error = f"the receiver answered {status}"
        except TimeoutError:
            error = f"no answer within {self.timeout:g} s"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        attempt = Attempt(at=at, status_code=status, error=error, duration_ms=(time.monotonic() - started) * 1000)
        self.book.record(delivery, attempt, success=error is None, now=time.monotonic(), scale=self.retry_scale)
        self.on_attempt(delivery, attempt, answer if error is None or status is not None else error)
        self._wake.set()


def _new_client(timeout: float) -> httpx.AsyncClient:
    import httpx

    return httpx.AsyncClient(follow_redirects=False, timeout=timeout)

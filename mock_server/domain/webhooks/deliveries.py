"""The delivery book: every delivery of an event to a consumer, its attempts, and the bounded queue.

Rules (docs/webhooks.md):

- **Per-consumer order.** Each (tenant, consumer) pair is one lane, delivered strictly first in, first
  out, one attempt in flight at a time: a delivery that keeps failing holds the later ones for that
  consumer until it succeeds or exhausts the retry schedule. Lanes are independent of each other, so a
  slow or dead receiver delays only its own consumer. (Codat promises no order; tests need one.)
- **Bounded.** At most `capacity` deliveries wait at once, across all tenants. A new one arriving at a
  full queue drops the oldest waiting one that is not in flight (state `dropped`), counted per tenant.
- **History.** Finished deliveries (succeeded, failed, dropped, cancelled) stay visible; the oldest
  finished ones are forgotten beyond `history`.
- **Paused tenants.** Nothing of a paused tenant is started; what is in flight finishes.

Times: `now` arguments are a monotonic clock in seconds (for scheduling), `at` arguments wall-clock
datetimes (for display). Nothing here reads a clock.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from .schedule import delay_before


class DeliveryState(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    DROPPED = "dropped"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Attempt:
    at: datetime
    status_code: int | None
    """The receiver's HTTP status; None when there was no answer (timeout, refused connection)."""
    error: str | None
    duration_ms: float


@dataclass(slots=True, eq=False)
class Delivery:
    id: str
    tenant: str
    consumer_id: str
    url: str
    secret: str
    event_id: str
    event_type: str
    company_id: str
    connection_id: str | None
    body: bytes
    created: datetime
    state: DeliveryState = DeliveryState.PENDING
    attempts: list[Attempt] = field(default_factory=list)
    next_attempt_at: datetime | None = None
    due: float = 0.0
    in_flight: bool = False
    replay_of: str | None = None

    @property
    def lane(self) -> tuple[str, str]:
        return (self.tenant, self.consumer_id)

    @property
    def finished(self) -> bool:
        return self.state is not DeliveryState.PENDING


@dataclass(frozen=True, slots=True)
class DeliveryFilter:
    consumer_id: str | None = None
    event_type: str | None = None
    event_id: str | None = None
    state: DeliveryState | None = None
    company_id: str | None = None
    connection_id: str | None = None

    def matches(self, d: Delivery) -> bool:
        return (
            (self.consumer_id is None or d.consumer_id == self.consumer_id)
            and (self.event_type is None or d.event_type == self.event_type)
            and (self.event_id is None or d.event_id == self.event_id)
            and (self.state is None or d.state is self.state)
            and (self.company_id is None or d.company_id == self.company_id)
            and (self.connection_id is None or d.connection_id == self.connection_id)
        )


class DeliveryBook:
    """Thread-safe: the store's listener adds from request threads, the sender updates from its loop."""

    def __init__(self, capacity: int, history: int) -> None:
        if capacity < 1 or history < 0:
            raise ValueError("a delivery queue needs capacity ≥ 1 and history ≥ 0")
        self.capacity = capacity
        self.history = history
        self._lock = threading.Lock()
        self._all: OrderedDict[str, Delivery] = OrderedDict()  # every known delivery, oldest first
        self._waiting: OrderedDict[str, Delivery] = OrderedDict()  # pending ones, in arrival order
        self._lanes: dict[tuple[str, str], deque[Delivery]] = {}
        self._finished: deque[str] = deque()
        self._dropped: dict[str, int] = {}
        self._paused: set[str] = set()

    # --- adding and finishing ----------------------------------------------------------------------------

    def add(self, delivery: Delivery, now: float, at: datetime) -> list[Delivery]:
        """Queue a new delivery, due at once; returns the deliveries dropped to make room."""
        dropped: list[Delivery] = []
        with self._lock:
            while len(self._waiting) >= self.capacity:
                victim = next((d for d in self._waiting.values() if not d.in_flight), None)
                if victim is None:  # everything waiting is in flight: the bound is exceeded briefly
                    break
                self._finish(victim, DeliveryState.DROPPED)
                self._dropped[victim.tenant] = self._dropped.get(victim.tenant, 0) + 1
                dropped.append(victim)
            delivery.state = DeliveryState.PENDING
            delivery.due = now
            delivery.next_attempt_at = at
            self._all[delivery.id] = delivery
            self._waiting[delivery.id] = delivery
            self._lanes.setdefault(delivery.lane, deque()).append(delivery)
        return dropped

    def take_due(self, now: float) -> list[Delivery]:
        """The head of every lane that is due, not in flight and not paused; each is marked in flight."""
        taken: list[Delivery] = []
        with self._lock:
            for (tenant, _), lane in self._lanes.items():
                if not lane or tenant in self._paused:
                    continue
                head = lane[0]
                if not head.in_flight and head.due <= now:
                    head.in_flight = True
                    taken.append(head)
        return taken

    def next_due(self) -> float | None:
        """When the earliest lane head that is waiting (not in flight, not paused) becomes due."""
        with self._lock:
            dues = [
                lane[0].due
                for (tenant, _), lane in self._lanes.items()
                if lane and not lane[0].in_flight and tenant not in self._paused
            ]
        return min(dues) if dues else None

    def record(self, delivery: Delivery, attempt: Attempt, *, success: bool, now: float, scale: float) -> None:
        """The outcome of an attempt: finish it, or schedule the next attempt by the retry schedule."""
        with self._lock:
            delivery.attempts.append(attempt)
            delivery.in_flight = False
            if delivery.finished:  # cancelled or dropped while the attempt was in flight
                return
            if success:
                self._finish(delivery, DeliveryState.SUCCEEDED)
                return
            wait = delay_before(len(delivery.attempts), scale)
            if wait is None:
                self._finish(delivery, DeliveryState.FAILED)
            else:
                delivery.due = now + wait
                delivery.next_attempt_at = attempt.at + timedelta(seconds=wait)

    def cancel_consumer(self, tenant: str, consumer_id: str) -> int:
        """A deleted consumer gets nothing more: its waiting deliveries are cancelled."""
        with self._lock:
            lane = list(self._lanes.get((tenant, consumer_id), ()))
            for delivery in lane:
                self._finish(delivery, DeliveryState.CANCELLED)
            return len(lane)

    def _finish(self, delivery: Delivery, state: DeliveryState) -> None:
        delivery.state = state
        delivery.next_attempt_at = None
        self._waiting.pop(delivery.id, None)
        lane = self._lanes.get(delivery.lane)
        if lane is not None:
            with contextlib.suppress(ValueError):
                lane.remove(delivery)
            if not lane:
                del self._lanes[delivery.lane]
        self._finished.append(delivery.id)
        while len(self._finished) > self.history:
            self._all.pop(self._finished.popleft(), None)

    # --- reading -------------------------------------------------------------------------------------------

    def get(self, tenant: str, delivery_id: str) -> Delivery | None:
        with self._lock:
            delivery = self._all.get(delivery_id)
        return delivery if delivery is not None and delivery.tenant == tenant else None

    def deliveries(self, tenant: str, which: DeliveryFilter) -> list[Delivery]:
        with self._lock:
            return [d for d in self._all.values() if d.tenant == tenant and which.matches(d)]

    def waiting(self, tenant: str | None = None) -> int:
        with self._lock:
            return sum(1 for d in self._waiting.values() if tenant is None or d.tenant == tenant)

    def dropped(self, tenant: str) -> int:
        with self._lock:
            return self._dropped.get(tenant, 0)

    # --- pausing and resetting -----------------------------------------------------------------------------

    def pause(self, tenant: str) -> None:
        with self._lock:
            self._paused.add(tenant)

    def resume(self, tenant: str) -> None:
        with self._lock:
            self._paused.discard(tenant)

    def paused(self, tenant: str) -> bool:
        with self._lock:
            return tenant in self._paused

    def reset(self, tenant: str | None = None) -> None:
        """Forget a tenant's deliveries, counters and pause (or everyone's); waiting ones are cancelled."""
        with self._lock:
            for delivery in [d for d in self._all.values() if tenant is None or d.tenant == tenant]:
                if not delivery.finished:
                    self._finish(delivery, DeliveryState.CANCELLED)
                self._all.pop(delivery.id, None)
            if tenant is None:
                self._dropped.clear()
                self._paused.clear()
            else:
                self._dropped.pop(tenant, None)
                self._paused.discard(tenant)

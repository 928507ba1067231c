"""Time and identity sources, injected into the store so tests and deterministic mode can control them."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

IdFactory = Callable[[], uuid.UUID]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to: `set` it, or `advance` it."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime(2026, 1, 1, tzinfo=UTC)).astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware datetime")
        with self._lock:
            self._now = when.astimezone(UTC)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now


def random_ids() -> IdFactory:
    return uuid.uuid4


def seeded_ids(seed: int) -> IdFactory:
    """Version-4-shaped UUIDs from a seeded generator: the same seed gives the same sequence."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def next_id() -> uuid.UUID:
        with lock:
            bits = rng.getrandbits(128)
        return uuid.UUID(int=bits, version=4)

    return next_id

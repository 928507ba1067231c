"""The request journal: a bounded ring buffer of what callers sent and got, for "was this called?" asserts.

Entries name the tenant by its fingerprint (never the API key) and carry the request and response bodies
cut to a few KB. When the buffer is full the oldest entry makes room; `dropped` counts how many did.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple


class JournalEntry(NamedTuple):
    """One recorded request. Immutable; a NamedTuple because one is built for every request served."""

    seq: int
    at: datetime
    method: str
    path: str
    query: str
    status: int
    tenant: str | None
    """The tenant's fingerprint; None when the request named no valid tenant."""
    operation_id: str | None
    """The route's name (Codat's operationId for API calls); None when no route matched."""
    duration_ms: float
    request_body: str
    request_body_truncated: bool
    response_body: str
    response_body_truncated: bool
    fault_rule: str | None = None
    """The id of the fault rule that answered this request, if one did."""
    ignored_fields: tuple[str, ...] = ()
    """Body fields the emulator ignored because the operation does not know them (docs/decisions.md)."""


@dataclass(frozen=True, slots=True)
class JournalFilter:
    """Which entries to return; every field given must match.

    `tenant` None means every tenant's entries (and those of no tenant): only admins ask for that.
    """

    tenant: str | None = None
    method: str | None = None
    path: str | None = None
    path_prefix: str | None = None
    operation_id: str | None = None
    status: int | None = None
    since: datetime | None = None

    def matches(self, entry: JournalEntry) -> bool:
        return (
            (self.tenant is None or entry.tenant == self.tenant)
            and (self.method is None or entry.method == self.method.upper())
            and (self.path is None or entry.path == self.path)
            and (self.path_prefix is None or entry.path.startswith(self.path_prefix))
            and (self.operation_id is None or entry.operation_id == self.operation_id)
            and (self.status is None or entry.status == self.status)
            and (self.since is None or entry.at >= self.since)
        )


def cut(body: bytes, limit: int) -> tuple[str, bool]:
    """At most `limit` bytes of `body` as text (undecodable bytes replaced), and whether it was cut."""
    return body[:limit].decode("utf-8", errors="replace"), len(body) > limit


class Journal:
    """A thread-safe ring buffer of JournalEntry; `capacity` 0 turns journaling off."""

    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("journal capacity cannot be negative")
        self.capacity = capacity
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)
        self._lock = threading.Lock()
        self._seq = 0
        self._dropped = 0

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    @property
    def dropped(self) -> int:
        return self._dropped

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def record(self, entry: JournalEntry) -> None:
        if not self.enabled:
            return
        with self._lock:
            if len(self._entries) == self.capacity:
                self._dropped += 1
            self._entries.append(entry)

    def entries(self, which: JournalFilter) -> list[JournalEntry]:
        """Matching entries, oldest first."""
        with self._lock:
            snapshot = list(self._entries)
        return [entry for entry in snapshot if which.matches(entry)]

    def clear(self, tenant: str | None = None) -> int:
        """Forget one tenant's entries (by fingerprint), or all of them; how many were removed."""
        with self._lock:
            before = len(self._entries)
            if tenant is None:
                self._entries.clear()
            else:
                kept = [entry for entry in self._entries if entry.tenant != tenant]
                self._entries = deque(kept, maxlen=self.capacity)
            return before - len(self._entries)

    def reset(self) -> None:
        """Back to a new journal: empty, numbering from 1 again."""
        with self._lock:
            self._entries.clear()
            self._seq = 0
            self._dropped = 0

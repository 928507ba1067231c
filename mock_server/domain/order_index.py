"""Sorted indexes of one tenant's records, one per `orderBy` field, kept current on writes.

Without them, the first ordered listing after any write re-sorts the whole tenant (O(n log n)); a client
that alternates create and list pays that every time. An index is built by one sort the first time its
field is used, and from then on every write moves only the changed record: a `bisect` to find it (O(log n))
and a list insert/delete (an O(n) memmove in C at worst, no comparisons). An ordered page is then a slice.

Ties must come out exactly as the stable sort in query/ordering.py puts them: in store order (the order the
records were first stored), ascending and descending alike. So each entry carries the record's position in
store order after its key. Ascending, a page is a plain slice. Descending reads the same list from the end
one run of equal keys at a time, each run forwards (see `_Index.descending_ids`): one index per field
serves both directions, which halves the memory and the build cost when a client uses both.

Entries hold the record's id, not the record: a write that does not change the sort key (most updates, every
connection change for a key that does not read connections) then leaves the index untouched, and a page
looks each id up in the store's dict, which always holds the current record.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from .query import OrderBy

T = TypeVar("T")

_Entry = tuple[bool, Any, int, str]  # (sort key's two parts, position in store order, id)


class _Index:
    """One field's entries, sorted ascending by (key, position)."""

    __slots__ = ("entries", "key")

    def __init__(self, key: Callable[[Any], Any]) -> None:
        self.key = key
        self.entries: list[_Entry] = []

    def entry(self, record: Any, record_id: str, position: int) -> _Entry:
        # The sort key (present, value) is spread into the entry rather than kept as a tuple inside it:
        # one tuple less per record and index (≈ 56 bytes, 5.6 MB per index at 100 000 records).
        present, value = self.key(record)
        return (present, value, position, record_id)

    def ids(self, start: int, stop: int, descending: bool) -> list[str]:
        """The ids of the records at [start:stop] of this order."""
        if descending:
            return self.descending_ids(start, stop)
        return [entry[3] for entry in self.entries[start:stop]]

    def descending_ids(self, start: int, stop: int) -> list[str]:
        """Keys from the highest down, equal keys in store order: runs of equal keys from the end, each forwards.

        A run is found with two bisects, and a page touches at most one run per record it returns, so a
        page costs O(page × log n) however long the runs are (100 000 companies with no description are
        one run).
        """
        entries, size, wanted = self.entries, len(self.entries), stop - start
        if start >= size or wanted <= 0:
            return []
        # The run holding the record at `start` counted from the end; the run's first record (at `low`)
        # is the run's first in descending order too, at `size - high`.
        at = size - 1 - start
        low, high = self._run_start(at), self._run_end(at)
        first = low + start - (size - high)
        taken = entries[first : min(high, first + wanted)]
        while len(taken) < wanted and low > 0:
            high = low
            low = self._run_start(high - 1)
            taken.extend(entries[low : min(high, low + wanted - len(taken))])
        return [entry[3] for entry in taken]

    # Most keys are unique (names, ids, timestamps), so a run is usually one entry: a look at the neighbour
    # settles it without a bisect.

    def _run_start(self, at: int) -> int:
        """Where the run of entries with the key of entries[at] begins."""
        entries = self.entries
        present, value = entries[at][0], entries[at][1]
        if at == 0 or not _same_key(entries[at - 1], present, value):
            return at
        return bisect_left(entries, (present, value), 0, at)  # sorts before every (key, position, id)

    def _run_end(self, at: int) -> int:
        """Where the run of entries with the key of entries[at] ends (exclusive)."""
        entries = self.entries
        present, value = entries[at][0], entries[at][1]
        if at + 1 == len(entries) or not _same_key(entries[at + 1], present, value):
            return at + 1
        return bisect_left(entries, (present, value, math.inf), at)  # sorts after every (key, position, id)

    def remove(self, entry: _Entry) -> None:
        at = bisect_left(self.entries, entry)
        # The entry must be there: every write that stored the record also indexed it.
        assert at < len(self.entries) and self.entries[at] == entry, "order index out of step with the store"
        del self.entries[at]


def _same_key(entry: _Entry, present: bool, value: Any) -> bool:
    return entry[0] == present and entry[1] == value


class OrderIndexes(Generic[T]):
    """The ordered indexes of one tenant's records (`records`: id → record, in store order).

    The store calls `stored` / `removed` on every write (under its lock) and `clear` when it replaces all
    the records; nothing is kept until the first ordered page is asked for.
    """

    def __init__(self, id_of: Callable[[T], str]) -> None:
        self._id_of = id_of
        self._indexes: dict[str, _Index] = {}
        # Position of each record in store order; only kept while some index exists.
        self._positions: dict[str, int] = {}
        self._next = 0

    def page(self, order: OrderBy, records: Mapping[str, T], start: int, stop: int) -> list[T]:
        """records[start:stop] in `order`, building its index (one sort) on first use."""
        index = self._indexes.get(order.field)
        if index is None:
            index = self._build(order, records)
        return [records[record_id] for record_id in index.ids(start, stop, order.descending)]

    def stored(self, old: T | None, new: T) -> None:
        """`new` was stored, replacing `old` (None: `new` is a new record, last in store order)."""
        if not self._indexes:
            return
        record_id = self._id_of(new)
        if old is None:
            position = self._positions[record_id] = self._next
            self._next += 1
            for index in self._indexes.values():
                insort(index.entries, index.entry(new, record_id, position))
            return
        position = self._positions[record_id]
        for index in self._indexes.values():
            before, after = index.entry(old, record_id, position), index.entry(new, record_id, position)
            if before != after:
                index.remove(before)
                insort(index.entries, after)

    def removed(self, old: T) -> None:
        if not self._indexes:
            return
        record_id = self._id_of(old)
        position = self._positions.pop(record_id)
        for index in self._indexes.values():
            index.remove(index.entry(old, record_id, position))

    def clear(self) -> None:
        """Forget every index (the records were replaced wholesale); the next ordered page rebuilds."""
        self._indexes.clear()
        self._positions.clear()
        self._next = 0

    def _build(self, order: OrderBy, records: Mapping[str, T]) -> _Index:
        if not self._indexes:
            self._positions = {record_id: at for at, record_id in enumerate(records)}
            self._next = len(self._positions)
        index = _Index(order.key)
        positions = self._positions
        entries = (index.entry(record, record_id, positions[record_id]) for record_id, record in records.items())
        index.entries = sorted(entries)  # positions are unique, so ids (and records) are never compared
        self._indexes[order.field] = index
        return index

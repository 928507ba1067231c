"""One listing request — filter, order, page — applied to the records a store holds.

A listing costs what its page costs wherever it can:

- unfiltered and in store order, only the page is taken from the store (`Listable.window`);
- unfiltered and ordered, the page is a slice of the store's sorted index for that `orderBy`
  (`Listable.ordered_window`), kept current on writes, so a write never forces a re-sort;
- filtered, the matching records in order are computed once per state of the store and kept
  in a `ListingCache` (keyed by the store's version of the tenant, so any write makes them stale), and a
  page is a slice of them; so is the compiled query, keyed by its text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from .paging import PageRequest, PageWindow, RawParams, paginate, window_of
from .query import OrderBy, QueryTarget, compile_order_by, compile_query, compile_tags_filter

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class ListRequest:
    """The listing parameters as the caller sent them (names already matched case-insensitively)."""

    page: str | None = None
    page_size: str | None = None
    query: str | None = None
    order_by: str | None = None
    tags: str | None = None


class Listable(Protocol[T_co]):
    """What a listing reads from: each method is one consistent look at the records, in store order."""

    def window(self, start: int, stop: int) -> tuple[int, Sequence[T_co]]:
        """How many records there are, and records[start:stop]."""
        ...

    def ordered_window(self, order: OrderBy, start: int, stop: int) -> tuple[int, Sequence[T_co]] | None:
        """How many records there are, and records[start:stop] in `order`; None: no index, sort them all."""
        ...

    def everything(self) -> tuple[Hashable | None, Sequence[T_co]]:
        """All the records, and a key naming exactly this state of them (None: never cache)."""
        ...


@dataclass(frozen=True, slots=True)
class Records(Generic[T]):
    """A plain sequence as a Listable (small listings: a company's connections, the catalogue)."""

    records: Sequence[T]

    def window(self, start: int, stop: int) -> tuple[int, Sequence[T]]:
        return len(self.records), self.records[start:stop]

    def ordered_window(self, order: OrderBy, start: int, stop: int) -> None:
        return None  # small: sorting them is cheaper than keeping an index

    def everything(self) -> tuple[Hashable | None, Sequence[T]]:
        return None, self.records


class ListingCache:
    """Compiled parameters, and the ordered matches per (state, parameters); both bounded (least recent go)."""

    def __init__(self, results: int = 16, compiled: int = 256) -> None:
        self._lock = threading.Lock()
        self._results: OrderedDict[Hashable, Sequence[Any]] = OrderedDict()
        self._compiled: OrderedDict[Hashable, Any] = OrderedDict()
        self._max_results = results
        self._max_compiled = compiled

    def compiled(self, key: Hashable, compile: Callable[[], Any]) -> Any:
        with self._lock:
            found = self._compiled.get(key)
            if found is not None:
                self._compiled.move_to_end(key)
                return found
        value = compile()  # a QueryError propagates and nothing is kept
        self._put(self._compiled, key, value, self._max_compiled)
        return value

    def results(self, key: Hashable) -> Sequence[Any] | None:
        with self._lock:
            found = self._results.get(key)
            if found is not None:
                self._results.move_to_end(key)
            return found

    def keep(self, key: Hashable, results: Sequence[Any]) -> None:
        self._put(self._results, key, results, self._max_results)

    def _put(self, table: OrderedDict[Hashable, Any], key: Hashable, value: Any, limit: int) -> None:
        with self._lock:
            table[key] = value
            table.move_to_end(key)
            while len(table) > limit:
                table.popitem(last=False)


def select(
    records: Sequence[T] | Listable[T],
    request: ListRequest,
    target: QueryTarget,
    *,
    path: str,
    params: RawParams,
    tags_of: Callable[[T], Mapping[str, str]] | None = None,
    cache: ListingCache | None = None,
) -> PageWindow[T]:
    """Filter by `query` (and `tags` when `tags_of` is given), order, and cut out the requested page.

    Everything is parsed before any record is looked at, so a bad parameter fails fast with its 400.
    """
    source: Listable[T] = Records(records) if isinstance(records, Sequence) else records
    paging = PageRequest.parse(request.page, request.page_size)
    cache = cache if cache is not None else ListingCache(results=0)
    query = request.query
    tags = request.tags if tags_of is not None and request.tags is not None and request.tags.strip() else None
    matches: Callable[[Any], bool] = cache.compiled(("query", target.name, query), lambda: compile_query(query, target))
    order: OrderBy | None = cache.compiled(
        ("orderBy", target.name, request.order_by), lambda: compile_order_by(request.order_by, target)
    )
    tag_filter = cache.compiled(("tags", tags), lambda: compile_tags_filter(tags)) if tags is not None else None
    unfiltered = (query is None or not query.strip()) and tag_filter is None

    if unfiltered:
        start = (paging.page - 1) * paging.page_size
        stop = start + paging.page_size
        taken = source.window(start, stop) if order is None else source.ordered_window(order, start, stop)
        if taken is not None:
            total, page = taken
            return window_of(list(page), total, paging, path, params)

    state, everything = source.everything()
    key = None if state is None else (state, target.name, query, tags, order)
    selected = cache.results(key) if key is not None else None
    if selected is None:
        if tag_filter is not None and tags_of is not None:
            query_matches = matches

            def matches(record: Any) -> bool:
                return tag_filter(tags_of(record)) and query_matches(record)

        chosen = everything if unfiltered else [r for r in everything if matches(r)]
        selected = order.sort(chosen) if order is not None else chosen
        if key is not None:
            cache.keep(key, selected)
    return paginate(selected, paging, path, params)

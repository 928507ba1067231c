"""One listing request — filter, order, page — applied to a snapshot of records."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .paging import PageRequest, PageWindow, RawParams, paginate
from .query import QueryTarget, compile_order_by, compile_query, compile_tags_filter

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ListRequest:
    """The listing parameters as the caller sent them (names already matched case-insensitively)."""

    page: str | None = None
    page_size: str | None = None
    query: str | None = None
    order_by: str | None = None
    tags: str | None = None


def select(
    records: Sequence[T],
    request: ListRequest,
    target: QueryTarget,
    *,
    path: str,
    params: RawParams,
    tags_of: Callable[[T], Mapping[str, str]] | None = None,
) -> PageWindow[T]:
    """Filter by `query` (and `tags` when `tags_of` is given), order, and cut out the requested page.

    Everything is parsed before any record is looked at, so a bad parameter fails fast with its 400.
    """
    paging = PageRequest.parse(request.page, request.page_size)
    matches: Callable[[Any], bool] = compile_query(request.query, target)
    order = compile_order_by(request.order_by, target)
    if tags_of is not None and request.tags is not None and request.tags.strip():
        tag_filter = compile_tags_filter(request.tags)
        query_matches = matches

        def matches(record: Any) -> bool:
            return tag_filter(tags_of(record)) and query_matches(record)

    selected = [r for r in records if matches(r)]
    if order is not None:
        selected = order.sort(selected)
    return paginate(selected, paging, path, params)

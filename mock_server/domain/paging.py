"""Codat's paging: `page`/`pageSize` parameters, a window of results, and relative `_links`.

The link rules (codat-behaviour.md §2.2) fit every example Codat publishes: `self` is the bare path;
`current` is the path with `page`, then `pageSize` only if the caller sent it, then every other parameter
as the caller sent it; `next` only when results remain; `previous` only after page 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import unquote_plus

from .errors import BadRequest, ValidationItem
from .models import HalRef, PageLinks

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 5000

T = TypeVar("T")

MAX_PAGE = 2**31 - 1  # Codat declares page as int32

RawParams = Sequence[str]
"""The query string's `name=value` segments exactly as sent (still percent-encoded), in order."""


@dataclass(frozen=True, slots=True)
class PageRequest:
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    page_size_sent: bool = False

    @classmethod
    def parse(cls, page: str | None, page_size: str | None) -> PageRequest:
        """Validate the raw parameters; every problem is reported at once, naming the parameter."""
        problems: list[ValidationItem] = []
        number = _integer("page", page, 1, MAX_PAGE, problems) if page is not None else 1
        size = _integer("pageSize", page_size, 1, MAX_PAGE_SIZE, problems) if page_size is not None else None
        if problems:
            raise BadRequest(validation=tuple(problems))
        return cls(number, size if size is not None else DEFAULT_PAGE_SIZE, size is not None)


def _integer(name: str, raw: str, low: int, high: int, problems: list[ValidationItem]) -> int:
    text = raw.strip()
    # int() also takes "+5", "1_000" and non-ASCII digits; a query parameter should be plain digits.
    if not (text.isascii() and (text.isdigit() or (text[:1] == "-" and text[1:].isdigit()))):
        problems.append(ValidationItem(name, f"{name} must be an integer; got {raw!r}", "PagingValidator"))
        return low
    value = int(text)
    if not low <= value <= high:
        problems.append(
            ValidationItem(name, f"{name} must be between {low} and {high}; got {value}", "PagingValidator")
        )
    return value


@dataclass(frozen=True, slots=True)
class PageWindow(Generic[T]):
    results: list[T]
    page_number: int
    page_size: int
    total_results: int
    links: PageLinks


def paginate(items: Sequence[T], request: PageRequest, path: str, params: RawParams) -> PageWindow[T]:
    """The requested page of `items` (already filtered and ordered) with its links."""
    start = (request.page - 1) * request.page_size
    return window_of(list(items[start : start + request.page_size]), len(items), request, path, params)


def window_of(results: list[T], total: int, request: PageRequest, path: str, params: RawParams) -> PageWindow[T]:
    """The page `results` already cut out of `total` records, with its links."""
    return PageWindow(results, request.page, request.page_size, total, page_links(path, params, request, total))


def _name(segment: str) -> str:
    return unquote_plus(segment.partition("=")[0]).lower()


def page_links(path: str, params: RawParams, request: PageRequest, total: int) -> PageLinks:
    others = [p for p in params if _name(p) not in ("page", "pagesize")]

    def href(page: int) -> HalRef:
        parts = [f"page={page}"]
        if request.page_size_sent:
            parts.append(f"pageSize={request.page_size}")
        parts.extend(others)
        return HalRef(href=f"{path}?{'&'.join(parts)}")

    links = {"self": HalRef(href=path), "current": href(request.page)}
    if request.page * request.page_size < total:
        links["next"] = href(request.page + 1)
    if request.page > 1:
        links["previous"] = href(request.page - 1)
    return PageLinks.model_validate(links)

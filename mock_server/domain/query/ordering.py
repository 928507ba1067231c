"""The ``orderBy`` parameter: ``field`` ascending or ``-field`` descending, one field.

Sorting is stable, so records that tie keep the store's order (creation order). ``None`` sorts before
every value ascending, and therefore after every value descending; strings compare case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, TypeVar

from ..errors import QueryError
from .schema import FieldType, QueryField, QueryTarget, lookup

T = TypeVar("T")

_ORDER_BY = re.compile(r"(?P<descending>-?)(?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)")
_TEXT_TYPES = frozenset({FieldType.STRING, FieldType.ENUM, FieldType.UUID})
# Every None gets this key; (False, …) sorts before any (True, …) without comparing the values.
_NONE_KEY: tuple[bool, Any] = (False, 0)


@dataclass(frozen=True)
class OrderBy:
    """A resolved ``orderBy``: the property's wire name, the direction, and the sort key."""

    field: str
    descending: bool
    key: Callable[[Any], tuple[bool, Any]] = dataclass_field(repr=False, compare=False)

    def sort(self, items: Iterable[T]) -> list[T]:
        """``items`` in this order; a stable sort (``reverse=True`` keeps ties in their original order)."""
        return sorted(items, key=self.key, reverse=self.descending)


def compile_order_by(raw: str | None, target: QueryTarget) -> OrderBy | None:
    """Resolve an ``orderBy`` parameter against ``target.fields``; ``None`` or blank means "store order".

    Malformed text (``-`` alone, ``a,b``, ``a b``) raises the malformed QueryError; a property ``target``
    lacks (including a collection or a dotted path) raises the unresolved-property QueryError.
    """
    if raw is None or not raw.strip():
        return None
    matched = _ORDER_BY.fullmatch(raw.strip())
    if matched is None:
        raise QueryError(parameter="orderBy")
    name = matched["path"]
    resolved = _resolve(target, name)
    if resolved is None:
        raise QueryError.unresolved(name, target.name, parameter="orderBy")
    wire_name, query_field = resolved
    return OrderBy(wire_name, bool(matched["descending"]), _sort_key(query_field))


def _resolve(target: QueryTarget, name: str) -> tuple[str, QueryField] | None:
    # Resolve via the wire names so OrderBy.field is the canonical spelling, not the caller's.
    wire_name = lookup({key: key for key in target.fields}, name)
    return None if wire_name is None else (wire_name, target.fields[wire_name])


def _sort_key(query_field: QueryField) -> Callable[[Any], tuple[bool, Any]]:
    get = query_field.get
    if query_field.type in _TEXT_TYPES:

        def text_key(record: Any) -> tuple[bool, Any]:
            value = get(record)
            if value is None:
                return _NONE_KEY
            text = str(value)
            folded = text.casefold()
            # Keep the record's own string when folding changes nothing (ids, lower-case names): order
            # indexes hold one key per record, and a copy of every id cost ≈ 8 MB per 100 000.
            return (True, text if folded == text else folded)

        return text_key

    def plain_key(record: Any) -> tuple[bool, Any]:
        value = get(record)
        return _NONE_KEY if value is None else (True, value)

    return plain_key

"""What a query can talk about: the queryable properties of one record type.

The store describes each listable record type (Company, DataConnection, Integration) as a ``QueryTarget``;
the query engine never looks at records except through the getters given here, so the domain models and
the query language stay independent of each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeAlias, TypeVar

Predicate: TypeAlias = Callable[[Any], bool]
"""A compiled query: true when a record matches."""

_V = TypeVar("_V")


class FieldType(StrEnum):
    """How a property's values are parsed from the query text and compared."""

    STRING = "string"  # = != ~, case-insensitive
    ENUM = "enum"  # = !=, case-insensitive
    UUID = "uuid"  # = !=, case-insensitive; the value must be a hyphenated UUID
    NUMBER = "number"  # = != > < >= <=
    DATETIME = "datetime"  # = != > < >= <=; date-only values mean a UTC calendar day
    BOOLEAN = "boolean"  # = !=, true/false


@dataclass(frozen=True, slots=True)
class QueryField:
    """One queryable scalar property.

    ``get`` returns the record's value: ``str`` for STRING/ENUM/UUID, ``int``/``float`` for NUMBER, a
    timezone-aware ``datetime`` for DATETIME, ``bool`` for BOOLEAN, or ``None`` when the record has no value.
    """

    type: FieldType
    get: Callable[[Any], object | None]


@dataclass(frozen=True, slots=True)
class QueryCollection:
    """A property holding a list of sub-records (e.g. ``Company.dataConnections``), queried by dotted paths."""

    target: QueryTarget
    get: Callable[[Any], Iterable[Any]]


@dataclass(frozen=True, slots=True)
class QueryTarget:
    """A record type as the query language sees it.

    ``name`` is the type name used in error messages (``Could not resolve property x on Company``);
    ``fields`` and ``collections`` are keyed by wire name (``id``, ``created``, ``dataConnections``).
    """

    name: str
    fields: Mapping[str, QueryField]
    collections: Mapping[str, QueryCollection] = field(default_factory=dict)


def lookup(mapping: Mapping[str, _V], name: str) -> _V | None:
    """Find ``name`` in ``mapping`` case-insensitively, preferring an exact match.

    Codat runs on .NET, where property binding ignores case, and its own docs mix ``orderBy``/``orderby``;
    callers therefore get the property whatever case they wrote it in.
    """
    exact = mapping.get(name)
    if exact is not None:
        return exact
    folded = name.casefold()
    for key, value in mapping.items():
        if key.casefold() == folded:
            return value
    return None

"""Typed values: parse a condition's text as its property's type and build the test for one field.

Everything that can be decided once is decided here, at compile time; the predicates returned are small
closures over the getter and the already-parsed value, because a list call may test ~100 000 records.

Null field values: ``=`` is false, ``!=`` is true, every other operator is false (Codat does not support
querying on nulls, so this is our choice; it keeps ``!=`` the exact complement of ``=``).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

from ..errors import QueryError
from .nodes import Op
from .schema import FieldType, Predicate, QueryField

_EQUALITY = frozenset({Op.EQ, Op.NE})
_ORDERED = frozenset({Op.EQ, Op.NE, Op.GT, Op.LT, Op.GE, Op.LE})

SUPPORTED_OPS: Mapping[FieldType, frozenset[Op]] = {
    FieldType.STRING: _EQUALITY | {Op.CONTAINS},
    FieldType.ENUM: _EQUALITY,
    FieldType.UUID: _EQUALITY,
    FieldType.NUMBER: _ORDERED,
    FieldType.DATETIME: _ORDERED,
    FieldType.BOOLEAN: _EQUALITY,
}
"""The operators each type accepts; any other operator makes the query malformed."""

_COMPARE: Mapping[Op, Callable[[Any, Any], bool]] = {
    Op.EQ: operator.eq,
    Op.GT: operator.gt,
    Op.LT: operator.lt,
    Op.GE: operator.ge,
    Op.LE: operator.le,
}

# ASCII digits only: \d would also accept other scripts' digits, which int() would then happily read.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_DATETIME = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"(?:[Tt ](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?:[.,](?P<fraction>[0-9]+))?)?"
    r"(?P<zone>[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)


def field_predicate(field: QueryField, op: Op, raw: str, *, parameter: str = "query") -> Predicate:
    """The predicate for ``<field> <op> <raw>``; raise the malformed QueryError if the type rejects either."""
    if op not in SUPPORTED_OPS[field.type]:
        raise QueryError(parameter=parameter)
    # The getter's declared result is ``object | None``; the type tag tells us what it really returns.
    get = cast(Callable[[Any], Any], field.get)
    kind = field.type
    if kind is FieldType.STRING or kind is FieldType.ENUM:
        return text_predicate(get, op, raw)
    if kind is FieldType.UUID:
        if _UUID.fullmatch(raw) is None:
            raise QueryError(parameter=parameter)
        return text_predicate(get, op, raw)
    if kind is FieldType.NUMBER:
        return _ordered_predicate(get, op, parse_number(raw, parameter=parameter))
    if kind is FieldType.BOOLEAN:
        return _ordered_predicate(get, op, parse_boolean(raw, parameter=parameter))
    moment, date_only = parse_datetime(raw, parameter=parameter)
    if date_only and op in _EQUALITY:
        return _day_predicate(get, op, moment)
    return _ordered_predicate(get, op, moment)


def text_predicate(get: Callable[[Any], Any], op: Op, raw: str) -> Predicate:
    """Case-insensitive ``=``, ``!=`` or ``~`` (substring) against a string-valued getter."""
    want = raw.casefold()
    if op is Op.EQ:
        return lambda record: (value := get(record)) is not None and value.casefold() == want
    if op is Op.NE:
        return lambda record: (value := get(record)) is None or value.casefold() != want
    return lambda record: (value := get(record)) is not None and want in value.casefold()


def parse_number(raw: str, *, parameter: str = "query") -> int | float:
    """A decimal literal (``12``, ``-3.5``, ``1e3``) as int when integral in form, else float.

    Python's own ``float()`` is not used as the grammar: it would accept ``nan``, ``inf`` and ``1_000``.
    """
    if _NUMBER.fullmatch(raw) is None:
        raise QueryError(parameter=parameter)
    if raw.lstrip("+-").isdigit():
        return int(raw)
    return float(raw)


def parse_boolean(raw: str, *, parameter: str = "query") -> bool:
    """``true`` or ``false`` in any case."""
    folded = raw.casefold()
    if folded == "true":
        return True
    if folded == "false":
        return False
    raise QueryError(parameter=parameter)


def parse_datetime(raw: str, *, parameter: str = "query") -> tuple[datetime, bool]:
    """``YYYY-MM-DD`` or an ISO-8601 datetime, as an aware UTC datetime and whether only a date was given.

    A time without a zone is UTC. Fractional seconds may have any number of digits (Codat writes seven);
    digits past the microsecond are dropped, matching how a stored timestamp is rendered.
    """
    matched = _DATETIME.fullmatch(raw)
    if matched is None:
        raise QueryError(parameter=parameter)
    parts = matched.groupdict()
    try:
        moment = datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int(((parts["fraction"] or "") + "000000")[:6]),
            tzinfo=_zone(parts["zone"]),
        ).astimezone(UTC)
    except (ValueError, OverflowError):  # 2024-02-30, 25:00, a +99:00 offset, year 0, overflow near year 1
        raise QueryError(parameter=parameter) from None
    return moment, parts["hour"] is None


def _zone(text: str | None) -> timezone:
    if text is None or text in ("Z", "z"):
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if minutes >= 60:
        raise ValueError("offset minutes out of range")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)  # ValueError unless strictly within ±24h


def _ordered_predicate(get: Callable[[Any], Any], op: Op, want: object) -> Predicate:
    if op is Op.NE:
        return lambda record: (value := get(record)) is None or value != want
    compare = _COMPARE[op]
    return lambda record: (value := get(record)) is not None and compare(value, want)


def _day_predicate(get: Callable[[Any], Any], op: Op, midnight: datetime) -> Predicate:
    """``=``/``!=`` against a date-only value: is the record's instant on that UTC calendar day?"""
    try:
        next_midnight: datetime | None = midnight + timedelta(days=1)
    except OverflowError:  # 9999-12-31 has no next day; the day is open-ended
        next_midnight = None

    def on_day(value: datetime) -> bool:
        return midnight <= value and (next_midnight is None or value < next_midnight)

    if op is Op.EQ:
        return lambda record: (value := get(record)) is not None and on_day(value)
    return lambda record: (value := get(record)) is None or not on_day(value)

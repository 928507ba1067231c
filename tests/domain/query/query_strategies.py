"""A small record type to query, Hypothesis strategies over it, and a plain-Python oracle.

The oracle restates the documented semantics directly (``datetime.fromisoformat``, ``str.casefold``, plain
comparisons) so the properties check the engine against the documentation, not against itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from mock_server.domain.query import (
    And,
    Condition,
    Expr,
    FieldType,
    Op,
    Or,
    QueryCollection,
    QueryField,
    QueryTarget,
)


@dataclass(frozen=True)
class Sub:
    status: str
    note: str | None
    size: int


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    status: str
    amount: int
    created: datetime
    flag: bool
    description: str | None
    items: tuple[Sub, ...]


SUB = QueryTarget(
    "Sub",
    {
        "status": QueryField(FieldType.ENUM, lambda s: s.status),
        "note": QueryField(FieldType.STRING, lambda s: s.note),
        "size": QueryField(FieldType.NUMBER, lambda s: s.size),
    },
)
ROW = QueryTarget(
    "Row",
    {
        "id": QueryField(FieldType.UUID, lambda r: r.id),
        "name": QueryField(FieldType.STRING, lambda r: r.name),
        "status": QueryField(FieldType.ENUM, lambda r: r.status),
        "amount": QueryField(FieldType.NUMBER, lambda r: r.amount),
        "created": QueryField(FieldType.DATETIME, lambda r: r.created),
        "flag": QueryField(FieldType.BOOLEAN, lambda r: r.flag),
        "description": QueryField(FieldType.STRING, lambda r: r.description),
    },
    {"items": QueryCollection(SUB, lambda r: r.items)},
)

IDS = (
    "0f8fad5b-d9cb-469f-a165-70867728950e",
    "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "e3334455-1aed-4e71-ab43-6bccf12092ee",
)
STATUSES = ("Linked", "PendingAuth", "Unlinked", "Deauthorized")
WORDS = ("alpha", "Beta", "gamma", "alpha beta", "a=b", "x{y", "ünï", "Straße")
DAY0 = datetime(2024, 1, 1, tzinfo=UTC)
ORDERED_OPS = (Op.EQ, Op.NE, Op.GT, Op.LT, Op.GE, Op.LE)


def random_case(text: str) -> st.SearchStrategy[str]:
    """``text`` with each ASCII letter's case flipped or not."""
    flips = st.lists(st.booleans(), min_size=len(text), max_size=len(text))
    return flips.map(
        lambda bits: "".join(c.swapcase() if bit and c.isascii() else c for c, bit in zip(text, bits, strict=True))
    )


words = st.sampled_from(WORDS)
moments = st.datetimes(
    min_value=DAY0.replace(tzinfo=None), max_value=(DAY0 + timedelta(days=3)).replace(tzinfo=None)
).map(lambda d: d.replace(tzinfo=UTC))
# Whole minutes often, so that "=" against a generated datetime value has a chance to hit.
coarse_moments = st.integers(0, 12).map(lambda k: DAY0 + timedelta(hours=6 * k))
subs = st.builds(Sub, st.sampled_from(STATUSES), st.none() | words, st.integers(-3, 3))
rows = st.builds(
    Row,
    id=st.sampled_from(IDS),
    name=words,
    status=st.sampled_from(STATUSES),
    amount=st.integers(-5, 5),
    created=st.one_of(moments, coarse_moments),
    flag=st.booleans(),
    description=st.none() | words,
    items=st.lists(subs, max_size=3).map(tuple),
)
row_lists = st.lists(rows, max_size=12)


def _datetime_text(moment: datetime, style: int) -> str:
    if style == 0:
        return moment.strftime("%Y-%m-%d")
    if style == 1:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"  # Codat's seven digits
    if style == 2:
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat()  # naive means UTC
    return moment.astimezone(timezone(timedelta(hours=-3, minutes=-30))).isoformat()  # with an offset


datetime_values = st.builds(_datetime_text, st.one_of(moments, coarse_moments), st.integers(0, 3))
number_values = st.one_of(st.integers(-6, 6).map(str), st.sampled_from(["1.5", "-0.5", "2e0", "+3", ".5", "4."]))


def _conditions(path: tuple[str, ...], ops: tuple[Op, ...], values: st.SearchStrategy[str]) -> st.SearchStrategy[Expr]:
    return st.builds(Condition, st.just(path), st.sampled_from(ops), values)


valid_conditions: st.SearchStrategy[Expr] = st.one_of(
    _conditions(("name",), (Op.EQ, Op.NE, Op.CONTAINS), words.flatmap(random_case)),
    _conditions(("description",), (Op.EQ, Op.NE, Op.CONTAINS), words.flatmap(random_case)),
    _conditions(("status",), (Op.EQ, Op.NE), st.sampled_from((*STATUSES, "Other")).flatmap(random_case)),
    _conditions(("id",), (Op.EQ, Op.NE), st.sampled_from(IDS).flatmap(random_case)),
    _conditions(("amount",), ORDERED_OPS, number_values),
    _conditions(("created",), ORDERED_OPS, datetime_values),
    _conditions(("flag",), (Op.EQ, Op.NE), st.sampled_from(["true", "false", "TRUE", "False"])),
    _conditions(("items", "status"), (Op.EQ, Op.NE), st.sampled_from(STATUSES).flatmap(random_case)),
    _conditions(("items", "note"), (Op.EQ, Op.NE, Op.CONTAINS), words),
    _conditions(("items", "size"), ORDERED_OPS, number_values),
)


def trees(leaves: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    """And/Or trees (each node with 2–3 children) over ``leaves``."""

    def extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        groups = st.lists(children, min_size=2, max_size=3).map(tuple)
        return st.one_of(groups.map(And), groups.map(Or))

    return st.recursive(leaves, extend, max_leaves=8)


valid_queries = trees(valid_conditions)

# Syntactic trees: any well-formed names, operators and values, whether or not a target has them.
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
values = (
    st.text(min_size=1, max_size=12)
    .map(str.strip)
    .filter(lambda v: v != "" and "&&" not in v and "||" not in v and "}" not in v)
)
any_conditions = st.builds(Condition, st.lists(names, min_size=1, max_size=3).map(tuple), st.sampled_from(Op), values)
any_queries = trees(any_conditions)
tag_keys = st.text(min_size=1, max_size=8).filter(lambda k: not any(c.isspace() or c in "=!~<>&|{}" for c in k))
tag_conditions = st.builds(Condition, tag_keys.map(lambda k: (k,)), st.sampled_from(Op), values)


# ----------------------------------------------------------------------------------------------- oracle


def _parse_number(text: str) -> float:
    return float(text)


def _scalar(kind: FieldType, op: Op, actual: object, text: str) -> bool:
    if actual is None:
        return op is Op.NE
    if kind in (FieldType.STRING, FieldType.ENUM, FieldType.UUID):
        assert isinstance(actual, str)
        if op is Op.CONTAINS:
            return text.casefold() in actual.casefold()
        return (actual.casefold() == text.casefold()) == (op is Op.EQ)
    if kind is FieldType.BOOLEAN:
        return (actual == (text.lower() == "true")) == (op is Op.EQ)
    if kind is FieldType.DATETIME:
        assert isinstance(actual, datetime)
        wanted = datetime.fromisoformat(text)
        wanted = wanted.replace(tzinfo=UTC) if wanted.tzinfo is None else wanted
        if len(text) == 10 and op in (Op.EQ, Op.NE):
            same_day = actual.astimezone(UTC).date() == wanted.date()
            return same_day == (op is Op.EQ)
        return _compare(op, actual, wanted)
    return _compare(op, actual, _parse_number(text))


def _compare(op: Op, actual: Any, wanted: Any) -> bool:
    if op is Op.EQ:
        return bool(actual == wanted)
    if op is Op.NE:
        return bool(actual != wanted)
    if op is Op.GT:
        return bool(actual > wanted)
    if op is Op.LT:
        return bool(actual < wanted)
    if op is Op.GE:
        return bool(actual >= wanted)
    return bool(actual <= wanted)


def oracle(expr: Expr, row: Row) -> bool:
    """What the documentation says ``expr`` selects, computed the slow, obvious way."""
    if isinstance(expr, And):
        return all(oracle(item, row) for item in expr.items)
    if isinstance(expr, Or):
        return any(oracle(item, row) for item in expr.items)
    path = tuple(p.lower() for p in expr.path)
    if path[0] == "items":
        kind = SUB.fields[path[1]].type
        hits = [
            _scalar(kind, Op.EQ if expr.op is Op.NE else expr.op, getattr(s, path[1]), expr.value) for s in row.items
        ]
        return not any(hits) if expr.op is Op.NE else any(hits)
    return _scalar(ROW.fields[path[0]].type, expr.op, getattr(row, path[0]), expr.value)

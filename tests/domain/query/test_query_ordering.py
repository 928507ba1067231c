"""orderBy: one field, ascending or descending, stable, nulls first."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from query_strategies import ROW, Row, random_case, row_lists

from mock_server.domain.errors import QueryError
from mock_server.domain.query import FieldType, QueryField, QueryTarget, compile_order_by

FIELDS = ("id", "name", "status", "amount", "created", "flag", "description")


def reference_order(rows: list[Row], name: str, descending: bool) -> list[Row]:
    """The documented order spelt out as a comparison: None lowest, strings by casefold, ties by position."""

    def comparable(value: Any) -> Any:
        return value.casefold() if isinstance(value, str) else value

    def compare(a: tuple[int, Row], b: tuple[int, Row]) -> int:
        va, vb = getattr(a[1], name), getattr(b[1], name)
        if va is None or vb is None:
            order = (va is not None) - (vb is not None)
        else:
            ca, cb = comparable(va), comparable(vb)
            order = (ca > cb) - (ca < cb)
        if descending:
            order = -order
        return order or (a[0] - b[0])  # ties keep their input order, in both directions

    return [r for _, r in sorted(enumerate(rows), key=functools.cmp_to_key(compare))]


@given(st.sampled_from(FIELDS).flatmap(random_case), st.booleans(), row_lists)
def test_sorts_like_the_reference(name: str, descending: bool, sample: list[Row]) -> None:
    order = compile_order_by(("-" if descending else "") + name, ROW)
    assert order is not None
    assert order.field == name.lower()  # resolved to the wire name
    assert order.descending is descending
    assert order.sort(sample) == reference_order(sample, name.lower(), descending)


@given(row_lists)
def test_sort_accepts_any_iterable_and_keeps_all_items(sample: list[Row]) -> None:
    order = compile_order_by("-amount", ROW)
    assert order is not None
    result = order.sort(iter(sample))
    assert sorted(map(id, result)) == sorted(map(id, sample))


def test_nulls_first_ascending_last_descending() -> None:
    target = QueryTarget("T", {"v": QueryField(FieldType.NUMBER, lambda r: r)})
    ascending, descending = compile_order_by("v", target), compile_order_by("-v", target)
    assert ascending is not None and descending is not None
    assert ascending.sort([2, None, 1, None]) == [None, None, 1, 2]
    assert descending.sort([2, None, 1, None]) == [2, 1, None, None]


def test_strings_ignore_case() -> None:
    target = QueryTarget("T", {"v": QueryField(FieldType.STRING, lambda r: r)})
    order = compile_order_by("v", target)
    assert order is not None
    assert order.sort(["b", "B", "a", "A"]) == ["a", "A", "b", "B"]


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_blank_keeps_store_order(raw: str | None) -> None:
    assert compile_order_by(raw, ROW) is None


def test_surrounding_whitespace_is_ignored() -> None:
    order = compile_order_by("  -created ", ROW)
    assert order is not None and order.field == "created" and order.descending


@pytest.mark.parametrize(
    "raw", ["-", "--name", "+name", "name,created", "name created", "- name", "name-", "1name", "na me"]
)
def test_malformed(raw: str) -> None:
    with pytest.raises(QueryError) as raised:
        compile_order_by(raw, ROW)
    assert raised.value.message == "Error parsing query - Malformed query."
    assert raised.value.parameter == "orderBy"


@pytest.mark.parametrize(
    ("raw", "prop"),
    [("foo", "foo"), ("-Foo", "Foo"), ("items", "items"), ("items.status", "items.status"), ("name.x", "name.x")],
)
def test_unresolved(raw: str, prop: str) -> None:
    with pytest.raises(QueryError) as raised:
        compile_order_by(raw, ROW)
    assert raised.value.message == f"Error parsing query - Could not resolve property {prop} on Row"
    assert raised.value.parameter == "orderBy"

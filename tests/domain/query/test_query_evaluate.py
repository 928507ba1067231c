"""Meaning: what a compiled query selects, per type and operator, with nulls and collections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from query_strategies import (
    DAY0,
    IDS,
    ROW,
    Row,
    Sub,
    oracle,
    random_case,
    row_lists,
    rows,
    valid_conditions,
    valid_queries,
    words,
)

from mock_server.domain.errors import QueryError
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
    compile_query,
    format_query,
)

MALFORMED = "Error parsing query - Malformed query."


def select(query: str | Expr, sample: list[Row]) -> list[int]:
    text = query if isinstance(query, str) else format_query(query)
    predicate = compile_query(text, ROW)
    return [i for i, row in enumerate(sample) if predicate(row)]


def row(**changes: object) -> Row:
    base = Row(IDS[0], "Alpha", "Linked", 3, DAY0 + timedelta(hours=12), True, None, ())
    return Row(**{**base.__dict__, **changes})


# ------------------------------------------------------------------------------------------ properties


@given(valid_queries, row_lists)
def test_matches_the_documented_semantics(expr: Expr, sample: list[Row]) -> None:
    assert select(expr, sample) == [i for i, r in enumerate(sample) if oracle(expr, r)]


@given(valid_queries, valid_queries, row_lists)
def test_and_is_intersection(a: Expr, b: Expr, sample: list[Row]) -> None:
    both = select(And((a, b)), sample)
    assert set(both) == set(select(a, sample)) & set(select(b, sample))
    assert select(f"{{{format_query(a)}}}&&{{{format_query(b)}}}", sample) == both


@given(valid_queries, valid_queries, row_lists)
def test_or_is_union(a: Expr, b: Expr, sample: list[Row]) -> None:
    either = select(Or((a, b)), sample)
    assert set(either) == set(select(a, sample)) | set(select(b, sample))
    assert select(f"{{{format_query(a)}}} || {{{format_query(b)}}}", sample) == either


@given(valid_conditions, row_lists)
def test_not_equal_is_the_complement_of_equal_on_scalars(expr: Expr, sample: list[Row]) -> None:
    assert isinstance(expr, Condition)
    assume(expr.op in (Op.EQ, Op.NE))
    equal = Condition(expr.path, Op.EQ, expr.value)
    not_equal = Condition(expr.path, Op.NE, expr.value)
    everything = set(range(len(sample)))
    assert set(select(not_equal, sample)) == everything - set(select(equal, sample))


@given(valid_conditions, valid_conditions, valid_conditions, row_lists)
def test_braces_change_precedence(a: Expr, b: Expr, c: Expr, sample: list[Row]) -> None:
    ta, tb, tc = (format_query(x) for x in (a, b, c))
    sa, sb, sc = (set(select(x, sample)) for x in (a, b, c))
    assert set(select(f"{{{ta} || {tb}}} && {tc}", sample)) == (sa | sb) & sc
    assert set(select(f"{ta} || {tb} && {tc}", sample)) == sa | (sb & sc)
    assert select(f"{ta} || {tb} && {tc}", sample) == select(f"{ta} || {{{tb} && {tc}}}", sample)
    assert set(select(f"{ta} && {tb} || {tc}", sample)) == (sa & sb) | sc


@given(st.sampled_from(["Linked", "PendingAuth", "Unlinked"]), row_lists)
def test_collection_equal_is_any_and_not_equal_is_none(status: str, sample: list[Row]) -> None:
    assert select(f"items.status={status}", sample) == [
        i for i, r in enumerate(sample) if any(s.status == status for s in r.items)
    ]
    assert select(f"items.status!={status}", sample) == [
        i for i, r in enumerate(sample) if all(s.status != status for s in r.items)
    ]


@given(st.integers(-3, 3), row_lists)
def test_collection_ordering_is_any(size: int, sample: list[Row]) -> None:
    assert select(f"items.size>{size}", sample) == [
        i for i, r in enumerate(sample) if any(s.size > size for s in r.items)
    ]


@given(rows)
def test_a_record_without_items_satisfies_every_collection_not_equal(r: Row) -> None:
    empty = Row(**{**r.__dict__, "items": ()})
    for query in ("items.status!=Linked", "items.note!=alpha", "items.size!=0"):
        assert compile_query(query, ROW)(empty)
    for query in ("items.status=Linked", "items.note~a", "items.size>=-100", "items.size<100"):
        assert not compile_query(query, ROW)(empty)


@given(valid_conditions, st.data(), row_lists)
def test_property_names_are_case_insensitive(expr: Expr, data: st.DataObject, sample: list[Row]) -> None:
    assert isinstance(expr, Condition)
    recased = Condition(tuple(data.draw(random_case(p)) for p in expr.path), expr.op, expr.value)
    assert select(recased, sample) == select(expr, sample)


@given(words.flatmap(lambda w: st.tuples(st.just(w), random_case(w))), row_lists)
def test_string_values_are_case_insensitive(pair: tuple[str, str], sample: list[Row]) -> None:
    word, recased = pair
    for op in ("=", "!=", "~"):
        assert select(f"name{op}{word}", sample) == select(f"name{op}{recased}", sample)
    assert select(f"name={word}", sample) == [i for i, r in enumerate(sample) if r.name.casefold() == word.casefold()]


@given(st.sampled_from(["=", "!=", "~"]), words, st.lists(st.none() | words, max_size=6))
def test_null_strings(op: str, word: str, descriptions: list[str | None]) -> None:
    sample = [row(description=d) for d in descriptions]
    selected = set(select(f"description{op}{word}", sample))
    for i, d in enumerate(descriptions):
        if d is None:
            assert (i in selected) == (op == "!=")


# --------------------------------------------------------------------------------- operators × types

ALLOWED = {
    "name": ("=", "!=", "~"),
    "status": ("=", "!="),
    "id": ("=", "!="),
    "amount": ("=", "!=", ">", "<", ">=", "<="),
    "created": ("=", "!=", ">", "<", ">=", "<="),
    "flag": ("=", "!="),
}
SAMPLE_VALUE = {
    "name": "Alpha",
    "status": "Linked",
    "id": IDS[0],
    "amount": "3",
    "created": "2024-01-01",
    "flag": "true",
}


@pytest.mark.parametrize("field", sorted(ALLOWED))
@pytest.mark.parametrize("op", ["=", "!=", "~", ">", "<", ">=", "<="])
def test_operator_per_type(field: str, op: str) -> None:
    query = f"{field}{op}{SAMPLE_VALUE[field]}"
    if op in ALLOWED[field]:
        compile_query(query, ROW)
    else:
        with pytest.raises(QueryError) as raised:
            compile_query(query, ROW)
        assert raised.value.message == MALFORMED


@pytest.mark.parametrize(
    ("query", "selected"),
    [
        ("name=alpha", True),
        ("name=ALPHA", True),
        ("name!=alpha", False),
        ("name~LPH", True),
        ("name~z", False),
        ("status=linked", True),
        ("status!=LINKED", False),
        ("status=Unknown", False),  # any text is a legal enum value; it simply matches nothing
        (f"id={IDS[0].upper()}", True),
        (f"id!={IDS[1]}", True),
        ("amount=3", True),
        ("amount=3.0", True),
        ("amount=+3", True),
        ("amount=3e0", True),
        ("amount!=3", False),
        ("amount>2.5", True),
        ("amount<3", False),
        ("amount>=3", True),
        ("amount<=-1", False),
        ("flag=TRUE", True),
        ("flag!=true", False),
        ("flag=false", False),
        # created is 2024-01-01T12:00:00Z
        ("created=2024-01-01", True),  # date-only "=": same UTC calendar day
        ("created!=2024-01-01", False),
        ("created=2024-01-02", False),
        ("created>2024-01-01", True),  # date-only ordering: midnight UTC
        ("created>=2024-01-02", False),
        ("created<2024-01-02", True),
        ("created=2024-01-01T12:00:00Z", True),
        ("created=2024-01-01T12:00:00.0000000Z", True),
        ("created=2024-01-01T12:00:00", True),  # naive is UTC
        ("created=2024-01-01T12:00", True),
        ("created=2024-01-01 12:00:00", True),
        ("created=2024-01-01T13:00:00+01:00", True),
        ("created=2024-01-01T13:00:00+0100", True),
        ("created=2024-01-01T07:00-05", True),
        ("created=2024-01-01T12:00:00.000001Z", False),
        ("created>2024-01-01T11:59:59.9999999Z", True),
        ("created<=2024-01-01T12:00:00Z", True),
        ("created<2024-01-01T12:00:00Z", False),
    ],
)
def test_examples(query: str, selected: bool) -> None:
    assert compile_query(query, ROW)(row()) is selected


@pytest.mark.parametrize(
    "query",
    [
        "amount=abc",
        "amount=1_000",
        "amount=nan",
        "amount=inf",
        "amount=0x10",
        "amount=1,5",
        "amount=١",  # Arabic-Indic digit one
        "flag=yes",
        "flag=1",
        "id=not-a-uuid",
        "id=0f8fad5bd9cb469fa16570867728950e",
        "created=yesterday",
        "created=2024-02-30",
        "created=2024-1-1",
        "created=2024-01-01T25:00",
        "created=2024-01-01T12:00:00+24:00",
        "created=2024-01-01T12:00:00+01:60",
        "created=0000-01-01",
        "created=2024-01-01Z",
        "created=20240101",
    ],
)
def test_values_that_do_not_parse_as_the_type_are_malformed(query: str) -> None:
    with pytest.raises(QueryError) as raised:
        compile_query(query, ROW)
    assert raised.value.message == MALFORMED


def test_null_values_for_every_type() -> None:
    target = QueryTarget("Nulls", {t.value: QueryField(t, lambda r: None) for t in FieldType})
    samples = {
        "string": "x",
        "enum": "x",
        "uuid": IDS[0],
        "number": "1",
        "datetime": "2024-01-01T00:00:00Z",
        "boolean": "true",
    }
    for name, value in samples.items():
        assert not compile_query(f"{name}={value}", target)(object())
        assert compile_query(f"{name}!={value}", target)(object())
    for query in ("string~x", "number>1", "number<1", "number>=1", "number<=1", "datetime>2024-01-01"):
        assert not compile_query(query, target)(object())


def test_day_at_the_end_of_time() -> None:
    target = QueryTarget("T", {"at": QueryField(FieldType.DATETIME, lambda r: r)})
    last = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert compile_query("at=9999-12-31", target)(last)
    assert not compile_query("at!=9999-12-31", target)(last)


# ------------------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo=1", "Could not resolve property foo on Row"),
        ("Foo=1 && name=x", "Could not resolve property Foo on Row"),
        ("name=x || bar.baz=1", "Could not resolve property bar on Row"),
        ("items.foo=1", "Could not resolve property foo on Sub"),
        ("ITEMS.Colour=1", "Could not resolve property Colour on Sub"),
        ("items=1", "Could not resolve property items on Row"),
        ("name.first=x", "Could not resolve property name.first on Row"),
        ("items.size.x=1", "Could not resolve property size.x on Sub"),
    ],
)
def test_unresolved_property(query: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        compile_query(query, ROW)
    assert raised.value.message == "Error parsing query - " + message
    assert raised.value.parameter == "query"
    assert raised.value.validation[0].item_id == "query"


def test_syntax_errors_win_over_resolution_errors() -> None:
    with pytest.raises(QueryError) as raised:
        compile_query("foo=1 &&", ROW)
    assert raised.value.message == MALFORMED


def test_exact_name_wins_over_a_case_insensitive_one() -> None:
    target = QueryTarget(
        "T",
        {
            "Name": QueryField(FieldType.STRING, lambda r: r[0]),
            "name": QueryField(FieldType.STRING, lambda r: r[1]),
        },
    )
    assert compile_query("Name=a", target)(("a", "b"))
    assert compile_query("name=b", target)(("a", "b"))


def test_nested_collections_fall_out() -> None:
    leaf = QueryTarget("Leaf", {"v": QueryField(FieldType.NUMBER, lambda x: x)})
    middle = QueryTarget("Middle", {}, {"leaves": QueryCollection(leaf, lambda m: m)})
    top = QueryTarget("Top", {}, {"middles": QueryCollection(middle, lambda t: t)})
    record = [[1, 2], [3]]
    assert compile_query("middles.leaves.v=3", top)(record)
    assert not compile_query("middles.leaves.v!=3", top)(record)
    assert compile_query("middles.leaves.v!=4", top)(record)
    assert compile_query("middles.leaves.v!=1", top)([[], [2]])


def test_blank_and_none_select_everything() -> None:
    for raw in (None, "", "   ", "%20%20"):
        assert compile_query(raw, ROW)(row())


def test_codat_no_connections_example() -> None:
    query = "items.status!=PendingAuth&&items.status!=Linked&&items.status!=Deauthorized&&items.status!=Unlinked"
    predicate = compile_query(query, ROW)
    assert predicate(row(items=()))
    assert not predicate(row(items=(Sub("Unlinked", None, 0),)))

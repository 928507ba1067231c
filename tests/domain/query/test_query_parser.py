"""Syntax: the lexer and parser, the canonical text form, and the limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from query_strategies import DAY0, IDS, ROW, Row, any_conditions, any_queries, rows, tag_conditions, trees

from mock_server.domain.errors import QueryError
from mock_server.domain.query import (
    MAX_NESTING,
    And,
    Condition,
    Expr,
    Op,
    Or,
    compile_order_by,
    compile_query,
    compile_tags_filter,
    format_query,
    parse_query,
    parse_tags_filter,
)

MALFORMED = "Error parsing query - Malformed query."
TOO_LONG = "Error parsing query - Query must be shorter than 2048 characters."


def cond(path: str, op: str, value: str) -> Condition:
    return Condition(tuple(path.split(".")), Op(op), value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name=x", cond("name", "=", "x")),
        ("  name  =  x  ", cond("name", "=", "x")),
        ("a!=1", cond("a", "!=", "1")),
        ("a~1", cond("a", "~", "1")),
        ("a>1", cond("a", ">", "1")),
        ("a<1", cond("a", "<", "1")),
        ("a>=1", cond("a", ">=", "1")),
        ("a<=1", cond("a", "<=", "1")),
        ("a> =1", cond("a", ">", "=1")),  # the operator is the longest match; the value may start with "="
        ("a==1", cond("a", "=", "=1")),
        ("dataConnections.status=PendingAuth", cond("dataConnections.status", "=", "PendingAuth")),
        ("name=a=b {c.d ~e", cond("name", "=", "a=b {c.d ~e")),  # a value runs to &&, ||, } or the end
        ("name=x & y | z", cond("name", "=", "x & y | z")),
        ("name=x)", cond("name", "=", "x)")),  # parentheses mean nothing
        ("name=New  Co", cond("name", "=", "New  Co")),  # inner whitespace is kept, outer trimmed
        ("{name=x}", cond("name", "=", "x")),
        ("{{{name=x}}}", cond("name", "=", "x")),
        ("a=1&&b=2", And((cond("a", "=", "1"), cond("b", "=", "2")))),
        ("a=1 && b=2 && c=3", And((cond("a", "=", "1"), cond("b", "=", "2"), cond("c", "=", "3")))),
        ("a=1||b=2||c=3", Or((cond("a", "=", "1"), cond("b", "=", "2"), cond("c", "=", "3")))),
        (
            "a=1 || b=2 && c=3",  # && binds tighter
            Or((cond("a", "=", "1"), And((cond("b", "=", "2"), cond("c", "=", "3"))))),
        ),
        (
            "{a=1 || b=2} && c=3",
            And((Or((cond("a", "=", "1"), cond("b", "=", "2"))), cond("c", "=", "3"))),
        ),
        (
            "{totalAmount > 100 || totalAmount < 50} && status != paid",  # Codat's own example
            And((Or((cond("totalAmount", ">", "100"), cond("totalAmount", "<", "50"))), cond("status", "!=", "paid"))),
        ),
        ("{a=1 && b=2} && c=3", And((And((cond("a", "=", "1"), cond("b", "=", "2"))), cond("c", "=", "3")))),
    ],
)
def test_parses(text: str, expected: Expr) -> None:
    assert parse_query(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "name",
        "name=",
        "name=   ",
        "name= && a=1",
        "=x",
        "!=x",
        "name x",
        "name!x",
        "name=x &&",
        "&& name=x",
        "name=x ||",
        "name=x && || a=1",
        "name=x & & a=1",  # no single-& operator: the value becomes "x & & a=1"... see below
        "{name=x",
        "name=x}",
        "{name=x}}",
        "{}",
        "{ }",
        "{name=x} a=1",
        "{name=x} {a=1}",
        "name=x {a=1}",
        "1name=x",
        "na-me=x",
        "name.=x",
        ".name=x",
        "name..a=x",
        "name .a=x",
        "naïve=x",
        "(name=x)",  # parentheses are not grouping: "(" cannot start a path
    ],
)
def test_malformed(text: str) -> None:
    if text == "name=x & & a=1":  # a value may hold single & characters: this one is well formed
        assert parse_query(text) == cond("name", "=", "x & & a=1")
        return
    with pytest.raises(QueryError) as raised:
        parse_query(text)
    assert raised.value.message == MALFORMED
    assert raised.value.parameter == "query"
    assert raised.value.status_code == 400


def test_nesting_limit() -> None:
    assert parse_query("{" * MAX_NESTING + "a=1" + "}" * MAX_NESTING) == cond("a", "=", "1")
    with pytest.raises(QueryError, match="Malformed"):
        parse_query("{" * (MAX_NESTING + 1) + "a=1" + "}" * (MAX_NESTING + 1))


def test_deep_nesting_under_the_length_limit_is_an_error_not_a_crash() -> None:
    with pytest.raises(QueryError, match="Malformed"):
        compile_query("{" * 1000 + "name=1" + "}" * 1000, ROW)


@pytest.mark.parametrize("compile_", [lambda t: compile_query(t, ROW), compile_tags_filter])
def test_length_boundary(compile_: object) -> None:
    assert callable(compile_)
    ok = "name = " + "x" * (2047 - len("name = "))
    assert len(ok) == 2047
    compile_(ok)
    with pytest.raises(QueryError) as raised:
        compile_(ok + "x")
    assert raised.value.message == TOO_LONG


def test_length_is_measured_after_decoding() -> None:
    # 2398 characters as received, 802 once the second decoding is done
    encoded = "name%3D" + "%7E" * 797
    assert len(encoded) > 2048
    predicate = compile_query(encoded, ROW)
    assert predicate(Row(IDS[0], "~" * 797, "Linked", 0, DAY0, True, None, ()))
    with pytest.raises(QueryError) as raised:
        compile_query("name%3D" + "x" * 2043, ROW)  # 2048 after decoding
    assert raised.value.message == TOO_LONG


def test_length_error_names_the_parameter() -> None:
    with pytest.raises(QueryError) as raised:
        compile_tags_filter("k=" + "v" * 2046)
    assert raised.value.parameter == "tags"


def test_tags_keys_may_hold_dots_and_other_characters() -> None:
    assert parse_tags_filter("team.name=x") == Condition(("team.name",), Op.EQ, "x")
    assert parse_tags_filter("ünï-1/2:3=x") == Condition(("ünï-1/2:3",), Op.EQ, "x")


@given(any_queries)
def test_format_parse_round_trip(expr: Expr) -> None:
    assert parse_query(format_query(expr)) == expr


@given(trees(tag_conditions))
def test_tags_format_parse_round_trip(expr: Expr) -> None:
    assert parse_tags_filter(format_query(expr)) == expr


@given(any_conditions)
def test_format_of_a_condition_is_path_op_value(expr: Condition) -> None:
    assert format_query(expr) == f"{'.'.join(expr.path)} {expr.op.value} {expr.value}"


SYNTAX = st.text(alphabet="namestuiditfl.{}&|=!~<> -_0123456789:TZ%3DdEeCc\t", max_size=60)
ANY_TEXT = st.one_of(st.text(max_size=80), SYNTAX)


@given(ANY_TEXT, st.lists(rows, max_size=3))
def test_arbitrary_query_text_gives_a_predicate_or_a_query_error(text: str, sample: list[object]) -> None:
    try:
        predicate = compile_query(text, ROW)
    except QueryError as error:
        assert error.message.startswith("Error parsing query - ")
        return
    for row in sample:
        assert predicate(row) in (True, False)


@given(ANY_TEXT)
def test_arbitrary_text_parses_or_raises_query_error(text: str) -> None:
    for parse in (parse_query, parse_tags_filter):
        try:
            expr = parse(text)
        except QueryError:
            continue
        assert parse(format_query(expr)) == expr  # whatever parses, its canonical form parses back to it


@given(ANY_TEXT, st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=3))
def test_arbitrary_tags_text_gives_a_predicate_or_a_query_error(text: str, tags: dict[str, str]) -> None:
    try:
        predicate = compile_tags_filter(text)
    except QueryError as error:
        assert error.parameter == "tags"
        return
    assert predicate(tags) in (True, False)


@given(ANY_TEXT)
def test_arbitrary_order_by_text_gives_an_order_or_a_query_error(text: str) -> None:
    try:
        compile_order_by(text, ROW)
    except QueryError as error:
        assert error.parameter == "orderBy"


def test_ast_invariants() -> None:
    with pytest.raises(ValueError):
        And((cond("a", "=", "1"),))
    with pytest.raises(ValueError):
        Or(())
    for bad in ("", " x", "x ", "a&&b", "a||b", "a}"):
        with pytest.raises(ValueError):
            Condition(("a",), Op.EQ, bad)
    with pytest.raises(ValueError):
        Condition((), Op.EQ, "x")

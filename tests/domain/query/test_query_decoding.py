"""The second percent-decoding of double-encoded queries."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from query_strategies import ROW, Row, row_lists, valid_queries

from mock_server.domain.query import Expr, compile_query, compile_tags_filter, decode_query_value, format_query


@pytest.mark.parametrize(
    ("received", "decoded"),
    [
        ("id%3D81be41e9", "id=81be41e9"),  # Codat's docs: query=id%253D81be41e9-… arrives like this
        ("enabled%3dtrue", "enabled=true"),
        ("a%21%3D1", "a!=1"),
        ("a%7Eb", "a~b"),
        ("a%7eb", "a~b"),
        ("a%3E1%26%26b%3C2", "a>1&&b<2"),
        ("a%3e1%7C%7Cb%3c2", "a>1||b<2"),
        ("%7Ba=1%7D", "{a=1}"),
        ("%7ba=1%7d", "{a=1}"),
        ("name=New%20Co", "name=New Co"),
        ("name=50%25%20off", "name=50% off"),  # once decoding starts, every escape is decoded
        ("name=100%", "name=100%"),  # a lone % is not an escape of syntax
        ("name=a%2Fb", "name=a%2Fb"),  # nor is %2F
        ("name=%zz", "name=%zz"),
        ("name=%", "name=%"),
        ("", ""),
    ],
)
def test_examples(received: str, decoded: str) -> None:
    assert decode_query_value(received) == decoded


@given(valid_queries, row_lists, st.sampled_from(["", "/"]))
def test_double_encoded_queries_select_the_same_records(expr: Expr, sample: list[Row], safe: str) -> None:
    text = format_query(expr)
    received = quote(text, safe=safe)  # what is left after the HTTP layer's decode of a double encoding
    plain, doubled = compile_query(text, ROW), compile_query(received, ROW)
    assert [plain(r) for r in sample] == [doubled(r) for r in sample]


@given(st.text(alphabet="abc=!~<>&|{} %2F5x", max_size=30))
def test_text_without_syntax_escapes_is_unchanged(text: str) -> None:
    lowered = text.lower()
    if not any(e in lowered for e in ("%3d", "%21", "%7e", "%3e", "%3c", "%26", "%7c", "%7b", "%7d", "%20")):
        assert decode_query_value(text) == text


@given(st.text(max_size=40))
def test_decoding_a_quoted_text_gives_it_back_when_quoting_escaped_syntax(text: str) -> None:
    received = quote(text, safe="")
    if received != text and any(c in text for c in "=!><&|{} "):
        assert decode_query_value(received) == text


def test_tags_are_decoded_too() -> None:
    assert compile_tags_filter("region%3Duk%20%26%26%20team%3Dinvoice-finance")(
        {"region": "UK", "team": "invoice-finance"}
    )

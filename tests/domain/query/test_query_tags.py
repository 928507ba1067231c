"""The tags filter of list-companies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.errors import QueryError
from mock_server.domain.query import compile_tags_filter

KEYS = ("region", "team", "Region", "uid")
VALUES = ("uk", "UK", "us", "invoice-finance", "Invoice Finance")
tag_maps = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=4)
conditions = st.tuples(st.sampled_from(KEYS), st.sampled_from(["=", "!=", "~"]), st.sampled_from(VALUES))
samples = st.lists(tag_maps, max_size=10)


def text(cond: tuple[str, str, str]) -> str:
    key, op, value = cond
    return f"{key} {op} {value}"


def select(query: str, sample: list[dict[str, str]]) -> set[int]:
    predicate = compile_tags_filter(query)
    return {i for i, tags in enumerate(sample) if predicate(tags)}


def expected(cond: tuple[str, str, str], tags: dict[str, str]) -> bool:
    key, op, value = cond
    actual = tags.get(key)
    if actual is None:
        return op == "!="
    if op == "~":
        return value.casefold() in actual.casefold()
    return (actual.casefold() == value.casefold()) == (op == "=")


@given(conditions, samples)
def test_condition_semantics(cond: tuple[str, str, str], sample: list[dict[str, str]]) -> None:
    assert select(text(cond), sample) == {i for i, tags in enumerate(sample) if expected(cond, tags)}


@given(conditions, conditions, samples)
def test_and_or_braces(a: tuple[str, str, str], b: tuple[str, str, str], sample: list[dict[str, str]]) -> None:
    sa, sb = select(text(a), sample), select(text(b), sample)
    assert select(f"{text(a)} && {text(b)}", sample) == sa & sb
    assert select(f"{text(a)}||{text(b)}", sample) == sa | sb
    assert select(f"{{{text(a)} || {text(b)}}} && {text(a)}", sample) == sa


@given(st.sampled_from(KEYS), st.sampled_from(VALUES), samples)
def test_not_equal_is_the_complement_including_missing_tags(key: str, value: str, sample: list[dict[str, str]]) -> None:
    everything = set(range(len(sample)))
    assert select(f"{key}!={value}", sample) == everything - select(f"{key}={value}", sample)


@given(st.sampled_from(KEYS), st.sampled_from(VALUES))
def test_missing_tag(key: str, value: str) -> None:
    assert not compile_tags_filter(f"{key}={value}")({})
    assert not compile_tags_filter(f"{key}~{value}")({})
    assert compile_tags_filter(f"{key}!={value}")({})


def test_keys_are_case_sensitive_values_are_not() -> None:
    predicate = compile_tags_filter("region = uk && owningTeam = invoice-finance")
    assert predicate({"region": "UK", "owningTeam": "Invoice-Finance"})
    assert not predicate({"Region": "uk", "owningTeam": "invoice-finance"})


def test_codat_examples() -> None:
    assert compile_tags_filter("uid = 1234")({"uid": "1234"})
    assert compile_tags_filter("region != uk")({"region": "us"})
    assert compile_tags_filter("region=uk && team=invoice-finance")({"region": "uk", "team": "invoice-finance"})


def test_keys_may_hold_unusual_characters() -> None:
    assert compile_tags_filter("team.name/x:y-ü=a b")({"team.name/x:y-ü": "A B"})


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_blank_selects_everything(raw: str | None) -> None:
    assert compile_tags_filter(raw)({})


@pytest.mark.parametrize(
    "raw",
    [
        "region>uk",
        "region<uk",
        "region>=uk",
        "region<=uk",
        "region=",
        "=uk",
        "region uk",
        "{region=uk",
        "a b=c",
        "a=b}",
    ],
)
def test_malformed(raw: str) -> None:
    with pytest.raises(QueryError) as raised:
        compile_tags_filter(raw)
    assert raised.value.message == "Error parsing query - Malformed query."
    assert raised.value.parameter == "tags"
    assert raised.value.validation[0].item_id == "tags"

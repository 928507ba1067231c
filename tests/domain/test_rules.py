from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.errors import BadRequest
from mock_server.domain.rules import canonical_id, check_tags, clean_company_name

ALLOWED = re.compile(r"^[A-Za-z0-9\s\-',&@.?!]+$")


@given(st.text(min_size=1))
def test_cleaned_names_match_codats_pattern_or_are_refused(name: str) -> None:
    try:
        cleaned = clean_company_name(name)
    except BadRequest as exc:
        assert exc.validation[0].item_id == "name"
        assert not re.sub(r"[^A-Za-z0-9\s\-',&@.?!]", "", name).strip()
        return
    assert ALLOWED.match(cleaned)
    assert clean_company_name(cleaned) == cleaned  # cleaning is idempotent
    # Only forbidden characters are removed; the allowed ones keep their order.
    assert cleaned == "".join(ch for ch in name if ALLOWED.match(ch))


def test_codats_example() -> None:
    assert clean_company_name("Company (Codat[1])") == "Company Codat1"


# Lone surrogates cannot travel in UTF-8 JSON, so they are not tag text a client could send.
_text = st.characters(blacklist_categories=["Cs"])
tag_keys = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r\u2028\u2029"),
    min_size=1,
    max_size=27,
)
tag_values = st.text(alphabet=_text, max_size=100)


@given(st.dictionaries(tag_keys, tag_values, max_size=10))
def test_tags_within_the_limits_are_kept_exactly(tags: dict[str, str]) -> None:
    assert check_tags(tags) == tags


@given(st.dictionaries(tag_keys, tag_values, min_size=11, max_size=15))
def test_more_than_ten_tags_are_refused(tags: dict[str, str]) -> None:
    with pytest.raises(BadRequest) as raised:
        check_tags(tags)
    assert raised.value.validation[0].item_id == "tags"


@given(st.text(alphabet=_text, min_size=28, max_size=40), tag_values)
def test_long_keys_are_refused_naming_the_key(key: str, value: str) -> None:
    with pytest.raises(BadRequest) as raised:
        check_tags({key: value})
    assert any(v.item_id.startswith("tags") for v in raised.value.validation)


@given(tag_keys, st.text(alphabet=_text, min_size=101, max_size=120))
def test_long_values_are_refused_naming_the_key(key: str, value: str) -> None:
    with pytest.raises(BadRequest) as raised:
        check_tags({key: value})
    assert raised.value.validation[0].item_id == f"tags.{key}"


@pytest.mark.parametrize("key", ["", "a\nb", "a\rb", "x\u2028"])
def test_keys_the_published_pattern_forbids(key: str) -> None:
    with pytest.raises(BadRequest):
        check_tags({key: "v"})


def test_canonical_id() -> None:
    assert canonical_id("6E3B5C1A-0000-4000-8000-00000000000A") == "6e3b5c1a-0000-4000-8000-00000000000a"
    assert canonical_id("6e3b5c1a000040008000000000000000") is None
    assert canonical_id("../etc") is None

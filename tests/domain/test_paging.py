from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.errors import BadRequest
from mock_server.domain.paging import MAX_PAGE_SIZE, PageRequest, paginate


def test_defaults() -> None:
    assert PageRequest.parse(None, None) == PageRequest(1, 100, False)
    assert PageRequest.parse("3", "20") == PageRequest(3, 20, True)


@pytest.mark.parametrize(
    ("page", "size", "field"),
    [
        ("0", None, "page"),
        ("-1", None, "page"),
        ("x", None, "page"),
        ("1.5", None, "page"),
        ("", None, "page"),
        (None, "0", "pageSize"),
        (None, "5001", "pageSize"),
        (None, "ten", "pageSize"),
        ("2147483648", None, "page"),
        (None, "+5", "pageSize"),
        (None, "١", "pageSize"),
    ],
)
def test_invalid_parameters_name_the_field(page: str | None, size: str | None, field: str) -> None:
    with pytest.raises(BadRequest) as raised:
        PageRequest.parse(page, size)
    assert [v.item_id for v in raised.value.validation] == [field]
    assert field in raised.value.validation[0].message


def test_both_problems_reported_together() -> None:
    with pytest.raises(BadRequest) as raised:
        PageRequest.parse("0", "0")
    assert [v.item_id for v in raised.value.validation] == ["page", "pageSize"]


def test_codats_documented_example() -> None:
    # GET /companies?page=5&pageSize=20 with 90 results: previous, no next (codat-behaviour.md §2.2).
    window = paginate(list(range(90)), PageRequest.parse("5", "20"), "/companies", ["page=5", "pageSize=20"])
    links = window.links.model_dump(by_alias=True, exclude_none=True)
    assert links == {
        "self": {"href": "/companies"},
        "current": {"href": "/companies?page=5&pageSize=20"},
        "previous": {"href": "/companies?page=4&pageSize=20"},
    }
    assert window.results == list(range(80, 90))


def test_page_size_appears_only_when_sent_and_other_params_keep_their_order() -> None:
    params = ["query=name%3Dx", "orderBy=-created", "page=2"]
    window = paginate(list(range(250)), PageRequest.parse("2", None), "/companies", params)
    assert window.links.current.href == "/companies?page=2&query=name%3Dx&orderBy=-created"
    assert (
        window.links.next is not None and window.links.next.href == "/companies?page=3&query=name%3Dx&orderBy=-created"
    )
    assert window.links.previous is not None and window.links.previous.href.startswith("/companies?page=1&")


@given(
    items=st.lists(st.integers(), max_size=60),
    size=st.integers(min_value=1, max_value=25),
)
def test_concatenating_every_page_gives_the_whole_list(items: list[int], size: int) -> None:
    collected: list[int] = []
    page = 1
    while True:
        window = paginate(items, PageRequest(page, size, True), "/x", [])
        assert window.total_results == len(items)
        collected.extend(window.results)
        if window.links.next is None:
            break
        page += 1
    assert collected == items


@given(
    total=st.integers(min_value=0, max_value=500),
    page=st.integers(min_value=1, max_value=40),
    size=st.integers(min_value=1, max_value=MAX_PAGE_SIZE),
    sent=st.booleans(),
)
def test_link_presence_rules(total: int, page: int, size: int, sent: bool) -> None:
    window = paginate(range(total), PageRequest(page, size, sent), "/companies", [])
    assert window.links.self_.href == "/companies"
    assert (window.links.next is not None) == (page * size < total)
    assert (window.links.previous is not None) == (page > 1)
    assert len(window.results) == max(0, min(size, total - (page - 1) * size))
    for link, number in (
        (window.links.current, page),
        (window.links.next, page + 1),
        (window.links.previous, page - 1),
    ):
        if link is None:
            continue
        query = dict(parse_qsl(urlsplit(link.href).query))
        assert query["page"] == str(number)
        assert ("pageSize" in query) == sent

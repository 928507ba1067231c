"""The hot path's shortcuts agree with the plain path on any reachable state.

- `*_wire` dicts (serialised straight by orjson) equal the pydantic `*_view` models dumped as JSON;
- a listing through the store's `company_listing` and a shared `ListingCache`, interleaved with writes,
  equals the same listing computed afresh over a plain copy of the records;
- in particular an ordered page, read from the store's incrementally kept order indexes, equals a fresh
  stable sort after every single write of any kind, for every `orderBy` key in both directions.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st
from store_operations import operations, run

from mock_server.domain.clock import ManualClock, seeded_ids
from mock_server.domain.listing import ListingCache, ListRequest, select
from mock_server.domain.queryable import COMPANY_TARGET
from mock_server.domain.store import Store, TenantState
from mock_server.domain.views import LinkUrls, company_view, company_wire, connection_view, connection_wire

URLS = LinkUrls("http://127.0.0.1:8000")


def fresh() -> tuple[Store, ManualClock]:
    clock = ManualClock(datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    return Store(clock=clock, ids=seeded_ids(42)), clock


@settings(max_examples=40)
@given(ops=operations)
def test_wire_dicts_equal_the_dumped_models(ops: list[tuple[Any, ...]]) -> None:
    store, clock = fresh()
    run(store, clock, ops)
    for company in store.companies("t"):
        expected = json.loads(company_view(company, URLS).model_dump_json(by_alias=True, exclude_unset=True))
        assert json.loads(orjson.dumps(company_wire(company, URLS))) == expected
        assert list(company_wire(company, URLS)) == list(expected)  # same key order too
        for connection in company.connections:
            model = connection_view(connection, URLS).model_dump_json(by_alias=True, exclude_unset=True)
            assert json.loads(orjson.dumps(connection_wire(connection, URLS))) == json.loads(model)


REQUESTS = st.builds(
    ListRequest,
    page=st.sampled_from([None, "1", "2", "3"]),
    page_size=st.sampled_from([None, "1", "2", "5"]),
    query=st.sampled_from(
        [None, "", "name~a", "dataConnections.status=Linked", "dataConnections.status!=PendingAuth||name~N"]
    ),
    order_by=st.sampled_from([None, "name", "-name", "created", "-created", "id", "-description", "lastSync"]),
    tags=st.sampled_from([None, "", "A=b", "a~A"]),
)


@settings(max_examples=40)
@given(
    ops=operations, cuts=st.lists(st.integers(0, 60), min_size=1, max_size=4), requests=st.lists(REQUESTS, max_size=6)
)
def test_cached_listings_equal_fresh_ones_across_writes(
    ops: list[tuple[Any, ...]], cuts: list[int], requests: list[ListRequest]
) -> None:
    store, clock = fresh()
    cache = ListingCache(results=4)
    done = 0
    for cut in [*sorted(cuts), len(ops)]:
        run(store, clock, ops[done:cut])
        done = max(done, cut)
        for request in requests:
            cached = select(
                store.company_listing("t"),
                request,
                COMPANY_TARGET,
                path="/companies",
                params=[],
                tags_of=lambda c: c.tags,
                cache=cache,
            )
            plain = select(
                list(store.companies("t")),
                request,
                COMPANY_TARGET,
                path="/companies",
                params=[],
                tags_of=lambda c: c.tags,
            )
            assert cached == plain


ORDER_KEYS = [f"{sign}{key}" for key in COMPANY_TARGET.fields for sign in ("", "-")]
# Writes store_operations lacks: PUT, a name that differs only in case (same sort key), reset, import.
EXTRA_WRITES = st.one_of(
    st.tuples(st.just("replace"), st.integers(0, 9), st.sampled_from(["acme", "ACME", "b", ""]), st.booleans()),
    st.tuples(st.just("recase"), st.integers(0, 9)),
    st.tuples(st.just("reset"), st.integers(0, 9)),
    st.tuples(st.just("reimport"), st.integers(0, 9)),
)


def extra_write(store: Store, op: tuple[Any, ...]) -> None:
    companies = store.companies("t")
    company = companies[op[1] % len(companies)] if companies else None
    match op[0]:
        case "replace" if company:
            store.replace_company("t", company.id, name=op[2] or "x", description="d" if op[3] else None, tags=None)
        case "recase" if company:
            store.update_company("t", company.id, name=company.name.swapcase())
        case "reset":
            store.reset("t")
        case "reimport":
            # The same records, the last one moved first: store order (the tiebreak) changes wholesale.
            state = store.export_state("t")
            moved = (*state.companies[-1:], *state.companies[:-1])
            store.import_state("t", TenantState(moved, state.settings, state.reads, state.ledgers))


@settings(max_examples=30, deadline=None)
@given(
    ops=st.lists(st.one_of(operations.map(lambda ops: ("store", ops)), EXTRA_WRITES), min_size=1, max_size=6),
    page_size=st.integers(1, 4),
    orders=st.lists(st.sampled_from(ORDER_KEYS), min_size=1, max_size=4, unique=True),
)
def test_ordered_pages_equal_a_fresh_sort_after_every_write(
    ops: list[tuple[Any, ...]], page_size: int, orders: list[str]
) -> None:
    store, clock = fresh()
    for op in ops:
        if op[0] == "store":
            for one in op[1]:  # one write at a time, listing after each
                run(store, clock, [one])
                check_every_page(store, orders, page_size)
        else:
            extra_write(store, op)
            check_every_page(store, orders, page_size)


def check_every_page(store: Store, orders: list[str], page_size: int) -> None:
    records = store.companies("t")
    pages = len(records) // page_size + 2  # every page, and one past the end
    for order_by in orders:
        for page in range(1, pages + 1):
            request = ListRequest(page=str(page), page_size=str(page_size), order_by=order_by)
            indexed = select(store.company_listing("t"), request, COMPANY_TARGET, path="/companies", params=[])
            plain = select(list(records), request, COMPANY_TARGET, path="/companies", params=[])
            assert indexed == plain, (order_by, page)


def test_descending_pages_keep_long_runs_of_equal_keys_in_store_order() -> None:
    """Runs of equal keys longer than a page, cut by page edges, read backwards only run by run."""
    store, _ = fresh()
    for n in range(40):
        store.create_company("t", name=f"{'ab'[n % 2]}{n % 3}", description="same" if n % 5 else "")
    records = store.companies("t")
    store.delete_company("t", records[7].id)
    store.update_company("t", records[8].id, name="A1")  # same key as "a1": stays where it is
    records = store.companies("t")
    for order_by in ("-description", "description", "-name", "name"):
        ids = [
            company.id
            for page in range(1, 9)
            for company in select(
                store.company_listing("t"),
                ListRequest(page=str(page), page_size="3", order_by=order_by),
                COMPANY_TARGET,
                path="/companies",
                params=[],
            ).results
        ]
        field = {"name": "name", "description": "description"}[order_by.lstrip("-")]
        expected = sorted(records, key=lambda c: getattr(c, field).casefold(), reverse=order_by.startswith("-"))
        assert ids == [company.id for company in expected[:24]], order_by

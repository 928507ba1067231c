"""The hot path's shortcuts agree with the plain path on any reachable state.

- `*_wire` dicts (serialised straight by orjson) equal the pydantic `*_view` models dumped as JSON;
- a listing through the store's `company_listing` and a shared `ListingCache`, interleaved with writes,
  equals the same listing computed afresh over a plain copy of the records.
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
from mock_server.domain.store import Store
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

"""A page of the unfiltered listing is the same slice of the tenant's companies from either end of the store.

`_CompanyListing.window` reaches a page by walking forward from the oldest company or back from the newest,
whichever is nearer; both must give exactly `companies[start:stop]`, in store order, after any deletes.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.domain.clock import seeded_ids
from mock_server.domain.store import Store


@settings(max_examples=150, deadline=None)
@given(
    count=st.integers(0, 60),
    deleted=st.sets(st.integers(0, 59), max_size=20),
    start=st.integers(0, 80),
    size=st.integers(1, 40),
)
def test_a_window_is_the_slice_of_the_companies_in_store_order(
    count: int, deleted: set[int], start: int, size: int
) -> None:
    store = Store(ids=seeded_ids(3))
    made = [store.create_company("t", name=f"C{i}") for i in range(count)]
    for i in sorted(deleted):
        if i < count:
            store.delete_company("t", made[i].id)
    everyone = store.companies("t")

    total, page = store.company_listing("t").window(start, start + size)

    assert total == len(everyone)
    assert [c.id for c in page] == [c.id for c in everyone[start : start + size]]


def test_an_unknown_tenant_has_an_empty_window() -> None:
    assert Store(ids=seeded_ids(3)).company_listing("nobody").window(0, 100) == (0, ())

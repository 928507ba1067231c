"""Time an ordered listing right after a write, in-process (domain only: store + listing, no HTTP, no rendering).

    .venv/bin/python bench/ordered_after_write.py [--stored 100000] [--rounds 30] [--order=-name]

Stores `--stored` companies in one tenant, lists once with `--order` (the first use: builds the index, or
the cache before it), then for each round creates one company and lists page 1 and the last page of 100
with that order, as a client alternating create and list does. Prints the median and worst of each, and
the same page with 100 stored for comparison. Bounded: a few seconds; stops by itself.
"""

from __future__ import annotations

import argparse
import statistics
import time

from mock_server.domain.listing import ListingCache, ListRequest, select
from mock_server.domain.queryable import COMPANY_TARGET
from mock_server.domain.store import Store


def timed_rounds(stored: int, rounds: int, order: str) -> tuple[list[float], list[float], float]:
    store, cache = Store(), ListingCache()
    for n in range(stored):
        store.create_company("t", name=f"Company {n * 7919 % stored:06d}", description=f"d{n % 97}")

    def page(number: int) -> None:
        request = ListRequest(page=str(number), page_size="100", order_by=order)
        select(store.company_listing("t"), request, COMPANY_TARGET, path="/companies", params=[], cache=cache)

    started = time.perf_counter()
    page(1)  # first use of this order
    first = time.perf_counter() - started
    firsts, lasts = [], []
    for n in range(rounds):
        store.create_company("t", name=f"New {n}")
        started = time.perf_counter()
        page(1)
        firsts.append(time.perf_counter() - started)
        store.create_company("t", name=f"Newer {n}")
        started = time.perf_counter()
        page((stored + 2 * n + 2 + 99) // 100)
        lasts.append(time.perf_counter() - started)
    return firsts, lasts, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--order", default="-name")
    args = parser.parse_args()
    for stored in (100, args.stored):
        firsts, lasts, first = timed_rounds(stored, args.rounds, args.order)
        print(
            f"{stored:>7} stored, orderBy={args.order}: first use {first * 1e3:.1f} ms; after a write: "
            f"page 1 median {statistics.median(firsts) * 1e3:.2f} ms (worst {max(firsts) * 1e3:.2f}), "
            f"last page median {statistics.median(lasts) * 1e3:.2f} ms (worst {max(lasts) * 1e3:.2f})"
        )


if __name__ == "__main__":
    main()

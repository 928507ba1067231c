"""RSS with many companies, in-process: the seed file bench/run.py loads, then the listing queries it runs.

    .venv/bin/python bench/memory.py [--stored 100000] [--via seed|store] [--every-order] [--arenas]

`--via seed` builds the same seed document as bench/run.py (`seed_file`) and starts the app on it, as
`codat-mock serve` with CODAT_MOCK_SEED_FILE does; `--via store` creates the companies and connections one
by one through the store, for comparison. RSS is not sensitive to other load on the machine.
`--arenas` prints CPython's small-object allocator statistics at the end (how much of RSS is holes).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import sys
import tempfile
import time
from pathlib import Path

import profile_app
from run import seed_file

from mock_server.app import create_app
from mock_server.domain.store import Store
from mock_server.settings import Settings

QUERIES = [
    "pageSize=100",
    "pageSize=100&page={last}",
    "pageSize=100&orderBy=-name",
    "pageSize=100&orderBy=created",
    "pageSize=100&tags=region%3Duk",
    "pageSize=100&query=dataConnections.status%3DLinked",
    "pageSize=100&query=name~Plc",
]


def status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--via", choices=["seed", "store"], default="seed")
    parser.add_argument("--arenas", action="store_true")
    parser.add_argument("--every-order", action="store_true", help="then order by every company field too")
    args = parser.parse_args()
    seed = seed_file(Path(tempfile.mkdtemp(prefix="codat-mem-")), "big", args.stored) if args.via == "seed" else None
    gc.collect()
    print(f"before: RSS {status('VmRSS'):.0f} MiB")
    began = time.perf_counter()
    store = Store()
    app = create_app(Settings(seed_file=str(seed) if seed else None), store)
    if seed is None:
        for i in range(args.stored):
            company = store.create_company("big", name=f"Company {i:06d} Ltd", tags={"region": "uk"})
            store.create_connection("big", company.id, "qhyg")
    gc.collect()
    print(
        f"loaded {args.stored:,} via {args.via} in {time.perf_counter() - began:.1f} s: RSS {status('VmRSS'):.0f} MiB"
    )
    profile_app.AUTH = (b"authorization", b"Basic " + base64.b64encode(b"big"))
    for query in QUERIES:
        text = query.format(last=max(1, args.stored // 100))
        for _ in range(3):
            code, _ = await profile_app.call(app, "GET", "/companies", text.encode())
            assert code == 200, (text, code)
        gc.collect()
        print(f"  after {text:52s} RSS {status('VmRSS'):.0f} MiB")
    print(f"after the listing queries: RSS {status('VmRSS'):.0f} MiB, peak (VmHWM) {status('VmHWM'):.0f} MiB")
    if args.every_order:
        # A client ordering by every company field: one order index each (domain/order_index.py).
        for field in ("id", "name", "description", "created", "lastSync"):
            code, _ = await profile_app.call(app, "GET", "/companies", f"pageSize=100&orderBy=-{field}".encode())
            assert code == 200, (field, code)
            gc.collect()
            print(f"  after orderBy={field:12s} RSS {status('VmRSS'):.0f} MiB")
    if args.arenas:
        sys._debugmallocstats()


if __name__ == "__main__":
    asyncio.run(main())

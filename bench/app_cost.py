"""CPU per request of the emulator's app and of bench/bare_app.py's, in the same process (no sockets).

    .venv/bin/python bench/app_cost.py [--requests 5000] [--rounds 5] [--profile get-company]

The server's per-request cost splits into uvicorn's (the same for both apps) and the app's; this measures
the app's, which is what the emulator can change. Each case alternates between the two apps for `--rounds`
rounds and keeps each app's fastest round (CPU time, `time.process_time`), so a busy machine disturbs it
less than wrk. `--profile CASE` prints the emulator's cProfile for that case (journal on, the default).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import time
from collections.abc import Awaitable, Callable
from typing import Any

import bare_app
import profile_app

from mock_server.app import create_app
from mock_server.settings import Settings

Call = Callable[[], Awaitable[tuple[int, bytes]]]


async def cases(app: Any) -> dict[str, Call]:
    def post(path: str, body: bytes) -> Call:
        return lambda: profile_app.call(app, "POST", path, body=body)

    def get(path: str) -> Call:
        return lambda: profile_app.call(app, "GET", path)

    ids = []
    for _ in range(150):  # create-connection cycles over 149 companies, as bench/run.py's wrk script does
        _, out = await profile_app.call(app, "POST", "/companies", body=b'{"name": "Bench Ltd"}')
        ids.append(json.loads(out)["id"])
    company = ids[0]
    turn = iter(range(1 << 62))
    _, out = await profile_app.call(app, "POST", f"/companies/{company}/connections", body=b'{"platformKey": "qhyg"}')
    connection = json.loads(out)["id"]
    return {
        "get-company": get(f"/companies/{company}"),
        "create-company": post("/companies", b'{"name": "Bench Ltd"}'),
        "get-connection": get(f"/companies/{company}/connections/{connection}"),
        "create-connection": lambda: profile_app.call(
            app, "POST", f"/companies/{ids[1 + next(turn) % 149]}/connections", body=b'{"platformKey": "qhyg"}'
        ),
    }


async def cost(call: Call, n: int) -> float:
    began = time.process_time()
    for _ in range(n):
        status, body = await call()
        assert status == 200, body[:300]
    return (time.process_time() - began) / n * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default=None)
    parser.add_argument("--journal-size", type=int, default=None, help="the emulator's journal size (0: off)")
    args = parser.parse_args()
    settings = Settings() if args.journal_size is None else Settings(journal_size=args.journal_size)
    emulator = await cases(create_app(settings))
    bare = await cases(bare_app.build())
    print(f"{'case':18s} {'emulator µs':>12s} {'bare µs':>9s} {'bare ÷ emulator':>16s}")
    for name in emulator:
        best = {"emulator": float("inf"), "bare": float("inf")}
        for _ in range(args.rounds):
            best["emulator"] = min(best["emulator"], await cost(emulator[name], args.requests))
            best["bare"] = min(best["bare"], await cost(bare[name], args.requests))
        print(f"{name:18s} {best['emulator']:12.0f} {best['bare']:9.0f} {best['bare'] / best['emulator']:15.2f}×")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        await cost(emulator[args.profile], args.requests)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    asyncio.run(main())

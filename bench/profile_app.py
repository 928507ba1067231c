"""Profile the emulator's request path in-process (no sockets): where a request's time goes.

    .venv/bin/python bench/profile_app.py [--stored 100000] [--requests 2000] [--case get-company]

Drives the ASGI app directly, so the numbers are the app's own cost (routing, middleware, store, rendering)
without uvicorn. With pyinstrument installed (`pip install pyinstrument`), prints its call tree.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import time
from collections.abc import Callable
from typing import Any

from mock_server.app import create_app
from mock_server.settings import Settings

AUTH = (b"authorization", b"Basic " + base64.b64encode(b"bench-tenant"))


def scope(method: str, path: str, query: bytes = b"", body: bool = False) -> dict[str, Any]:
    headers = [(b"host", b"127.0.0.1:8000"), AUTH]
    if body:
        headers.append((b"content-type", b"application/json"))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "state": {},
    }


async def call(app: Any, method: str, path: str, query: bytes = b"", body: bytes = b"") -> tuple[int, bytes]:
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        else:
            chunks.append(message.get("body", b""))

    await app(scope(method, path, query, bool(body)), receive, send)
    return status, b"".join(chunks)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--case", default="all")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()

    app = create_app(Settings())
    created = time.perf_counter()
    first = ""
    for i in range(args.stored):
        body = json.dumps({"name": f"Company {i:06d}", "tags": {"region": "uk" if i % 2 else "us"}}).encode()
        status, out = await call(app, "POST", "/companies", body=body)
        company = json.loads(out)["id"]
        first = first or company
        await call(app, "POST", f"/companies/{company}/connections", body=b'{"platformKey": "qhyg"}')
    print(f"stored {args.stored} companies in {time.perf_counter() - created:.1f} s")

    cases: dict[str, Callable[[], Any]] = {
        "get-company": lambda: call(app, "GET", f"/companies/{first}"),
        "create-company": lambda: call(app, "POST", "/companies", body=b'{"name": "Bench"}'),
        "list-100": lambda: call(app, "GET", "/companies", b"pageSize=100"),
        "list-last": lambda: call(app, "GET", "/companies", b"pageSize=100&page=%d" % max(1, args.stored // 100)),
        "list-orderby-name": lambda: call(app, "GET", "/companies", b"pageSize=100&orderBy=-name"),
        "list-tags": lambda: call(app, "GET", "/companies", b"pageSize=100&tags=region%3Duk"),
        "list-status": lambda: call(app, "GET", "/companies", b"pageSize=100&query=dataConnections.status%3DLinked"),
    }
    chosen = cases if args.case == "all" else {args.case: cases[args.case]}
    profiler = None
    if not args.no_profile:
        try:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
        except ImportError:
            print("(pyinstrument not installed: timings only)")
    for name, make in chosen.items():
        n = args.requests if not name.startswith("list-") else max(20, args.requests // 20)
        if profiler is not None:
            profiler.start()
        started = time.perf_counter()
        for _ in range(n):
            status, _ = await make()
            assert status == 200, (name, status)
        took = time.perf_counter() - started
        if profiler is not None:
            profiler.stop()
        print(f"{name:20s} {n:6d} requests  {took / n * 1e6:9.0f} µs/request")
    if profiler is not None:
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    asyncio.run(main())

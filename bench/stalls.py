"""Where the tail latency comes from: per-request time and GC pauses over many requests, in-process.

    .venv/bin/python bench/stalls.py [--seed 100000] [--creates 50000] [--gets 20000] [--tuned]

Drives the ASGI app directly (no sockets, so other load on the machine matters less): loads `--seed`
companies from a seed file (as bench/run.py's listing-at-scale server does), creates `--creates` companies,
then sends `--gets` get-company requests and 200 list-100 requests. It prints each phase's per-request CPU
and wall time (median, p99, max) and the cyclic GC's runs per generation with their longest CPU time
(`gc.callbacks`). `--tuned` first applies what `codat-mock serve` does to its process
(`mock_server.serving.tune_gc`), for a before/after comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import profile_app
from run import seed_file

from mock_server.app import create_app
from mock_server.settings import Settings


class GcTimer:
    """Collects the CPU time of every cyclic GC run, per generation (CPU: preemption by other load is not counted)."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._began = time.process_time()
        else:
            self.pauses[info["generation"]].append((time.process_time() - self._began) * 1000)

    def report(self, label: str) -> None:
        parts = []
        for generation, pauses in self.pauses.items():
            if pauses:
                parts.append(
                    f"gen{generation}: {len(pauses)} runs, max {max(pauses):.1f} ms, total {sum(pauses):.0f} ms"
                )
        print(f"  GC during {label}: " + ("; ".join(parts) or "none"))
        self.pauses = {0: [], 1: [], 2: []}


def summary(label: str, cpu_ms: list[float], wall_ms: list[float]) -> None:
    ordered = sorted(wall_ms)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    print(
        f"{label:34s} n={len(cpu_ms):6d}  CPU median {statistics.median(cpu_ms) * 1000:6.0f} µs  "
        f"wall p99 {p99:6.2f} ms  wall max {ordered[-1]:7.1f} ms  (CPU max {max(cpu_ms):6.1f} ms)"
    )


async def timed(label: str, n: int, make: Any, timer: GcTimer) -> list[Any]:
    cpu, wall, outs = [], [], []
    for _ in range(n):
        c0, w0 = time.process_time(), time.perf_counter()
        code, body = await make()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        assert code in (200, 201), (label, code, body[:200])
        outs.append(body)
    summary(label, cpu, wall)
    timer.report(label)
    return outs


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--creates", type=int, default=50_000)
    parser.add_argument("--gets", type=int, default=20_000)
    parser.add_argument("--tuned", action="store_true")
    parser.add_argument("--seed", type=int, default=0, help="start with this many companies from a seed file")
    args = parser.parse_args()
    seed = str(seed_file(Path(tempfile.mkdtemp(prefix="codat-stalls-")), "seeded", args.seed)) if args.seed else None
    app = create_app(Settings(seed_file=seed))
    if args.tuned:
        from mock_server.serving import tune_gc

        tune_gc()
    print(f"gc thresholds {gc.get_threshold()}, frozen objects {gc.get_freeze_count()}")
    timer = GcTimer()
    gc.callbacks.append(timer)
    created = await timed(
        f"create-company x{args.creates}",
        args.creates,
        lambda: profile_app.call(app, "POST", "/companies", body=b'{"name": "Bench Ltd"}'),
        timer,
    )
    company = json.loads(created[0])["id"]
    await timed(
        f"get-company x{args.gets}", args.gets, lambda: profile_app.call(app, "GET", f"/companies/{company}"), timer
    )
    await timed("list-100 x200", 200, lambda: profile_app.call(app, "GET", "/companies", b"page=1&pageSize=100"), timer)
    gc.callbacks.remove(timer)


if __name__ == "__main__":
    asyncio.run(main())

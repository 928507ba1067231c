"""Soak: N minutes of mixed load from several tenants, with faults injected, against one emulator.

    .venv/bin/python bench/soak.py --minutes 5 [--tenants 4] [--workers 8]

Starts `codat-mock serve` on a free 127.0.0.1 port (journal on, its default size), gives each tenant a
fault rule (a share of its list-companies answer 503, a share of its get-company are delayed), then runs
`workers` threads that each act as one tenant: create companies and connections, link, unlink, read, list
(filtered and ordered) and delete, for the given minutes. Reports RSS at start and end, requests, the
answers that were neither expected nor injected (errors), and latency percentiles per operation.
Stops by itself; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import base64
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx
from run import ROOT, emulator_command, free_port, wait_until_up

EXPECTED = {
    "create-company": {200},
    "create-connection": {200, 404},
    "link": {200, 400, 404},
    "unlink": {200, 400, 404},
    "get-company": {200, 404},
    "list": {200},
    "list-filtered": {200},
    "delete-company": {204, 404},
}


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description="Mixed load from several tenants, with faults, for N minutes.")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--tenants", type=int, default=4)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    port = free_port()
    command = [part.replace("{port}", str(port)) for part in emulator_command()]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    keys = [f"soak-tenant-{i}" for i in range(args.tenants)]

    def auth(key: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(key.encode()).decode()}

    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    injected = 0
    lock = threading.Lock()
    try:
        wait_until_up(url, process, "/integrations", auth("probe"), 60)
        for key in keys:
            faults = [
                {"operationId": "list-companies", "status": 503, "probability": 0.05},
                {"operationId": "get-company", "delayMs": 20, "probability": 0.05},
            ]
            for rule in faults:
                assert httpx.post(f"{url}/_mock/faults", json=rule, headers=auth(key)).status_code == 201
        rss_start = rss_mib(process.pid)
        deadline = time.monotonic() + args.minutes * 60

        def worker(index: int) -> None:
            nonlocal injected
            rng = random.Random(index)
            key = keys[index % len(keys)]
            mine: list[str] = []
            links: list[tuple[str, str]] = []
            with httpx.Client(base_url=url, headers=auth(key), timeout=30) as client:
                while time.monotonic() < deadline:
                    op = rng.choice(list(EXPECTED))
                    company = rng.choice(mine) if mine else None
                    began = time.perf_counter()
                    if op == "create-company" or company is None:
                        op = "create-company"
                        response = client.post("/companies", json={"name": f"Soak {index}", "tags": {"n": str(index)}})
                        if response.status_code == 200:
                            mine.append(response.json()["id"])
                    elif op == "create-connection":
                        key_ = rng.choice(["qhyg", "gbol", "suuo"])
                        response = client.post(f"/companies/{company}/connections", json={"platformKey": key_})
                        if response.status_code == 200:
                            links.append((company, response.json()["id"]))
                    elif op in ("link", "unlink") and links:
                        c, k = rng.choice(links)
                        if op == "link":
                            response = client.put(f"/companies/{c}/connections/{k}/authorization", json={"a": "b"})
                        else:
                            response = client.patch(f"/companies/{c}/connections/{k}", json={"status": "Unlinked"})
                    elif op == "get-company":
                        response = client.get(f"/companies/{company}")
                    elif op == "list-filtered":
                        response = client.get(
                            "/companies", params={"query": "dataConnections.status=Linked", "orderBy": "-name"}
                        )
                    elif op == "delete-company" and len(mine) > 50:
                        mine.remove(company)
                        response = client.delete(f"/companies/{company}")
                    else:
                        op = "list"
                        response = client.get("/companies", params={"page": rng.randint(1, 3)})
                    took = (time.perf_counter() - began) * 1000
                    with lock:
                        latencies[op].append(took)
                        if response.status_code == 503 and op in ("list", "list-filtered"):
                            injected += 1
                        elif response.status_code not in EXPECTED[op]:
                            errors[f"{op} {response.status_code}"] += 1

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rss_end = rss_mib(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=15)

    total = sum(len(v) for v in latencies.values())
    print(f"soak: {args.minutes:g} min, {args.tenants} tenants, {args.workers} workers, {total} requests")
    print(f"RSS start {rss_start:.0f} MiB, end {rss_end:.0f} MiB")
    print(f"injected 503s {injected}; unexpected answers {sum(errors.values())} {dict(errors) or ''}")
    print("\n| operation | requests | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|")
    for op, values in sorted(latencies.items()):
        cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        print(f"| {op} | {len(values)} | {cuts[49]:.1f} | {cuts[94]:.1f} | {cuts[98]:.1f} |")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark matrix in one command: the emulator, Stoplight Prism and a bare Starlette app, same run.

    .venv/bin/python bench/run.py            # the full matrix (about 10 minutes)
    .venv/bin/python bench/run.py --quick    # 16 connections, 1 s runs, 10 000 stored (about a minute)

It installs what it lacks: `wrk` from Debian (apt-get), Prism (`@stoplight/prism-cli`) from npm into
bench/.cache/. Every server binds 127.0.0.1 on a free port, every load is a bounded `wrk -d`, and every
process it starts is stopped at the end. It prints one table per section and the ratios the targets in
BENCHMARKS.md are stated in (emulator ÷ Prism, emulator ÷ bare stack).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
SPEC = ROOT.parent / "shared" / "codat-oas" / "Codat-Sync-Payables.json"
PRISM_VERSION = "5"


def auth(key: str) -> str:
    return "Basic " + base64.b64encode(key.encode()).decode()


# --- tools ---------------------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        print("installing wrk from Debian …", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
    if found is None:
        sys.exit("wrk is needed (apt-get install wrk)")
    return found


def ensure_prism() -> Path | None:
    binary = CACHE / "prism" / "node_modules" / ".bin" / "prism"
    if binary.exists():
        return binary
    if shutil.which("npm") is None:
        print("npm not found: Prism is skipped", flush=True)
        return None
    print("installing Prism from npm into bench/.cache/prism …", flush=True)
    (CACHE / "prism").mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["npm", "install", "--silent", "--prefix", str(CACHE / "prism"), f"@stoplight/prism-cli@{PRISM_VERSION}"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not binary.exists():
        print(f"Prism install failed, skipped:\n{result.stderr[-2000:]}", flush=True)
        return None
    return binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- servers -------------------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def wait_until_up(
    url: str, process: subprocess.Popen[bytes], path: str, headers: dict[str, str], timeout: float
) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            if httpx.get(url + path, headers=headers, timeout=2).status_code < 500:
                return time.monotonic() - started
        except httpx.TransportError:
            time.sleep(0.01)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def started(
    name: str, command: list[str], path: str, env: dict[str, str] | None = None, timeout: float = 120
) -> Iterator[Server]:
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, process, path, {"Authorization": auth("probe")}, timeout)
        yield Server(name, url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def emulator_command(extra: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    # warning: no access-log line per request (the bare app has none either).
    return [sys.executable, "-m", "mock_server", "serve", "--port", "{port}", "--log-level", "warning", *extra]


# --- load --------------------------------------------------------------------------------------------------


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    size: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(wrk_path: str, url: str, connections: int, seconds: float, script: Path | None, header: str) -> Result:
    threads = min(2, connections)
    command = [
        wrk_path,
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{round(seconds)}s",
        "--latency",
        "-H",
        header,
    ]
    if script is not None:
        command += ["-s", str(script)]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 30)
    out = done.stdout
    if "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed on {url}:\n{out}\n{done.stderr}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    errors = 0
    for pattern in (
        r"Non-2xx or 3xx responses: (\d+)",
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    ):
        found = re.search(pattern, out)
        if found:
            errors += sum(int(g) for g in found.groups())
    return Result(rps, p50, p99, errors, 0)


def post_script(folder: Path, name: str, body: dict[str, object], paths: list[str] | None = None) -> Path:
    """A wrk script POSTing `body`, to `paths` in turn when given (else to the URL's path)."""
    script = folder / f"{name}.lua"
    lines = [
        'wrk.method = "POST"',
        f"wrk.body = {json.dumps(json.dumps(body))}",
        'wrk.headers["Content-Type"] = "application/json"',
    ]
    if paths:
        lines.append("paths = {" + ", ".join(json.dumps(p) for p in paths) + "}")
        lines.append("i = 0")
        lines.append("request = function() i = i % #paths + 1; return wrk.format(nil, paths[i]) end")
    script.write_text("\n".join(lines) + "\n")
    return script


# --- the matrix ----------------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    method: str
    path: str
    script: Path | None


def prepare(server: Server, folder: Path, tenant: str) -> list[Case]:
    """Objects each case needs on `server`, and the cases (Prism invents its answers; any ids do)."""
    headers = {"Authorization": auth(tenant), "Content-Type": "application/json"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        ids = []
        for i in range(150):
            created = client.post("/companies", json={"name": f"Listed {i}"})
            ids.append(created.json().get("id") or str(uuid.uuid4()))
        company = ids[0]
        made = client.post(f"/companies/{company}/connections", json={"platformKey": "qhyg"}).json()
        connection = made.get("id") or str(uuid.uuid4())
        if server.name == "prism":  # Prism's ids are examples; use valid random UUIDs in the paths
            company, connection = str(uuid.uuid4()), str(uuid.uuid4())
            ids = [str(uuid.uuid4()) for _ in ids]
    tag = server.name
    return [
        Case("get-company", "GET", f"/companies/{company}", None),
        Case("create-company", "POST", "/companies", post_script(folder, f"{tag}-cc", {"name": "Bench Ltd"})),
        Case("list-100", "GET", "/companies?page=1&pageSize=100", None),
        Case("get-connection", "GET", f"/companies/{company}/connections/{connection}", None),
        Case(
            "create-connection",
            "POST",
            "",
            post_script(folder, f"{tag}-cn", {"platformKey": "qhyg"}, [f"/companies/{c}/connections" for c in ids[1:]]),
        ),
    ]


def size_of(server: Server, case: Case, tenant: str) -> int:
    headers = {"Authorization": auth(tenant)}
    if case.method == "GET":
        return len(httpx.get(server.url + case.path, headers=headers, timeout=30).content)
    body = {"name": "Bench Ltd"} if case.name == "create-company" else {"platformKey": "qhyg"}
    path = case.path or "/companies/" + str(uuid.uuid4()) + "/connections"
    if case.name == "create-connection" and server.name != "prism":
        listed = httpx.get(server.url + "/companies?pageSize=1", headers=headers, timeout=30).json()["results"]
        path = f"/companies/{listed[0]['id']}/connections"
    return len(httpx.post(server.url + path, json=body, headers=headers, timeout=30).content)


def seed_file(folder: Path, tenant: str, count: int) -> Path:
    """A seed document: `count` companies, each with one connection, for the listing-at-scale runs."""
    path = folder / f"seed-{count}.json"
    statuses = ["Linked", "PendingAuth", "Unlinked"]
    companies = []
    for i in range(count):
        stamp = f"2026-01-01T00:{i // 60000 % 60:02d}:{i // 1000 % 60:02d}.{i % 1000:03d}Z"
        companies.append(
            {
                "id": str(uuid.uuid4()),
                "name": f"Company {i:06d} {'Ltd' if i % 3 else 'Plc'}",
                "created": stamp,
                "tags": {"region": "uk" if i % 4 == 0 else "us"},
                "connections": [
                    {
                        "id": str(uuid.uuid4()),
                        "platformKey": "qhyg",
                        "status": statuses[i % 3],
                        "created": stamp,
                        "statusChanged": stamp,
                    }
                ],
            }
        )
    path.write_text(json.dumps({"version": 1, "tenants": {tenant: {"version": 1, "companies": companies}}}))
    return path


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the emulator against Prism and a bare Starlette app.")
    parser.add_argument("--quick", action="store_true", help="16 connections, 1 s runs, 10 000 stored: about a minute")
    parser.add_argument("--no-prism", action="store_true", help="skip Prism")
    args = parser.parse_args()
    seconds = 1.0 if args.quick else 8.0
    connections_list = [16] if args.quick else [1, 16, 64]
    stored = 10_000 if args.quick else 100_000
    startups = 3 if args.quick else 5

    wrk_path = ensure_wrk()
    prism = None if args.no_prism or not SPEC.exists() else ensure_prism()
    CACHE.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="codat-bench-"))
    header = "Authorization: " + auth("bench")

    servers: list[tuple[str, list[str], str]] = [
        ("emulator", emulator_command(), "/integrations"),
        ("bare", [sys.executable, "bench/bare_app.py", "--port", "{port}"], "/companies"),
    ]
    if prism is not None:
        servers.append(
            ("prism", [str(prism), "mock", "-h", "127.0.0.1", "-p", "{port}", "-v", "warn", str(SPEC)], "/companies")
        )

    results: dict[tuple[str, str, int], Result] = {}
    for name, command, probe in servers:
        with started(name, command, probe) as server:
            cases = prepare(server, folder, "bench")
            for case in cases:
                size = size_of(server, case, "bench")
                for connections in connections_list:
                    result = wrk(wrk_path, server.url + case.path, connections, seconds, case.script, header)
                    result.size = size
                    results[(name, case.name, connections)] = result
                    print(
                        f"{name:9s} {case.name:18s} c={connections:<3d} {result.rps:9.0f} req/s  "
                        f"p99 {result.p99_ms:7.1f} ms  {size} B  errors {result.errors}",
                        flush=True,
                    )

    rows = []
    for case_name in ["get-company", "create-company", "list-100", "get-connection", "create-connection"]:
        for connections in connections_list:
            emu = results[("emulator", case_name, connections)]
            bare = results[("bare", case_name, connections)]
            pr = results.get(("prism", case_name, connections))
            rows.append(
                [
                    case_name,
                    str(connections),
                    f"{emu.rps:,.0f} (p99 {emu.p99_ms:.1f} ms, {emu.size} B)",
                    f"{pr.rps:,.0f} ({pr.size} B)" if pr else "—",
                    f"{bare.rps:,.0f} ({bare.size} B)",
                    f"{emu.rps / pr.rps:.2f}×" if pr else "—",
                    f"{emu.rps / bare.rps:.2f}×",
                ]
            )
    table(
        "Throughput (req/s), same run",
        ["case", "conns", "emulator", "Prism", "bare stack", "emulator ÷ Prism", "emulator ÷ bare"],
        rows,
    )

    # Listing at scale: one tenant with `stored` companies (each with a connection), one with 100.
    seed = seed_file(folder, "big", stored)
    listing = {
        "unfiltered": "/companies?pageSize=100",
        "last page": f"/companies?pageSize=100&page={stored // 100}",
        "orderBy=-name": "/companies?pageSize=100&orderBy=-name",
        "orderBy=created": "/companies?pageSize=100&orderBy=created",
        "tags=region=uk": "/companies?pageSize=100&tags=region%3Duk",
        "dataConnections.status=Linked": "/companies?pageSize=100&query=dataConnections.status%3DLinked",
        "name~Plc": "/companies?pageSize=100&query=name~Plc",
    }
    rows = []
    with started(
        "emulator", emulator_command(), "/integrations", env={"CODAT_MOCK_SEED_FILE": str(seed)}, timeout=600
    ) as server:
        rss_full = server.rss_mib()
        small = {"Authorization": auth("small"), "Content-Type": "application/json"}
        for i in range(100):
            httpx.post(server.url + "/companies", json={"name": f"Small {i}"}, headers=small, timeout=30)
        for label, path in listing.items():
            first = httpx.get(server.url + path, headers={"Authorization": auth("big")}, timeout=60)
            assert first.status_code == 200, first.text[:300]
            client_ms: dict[str, float] = {}
            for tenant in ("small", "big"):
                # One kept-alive connection per tenant: a fresh httpx.get per call measured mostly the
                # client's own set-up and a new TCP connection (30-50 ms), not the server's listing.
                url = (
                    server.url + path.replace(f"page={stored // 100}", "page=1")
                    if tenant == "small"
                    else server.url + path
                )
                timings = []
                with httpx.Client(headers={"Authorization": auth(tenant)}, timeout=60) as client:
                    client.get(url)  # connects; not timed
                    for _ in range(5 if args.quick else 20):
                        began = time.perf_counter()
                        client.get(url)
                        timings.append((time.perf_counter() - began) * 1000)
                client_ms[tenant] = statistics.median(timings)
            load = {
                c: wrk(wrk_path, server.url + path, c, seconds, None, "Authorization: " + auth("big"))
                for c in ([16] if args.quick else [16, 64])
            }
            worst = max(load.values(), key=lambda r: r.p99_ms)
            rows.append(
                [
                    label,
                    f"{client_ms['small']:.2f}",
                    f"{client_ms['big']:.2f}",
                    f"{client_ms['big'] / client_ms['small']:.2f}×",
                    f"{load[16].rps:,.0f}",
                    f"{worst.p99_ms:.1f}" + (" (64 conns)" if not args.quick else " (16 conns)"),
                    str(len(first.content)),
                ]
            )
    table(
        f"Listing a page of 100 with {stored:,} stored (first call warms the ordered cache)",
        [
            "query",
            "median ms, 100 stored",
            f"median ms, {stored:,} stored",
            "ratio",
            "req/s (16 conns)",
            "p99 ms",
            "bytes",
        ],
        rows,
    )

    # Start-up and memory.
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(startups):
        port = free_port()
        began = time.monotonic()
        process = subprocess.Popen(
            [part.replace("{port}", str(port)) for part in emulator_command()],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}", process, "/integrations", {"Authorization": auth("probe")}, 60)
            times.append(time.monotonic() - began)
            # The server's own CPU time to that point: less sensitive than wall time to a busy machine.
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu.append((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
            idle = Server("emulator", "", process).rss_mib()
        finally:
            process.terminate()
            process.wait(timeout=15)
    table(
        "Start-up and memory (emulator)",
        ["measure", "value", "target"],
        [
            [f"`codat-mock serve` to first 200, median of {startups}", f"{statistics.median(times):.2f} s", "< 0.4 s"],
            ["server CPU time to first 200, median", f"{statistics.median(cpu):.2f} s", "—"],
            ["idle RSS", f"{idle:.0f} MiB", "< 60 MiB"],
            [f"RSS with {stored:,} companies each with a connection", f"{rss_full:.0f} MiB", "< 200 MiB (100 000)"],
        ],
    )
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

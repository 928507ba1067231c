"""Start-up benchmark (run by hand, not a test): how long until the emulator answers its first 200.

    .venv/bin/python bench/startup.py                 # both: `codat-mock serve` and the container
    .venv/bin/python bench/startup.py --no-container  # only `codat-mock serve`
    .venv/bin/python bench/startup.py --image localhost/codat-mock:check --engine "podman --runtime runc"

Each run starts a fresh process (or container) on a free loopback port and polls `GET /_mock/health`
every 5 ms from the moment the command was launched; the time to the first 200 is recorded, then the
process is stopped with SIGTERM (the container removed). Median, min and max of `--runs` (default 5).
Targets (docs/startup.md): `codat-mock serve` < 0.5 s, container < 1 s.

Wall-clock time depends on what else the machine runs; for `serve` the CPU time the process had used by
its first 200 (from /proc, Linux) is printed too, which load changes much less. The package's bytecode is
compiled first (`compileall`), as pip leaves an installed wheel: without it (PYTHONDONTWRITEBYTECODE on
an editable install) every start compiles the sources again.

The container needs an image built from the Dockerfile (`.ci/container` leaves `localhost/codat-mock:check`).
"""

from __future__ import annotations

import argparse
import http.client
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

POLL_SECONDS = 0.005
GIVE_UP_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/_mock/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


class Started:
    """A started emulator: how to stop it, and (for a local process) its pid, to read its CPU time."""

    def __init__(self, stop: Callable[[], None], pid: int | None = None) -> None:
        self.stop = stop
        self.pid = pid


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time `pid` has used so far (Linux /proc), or None where that cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_first_200(start: Callable[[int], Started]) -> tuple[float, float | None]:
    """Seconds from `start(port)` being called to the first 200, and the CPU seconds used by then."""
    port = free_port()
    began = time.perf_counter()
    started = start(port)
    try:
        while not healthy(port):
            if time.perf_counter() - began > GIVE_UP_SECONDS:
                raise RuntimeError(f"no 200 on port {port} within {GIVE_UP_SECONDS:g} s")
            time.sleep(POLL_SECONDS)
        return time.perf_counter() - began, cpu_seconds(started.pid)
    finally:
        started.stop()


def serve(executable: str) -> Callable[[int], Started]:
    def start(port: int) -> Started:
        process = subprocess.Popen(
            [executable, "serve", "--port", str(port), "--log-level", "warning"], stdin=subprocess.DEVNULL
        )

        def stop() -> None:
            process.terminate()
            process.wait(timeout=10)

        return Started(stop, process.pid)

    return start


def container(engine: list[str], image: str) -> Callable[[int], Started]:
    def start(port: int) -> Started:
        name = f"codat-mock-bench-{port}"
        subprocess.run(
            [*engine, "run", "-d", "--name", name, "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1000:1000",
             "-p", f"127.0.0.1:{port}:8000", image],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def stop() -> None:
            subprocess.run([*engine, "rm", "-f", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        return Started(stop)

    return start


def report(what: str, runs: list[tuple[float, float | None]], target: float) -> None:
    samples = [wall for wall, _ in runs]
    median = statistics.median(samples)
    verdict = "meets" if median < target else "MISSES"
    cpu = [used for _, used in runs if used is not None]
    cpu_note = f"; CPU used by then: median {statistics.median(cpu) * 1000:.0f} ms" if cpu else ""
    print(
        f"{what}: median {median * 1000:.0f} ms (min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f}, "
        f"n={len(samples)}){cpu_note}; {verdict} the {target * 1000:.0f} ms target"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Time from start to the first 200, median of N runs.")
    parser.add_argument("--runs", type=int, default=5)
    default_cli = Path(sys.executable).parent / "codat-mock"
    parser.add_argument("--codat-mock", default=str(default_cli), help="the codat-mock executable to time")
    parser.add_argument("--no-container", action="store_true", help="time only `codat-mock serve`")
    parser.add_argument("--engine", default="podman --runtime runc", help="container engine command")
    parser.add_argument("--image", default="localhost/codat-mock:check")
    parser.add_argument("--no-compile", action="store_true", help="do not compile the package's bytecode first")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    if not args.no_compile:
        python = Path(args.codat_mock).parent / "python"
        packages = "import contracts, mock_server, sdk_stub, os; print(*(os.path.dirname(m.__file__) for m in "
        packages += "(contracts, mock_server, sdk_stub)), sep=chr(10))"
        directories = subprocess.run([python, "-c", packages], check=True, capture_output=True, text=True)
        subprocess.run([python, "-m", "compileall", "-q", *directories.stdout.split()], check=True)

    report("codat-mock serve -> first 200", [time_to_first_200(serve(args.codat_mock)) for _ in range(args.runs)], 0.5)
    if not args.no_container:
        engine = shlex.split(args.engine)
        if shutil.which(engine[0]) is None:
            print(f"container: skipped, {engine[0]} is not installed")
            return 0
        samples = [time_to_first_200(container(engine, args.image)) for _ in range(args.runs)]
        report("container start -> first 200", samples, 1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

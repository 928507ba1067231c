"""Benchmark: what `codat_mock` + `codat_client` cost per test, in each mode of the pytest plugin.

    .venv/bin/python bench/fixture_overhead.py              # 1000 tests per mode, inprocess and live
    .venv/bin/python bench/fixture_overhead.py --tests 3000 --modes inprocess

For each mode it writes a throwaway project of N tests, `def test_n(codat_mock, codat_client): pass`, runs
pytest on it in a subprocess, and reads pytest's own per-phase durations: a test's fixture cost is its setup
plus its teardown (a fresh tenant and client, then the reset). The first test is left out (it also pays for
the session's emulator: building the app, or starting the live server). A baseline run, the same tests with
two do-nothing fixtures of the same names and shape, gives pytest's own per-test setup/teardown time, so the
difference is the plugin's.

Only pytest, the plugin and a collector are loaded (PYTEST_DISABLE_PLUGIN_AUTOLOAD), so nothing else's fixtures
or hooks are measured. Results go to stdout; docs/pytest-plugin.md records a run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

COLLECTOR = """
import json, os

DURATIONS = {}

def pytest_runtest_logreport(report):
    if report.when in ("setup", "teardown"):
        DURATIONS[report.nodeid] = DURATIONS.get(report.nodeid, 0.0) + report.duration

def pytest_sessionfinish(session):
    with open(os.environ["BENCH_OUT"], "w") as out:
        json.dump(list(DURATIONS.values()), out)
"""

NULL_FIXTURES = """
import pytest

@pytest.fixture
def codat_mock():
    yield object()

@pytest.fixture
def codat_client(codat_mock):
    yield object()

"""


def run(mode: str | None, tests: int, workdir: Path) -> list[float]:
    """Per-test setup+teardown seconds, in test order, without the first test."""
    project = workdir / (mode or "baseline")
    project.mkdir()
    (project / "bench_collector.py").write_text(COLLECTOR, encoding="utf-8")
    # The baseline's two fixtures have the same shape (a generator fixture, and one that uses it) but do
    # nothing, so baseline minus mode is the plugin's own work, not pytest's fixture machinery.
    prelude = "" if mode else NULL_FIXTURES
    tests_text = "\n".join(f"def test_{n}(codat_mock, codat_client):\n    pass\n" for n in range(tests))
    (project / "test_overhead.py").write_text(prelude + tests_text, encoding="utf-8")
    out = project / "durations.json"
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "BENCH_OUT": str(out)}
    env.pop("CODAT_MOCK_URL", None)
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "bench_collector"]
    if mode:
        args += ["-p", "codat_mock", f"--codat-mock={mode}"]
    subprocess.run(args, cwd=project, env=env, check=True, stdout=subprocess.DEVNULL, timeout=900)
    durations: list[float] = json.loads(out.read_text(encoding="utf-8"))
    return durations[1:]


def summary(name: str, durations: list[float], baseline: float) -> str:
    ordered = sorted(durations)
    median = statistics.median(ordered)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (
        f"{name:<10} n={len(ordered):<5} median {median * 1000:7.3f} ms   p95 {p95 * 1000:7.3f} ms   "
        f"minus baseline {max(median - baseline, 0.0) * 1000:7.3f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tests", type=int, default=1000, help="tests per mode (default 1000)")
    parser.add_argument("--modes", nargs="+", default=["inprocess", "live"], choices=["inprocess", "live"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="codat-mock-bench-") as tmp:
        workdir = Path(tmp)
        base = run(None, args.tests, workdir)
        baseline = statistics.median(base)
        print(summary("baseline", base, baseline))
        for mode in args.modes:
            print(summary(mode, run(mode, args.tests, workdir), baseline))
    return 0


if __name__ == "__main__":
    sys.exit(main())

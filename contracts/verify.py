"""`codat-mock contract verify`: check any deployment of the Codat API against our contract.

It runs Schemathesis (its own CLI, in a child process, so its progress display, reports and exit code
are the ones its users know) over the contract shipped in this package, against `--base-url`: the
emulator in Docker, a staging proxy, or Codat itself. Every check runs, with `contracts.kit` supplying
the query-language formats and the state-aware acceptance check. Phases: examples, coverage and
fuzzing, plus the stateful phase (following the contract's links, so it creates and deletes data)
with `--stateful`. Exit status: 0 when nothing failed, 1 on any failure, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .kit import REPLACED_CHECKS

__all__ = ["VerifyOptions", "main", "schemathesis_command"]

PROG = "codat-mock contract verify"


@dataclass(frozen=True, slots=True)
class VerifyOptions:
    base_url: str
    api_key: str
    junit_xml: Path | None = None
    max_examples: int = 50
    stateful: bool = False
    seed: int | None = None
    workers: str = "1"


def schemathesis_command(options: VerifyOptions, contract: Path) -> list[str]:
    """The `schemathesis run` invocation for `options` (without the environment it needs; see `run`)."""
    token = base64.b64encode(options.api_key.encode()).decode()
    phases = ["examples", "coverage", "fuzzing"] + (["stateful"] if options.stateful else [])
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        str(contract),
        "--url",
        options.base_url,
        "--header",
        f"Authorization: Basic {token}",
        "--checks",
        "all",
        "--exclude-checks",
        ",".join(REPLACED_CHECKS),
        "--phases",
        ",".join(phases),
        "--max-examples",
        str(options.max_examples),
        "--workers",
        options.workers,
        "--suppress-health-check",
        "all",
    ]
    if options.seed is not None:
        command += ["--seed", str(options.seed)]
    if options.junit_xml is not None:
        command += ["--report", "junit", "--report-junit-path", str(options.junit_xml)]
    return command


def run(options: VerifyOptions) -> int:
    """Run the suites; Schemathesis' output goes to this process's stdout and stderr. Its exit status."""
    environ = dict(os.environ)
    # The kit registers the contract's formats and its state-aware check inside the Schemathesis process.
    hooks = [h for h in environ.get("SCHEMATHESIS_HOOKS", "").split(",") if h]
    environ["SCHEMATHESIS_HOOKS"] = ",".join([*hooks, "contracts.hooks"])
    with resources.as_file(resources.files("contracts").joinpath("openapi.yaml")) as contract:
        return subprocess.call(schemathesis_command(options, contract), env=environ)


def junit_summary(path: Path) -> str:
    """`N test cases, F failures, E errors` from a JUnit report, or why it could not be read."""
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        return f"no readable JUnit report at {path} ({exc})"
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failures = sum(int(s.get("failures", 0)) for s in suites)
    errors = sum(int(s.get("errors", 0)) for s in suites)
    return f"{tests} operations reported, {failures} failed, {errors} errored (JUnit XML: {path})"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run the contract suites (Schemathesis, every check) against a deployment of the Codat API.",
    )
    parser.add_argument("--base-url", required=True, help="the API's base URL, e.g. http://localhost:8000")
    parser.add_argument(
        "--api-key",
        default=os.environ.get("CODAT_API_KEY"),
        help="the API key, sent as `Authorization: Basic base64(key)` (default: $CODAT_API_KEY)",
    )
    parser.add_argument("--junit-xml", type=Path, metavar="PATH", help="write a JUnit XML report for CI")
    parser.add_argument(
        "--max-examples", type=_positive, default=50, metavar="N", help="generated cases per operation (default 50)"
    )
    parser.add_argument(
        "--stateful",
        action="store_true",
        help="also chain calls through the contract's links (creates and deletes companies and connections)",
    )
    parser.add_argument("--seed", type=int, help="Hypothesis seed, to repeat a run")
    parser.add_argument("--workers", default="1", help="concurrent workers, 1-64 or 'auto' (default 1)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2): an exit status for callers, not an exception
        return exc.code if isinstance(exc.code, int) else 2
    if not args.api_key:
        sys.stderr.write(f"{PROG}: an API key is needed: --api-key KEY or CODAT_API_KEY\n")
        return 2
    if not args.base_url.startswith(("http://", "https://")):
        sys.stderr.write(f"{PROG}: --base-url must be an http:// or https:// URL, got {args.base_url!r}\n")
        return 2
    options = VerifyOptions(
        base_url=args.base_url.rstrip("/"),
        api_key=args.api_key,
        junit_xml=args.junit_xml,
        max_examples=args.max_examples,
        stateful=args.stateful,
        seed=args.seed,
        workers=args.workers,
    )
    sys.stdout.write(f"{PROG}: checking {options.base_url} against the codat-mock contract\n")
    sys.stdout.flush()
    status = run(options)
    verdict = "PASSED: the deployment agrees with the contract" if status == 0 else "FAILED: see the failures above"
    sys.stdout.write(f"\n{PROG}: {verdict}\n")
    if options.junit_xml is not None:
        sys.stdout.write(f"{PROG}: {junit_summary(options.junit_xml)}\n")
    return 0 if status == 0 else 1

"""`codat-mock contract verify`: check any deployment of the Codat API against our contract.

Two suites, against `--base-url` (the emulator in Docker, a staging proxy, or Codat itself):

1. **Deployment ↔ contract**: Schemathesis (its own CLI, in a child process, so its progress display,
   reports and exit code are the ones its users know) over the contract shipped in this package. Every
   check runs, with `contracts.kit` supplying the query-language formats and the state-aware acceptance
   check. Phases: examples, coverage and fuzzing, plus the stateful phase (following the contract's
   links, so it creates and deletes data) with `--stateful`.
2. **Client ↔ deployment ↔ model**: `contracts.agreement`'s state machine drives `sdk_stub` against the
   deployment and a reference model of Codat, comparing them after every step. The model starts from
   empty tenants and mints API keys of its own, which only an emulator honours (each key is a fresh
   tenant); `--agreement auto` (the default) runs it when the deployment proves to do that, and says so
   when it does not (Codat itself).

Exit status: 0 when nothing failed, 1 on any failure, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import subprocess
import sys
import tempfile
import traceback
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from .kit import REPLACED_CHECKS

__all__ = ["AgreementResult", "VerifyOptions", "main", "run_agreement", "schemathesis_command"]

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
    agreement: Literal["auto", "on", "off"] = "auto"
    work_dir: Path | None = None
    """Where Schemathesis and Hypothesis keep their caches; None: a temporary directory, removed afterwards."""


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
        # Absolute: Schemathesis runs in the work directory, the path is the caller's.
        command += ["--report", "junit", "--report-junit-path", str(options.junit_xml.absolute())]
    return command


def run(options: VerifyOptions) -> int:
    """Run the suites; Schemathesis' output goes to this process's stdout and stderr. Its exit status."""
    environ = dict(os.environ)
    # The kit registers the contract's formats and its state-aware check inside the Schemathesis process.
    hooks = [h for h in environ.get("SCHEMATHESIS_HOOKS", "").split(",") if h]
    environ["SCHEMATHESIS_HOOKS"] = ",".join([*hooks, "contracts.hooks"])
    # The child runs in the work directory, so `contracts` must be importable without the caller's cwd.
    package_root = str(Path(__file__).resolve().parent.parent)
    environ["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, environ.get("PYTHONPATH", "")) if p)
    with (
        _work_dir(options.work_dir) as cwd,
        resources.as_file(resources.files("contracts").joinpath("openapi.yaml")) as contract,
    ):
        return subprocess.call(schemathesis_command(options, contract), env=environ, cwd=cwd)


@contextmanager
def _work_dir(chosen: Path | None) -> Iterator[Path]:
    """Schemathesis writes `.hypothesis/` and `.schemathesis/` into its cwd: keep them out of the caller's."""
    if chosen is not None:
        chosen.mkdir(parents=True, exist_ok=True)
        yield chosen
        return
    with tempfile.TemporaryDirectory(prefix="codat-mock-verify-") as temporary:
        yield Path(temporary)


@dataclass(frozen=True, slots=True)
class AgreementResult:
    ran: bool
    failure: str | None = None  # the falsifying steps and the assertion, when the suite failed
    note: str = ""


def mints_fresh_tenants(base_url: str) -> bool:
    """Whether an API key nobody has used is accepted and sees an empty tenant, as the emulator does."""
    import httpx

    key = f"codat-mock-verify-probe-{secrets.token_hex(8)}"
    headers = {"Authorization": "Basic " + base64.b64encode(key.encode()).decode()}
    try:
        answer = httpx.get(f"{base_url}/companies", headers=headers, timeout=10)
        return answer.status_code == 200 and answer.json().get("totalResults") == 0
    except (httpx.HTTPError, ValueError, AttributeError):
        return False


def run_agreement(options: VerifyOptions) -> AgreementResult:
    """Suite 2: the agreement state machine over `sdk_stub`, against the deployment."""
    if options.agreement == "off":
        return AgreementResult(ran=False, note="skipped (--agreement off)")
    if options.agreement == "auto" and not mints_fresh_tenants(options.base_url):
        return AgreementResult(
            ran=False,
            note="skipped: an unknown API key does not get an empty tenant here (Codat itself?); "
            "the model needs tenants of its own. Force it with --agreement on.",
        )
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test

    from sdk_stub import CodatClient

    from .agreement import agreement_machine

    machine = agreement_machine(lambda key: CodatClient(key, base_url=options.base_url))
    if options.seed is not None:
        # What `@hypothesis.seed` sets; run_state_machine_as_test reads it off the machine class.
        machine._hypothesis_internal_use_seed = options.seed
    machine_settings = settings(
        max_examples=options.max_examples,
        stateful_step_count=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )

    def run() -> None:
        run_state_machine_as_test(machine, settings=machine_settings)

    try:
        with _work_dir(options.work_dir) as home, _hypothesis_home(home):
            run()
    except Exception as exc:  # any failure of the suite is reported, with Hypothesis' reproduction steps
        return AgreementResult(ran=True, failure="".join(traceback.format_exception(exc)))
    return AgreementResult(ran=True)


@contextmanager
def _hypothesis_home(directory: Path) -> Iterator[None]:
    """Hypothesis' own storage (its constants and charmap caches) under `directory` while the suite runs,
    then back to Hypothesis' default (`$HYPOTHESIS_STORAGE_DIRECTORY`, else `.hypothesis` in the cwd at
    import), which is what a test session that calls `verify` uses."""
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(directory / ".hypothesis")
    try:
        yield
    finally:
        set_hypothesis_home_dir(None)


def add_agreement_to_junit(path: Path, result: AgreementResult) -> None:
    """Append the agreement suite to Schemathesis' JUnit report (or start one), so CI shows both."""
    try:
        tree = ElementTree.parse(path)
        root = tree.getroot()
    except (OSError, ElementTree.ParseError):
        root = ElementTree.Element("testsuites")
        tree = ElementTree.ElementTree(root)
    suite = ElementTree.SubElement(
        root,
        "testsuite",
        name="codat-mock agreement",
        tests="1",
        failures="1" if result.failure else "0",
        skipped="0" if result.ran else "1",
        errors="0",
    )
    case = ElementTree.SubElement(suite, "testcase", name="client-deployment-model", classname="agreement")
    if result.failure:
        failure = ElementTree.SubElement(case, "failure", message="the deployment disagrees with the model")
        failure.text = result.failure
    elif not result.ran:
        ElementTree.SubElement(case, "skipped", message=result.note)
    if root.tag == "testsuites":
        # The top-level totals are what CI dashboards show: they must count the suite just added.
        for total in ("tests", "failures", "errors", "skipped"):
            root.set(total, str(sum(int(s.get(total, 0)) for s in root.iter("testsuite"))))
    tree.write(path, encoding="utf-8", xml_declaration=True)


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
    return f"{tests} test cases reported, {failures} failed, {errors} errored (JUnit XML: {path})"


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
    parser.add_argument(
        "--work-dir",
        type=Path,
        metavar="DIR",
        help="keep Schemathesis' and Hypothesis' caches here, e.g. to replay failures (default: a temporary "
        "directory, removed afterwards; nothing is written to the current directory)",
    )
    parser.add_argument("--workers", default="1", help="concurrent workers, 1-64 or 'auto' (default 1)")
    parser.add_argument(
        "--agreement",
        choices=["auto", "on", "off"],
        default="auto",
        help="the client/model agreement suite: auto runs it where unknown keys get fresh tenants (the emulator)",
    )
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
        agreement=args.agreement,
        work_dir=args.work_dir,
    )
    write = sys.stdout.write
    write(f"{PROG}: checking {options.base_url} against the codat-mock contract\n")
    sys.stdout.flush()
    status = run(options)
    write(f"\n{PROG}: client/model agreement suite...\n")
    sys.stdout.flush()
    agreement = run_agreement(options)
    if agreement.failure:
        write(agreement.failure)
    if options.junit_xml is not None:
        add_agreement_to_junit(options.junit_xml, agreement)

    write(f"\n{PROG}: summary for {options.base_url}\n")
    write(f"  contract (Schemathesis): {'passed' if status == 0 else 'FAILED, see its failures above'}\n")
    agreement_line = (
        "FAILED, see the steps above" if agreement.failure else "passed" if agreement.ran else agreement.note
    )
    write(f"  client/model agreement:  {agreement_line}\n")
    failed = status != 0 or agreement.failure is not None
    write(f"{PROG}: {'FAILED' if failed else 'PASSED: the deployment agrees with the contract'}\n")
    if options.junit_xml is not None:
        write(f"{PROG}: {junit_summary(options.junit_xml)}\n")
    return 1 if failed else 0

"""`codat-mock contract verify`: green against a live emulator, loud against servers that break the contract.

The live run is also the suite's Schemathesis run over a real socket: every phase, the stateful one
included, through Schemathesis' own CLI.
"""

from __future__ import annotations

import socket
import threading
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from contracts.verify import VerifyOptions, add_agreement_to_junit, run_agreement, schemathesis_command
from mock_server.app import create_app
from mock_server.cli import main as cli_main
from mock_server.testing import LiveServer


def _junit(path: Path) -> tuple[int, int, int]:
    root = ElementTree.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    return (
        sum(int(s.get("tests", 0)) for s in suites),
        sum(int(s.get("failures", 0)) for s in suites),
        sum(int(s.get("errors", 0)) for s in suites),
    )


def test_verify_passes_against_a_live_emulator(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "contract.xml"
    with LiveServer() as server:
        status = cli_main(
            [
                "contract",
                "verify",
                "--base-url",
                server.url,
                "--api-key",
                "verify-live",
                "--stateful",
                "--max-examples",
                "30",
                "--seed",
                "7",
                "--junit-xml",
                str(report),
            ]
        )
    out = capfd.readouterr().out
    assert status == 0, out[-4000:]
    assert "PASSED" in out
    assert "client/model agreement:  passed" in out, "the emulator gives fresh keys fresh tenants: suite 2 runs"
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅  {phase}" in out or f"✅ {phase}" in out, f"{phase} did not pass:\n{out[-3000:]}"
    tests, failures, errors = _junit(report)
    assert tests >= 15 and failures == 0 and errors == 0  # 14 operations and the agreement suite


# --- a server that gets the contract wrong ---------------------------------------------------------------


def _broken_app() -> Starlette:
    """Answers every company call with a shape the contract forbids, and a status it does not document."""

    async def list_companies(request: Request) -> Response:
        return JSONResponse({"companies": [{"id": 42}]})  # no `results`, paging or `_links`; id not a string

    async def create_company(request: Request) -> Response:
        return JSONResponse({"id": "not-a-uuid", "name": None}, status_code=201)

    async def anything(request: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/companies", list_companies, methods=["GET"]),
            Route("/companies", create_company, methods=["POST"]),
            Route("/{path:path}", anything, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        ]
    )


@pytest.fixture
def broken_server() -> Iterator[str]:
    yield from _serve(_broken_app())


def test_verify_fails_loudly_against_a_broken_server(
    broken_server: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "broken.xml"
    status = cli_main(
        [
            "contract",
            "verify",
            "--base-url",
            broken_server,
            "--api-key",
            "k",
            "--max-examples",
            "5",
            "--junit-xml",
            str(report),
        ]
    )
    out = capfd.readouterr().out
    assert status == 1
    assert "FAILED" in out
    # The summary names what is wrong, not just that something is.
    assert "Response violates schema" in out or "response_schema_conformance" in out, out[-3000:]
    assert "Undocumented status code" in out, out[-3000:]
    assert "client/model agreement:  skipped: an unknown API key does not get an empty tenant" in out
    tests, failures, errors = _junit(report)
    assert failures + errors > 0


def _serve(app: Any) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def forgetful_emulator() -> Iterator[str]:
    """The real emulator, except that delete-company answers 204 and deletes nothing: contract-valid, wrong."""
    emulator = create_app()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "DELETE" and scope["path"].count("/") == 2:
            await Response(status_code=204)(scope, receive, send)
            return
        await emulator(scope, receive, send)

    yield from _serve(app)


def test_the_agreement_suite_catches_a_deployment_that_disagrees_with_the_model(
    forgetful_emulator: str, tmp_path: Path
) -> None:
    options = VerifyOptions(base_url=forgetful_emulator, api_key="k", agreement="auto", max_examples=30, seed=1)
    result = run_agreement(options)
    assert result.ran and result.failure is not None
    assert "delete_company" in result.failure, "the report carries the steps that reproduce it"
    report = tmp_path / "agreement.xml"
    add_agreement_to_junit(report, result)
    assert _junit(report) == (1, 1, 0)


def test_the_agreement_suite_can_be_switched_off() -> None:
    result = run_agreement(VerifyOptions(base_url="http://127.0.0.1:9", api_key="k", agreement="off"))
    assert not result.ran and result.failure is None and "off" in result.note


# --- usage -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--base-url", "http://localhost:8000"], "API key"),
        (["--base-url", "localhost:8000", "--api-key", "k"], "--base-url"),
        (["--base-url", "http://localhost:8000", "--api-key", "k", "--max-examples", "0"], "--max-examples"),
        (["--api-key", "k"], "--base-url"),
    ],
)
def test_bad_usage_exits_2_naming_the_problem(
    argv: list[str], message: str, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CODAT_API_KEY", raising=False)
    assert cli_main(["contract", "verify", *argv]) == 2
    assert message in capfd.readouterr().err


def test_the_command_runs_every_check_and_phase_with_the_kit() -> None:
    options = VerifyOptions(base_url="http://x", api_key="my-key", stateful=True, max_examples=9, seed=3)
    command = schemathesis_command(options, Path("openapi.yaml"))
    joined = " ".join(command)
    assert "--checks all" in joined
    assert "--exclude-checks positive_data_acceptance" in joined, "the kit's state-aware check replaces it"
    assert "--phases examples,coverage,fuzzing,stateful" in joined
    assert "Authorization: Basic bXkta2V5" in command  # base64("my-key"), as Codat expects
    assert "--max-examples 9" in joined and "--seed 3" in joined
    without = schemathesis_command(VerifyOptions(base_url="http://x", api_key="k"), Path("c"))
    assert "stateful" not in " ".join(without) and "--report" not in without


def test_drift_runs_through_the_main_command(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # A leading option after the tool name used to be swallowed by argparse; the tool must get it.
    upstream = tmp_path / "upstream.json"
    upstream.write_text('{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}')
    status = cli_main(["contract", "drift", "--upstream", str(upstream), "--operations", "get-company"])
    out = capfd.readouterr().out
    assert status == 1, "an upstream without the operation is a breaking difference"
    assert "operation-missing" in out

"""`codat-mock serve`: settings from the environment and flags, argument errors, and the real process.

The live tests start `python -m mock_server serve --port 0` through `LiveServer` and talk HTTP to it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_helpers import basic
from pydantic import ValidationError

from mock_server.cli import main
from mock_server.settings import Settings, SettingsError
from mock_server.testing import LiveServer, LiveServerError

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _auth() -> dict[str, str]:
    return basic(f"cli-test-{uuid.uuid4().hex}")


# -- Settings.from_env --------------------------------------------------------------------------------------


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.public_url is None
    assert settings.log_level == "info"
    assert settings.max_body_bytes == 1024 * 1024


def test_values_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "CODAT_MOCK_HOST": "0.0.0.0",
            "CODAT_MOCK_PORT": "9001",
            "CODAT_MOCK_PUBLIC_URL": "https://mock.example/",
            "CODAT_MOCK_LOG_LEVEL": "DEBUG",
            "CODAT_MOCK_MAX_BODY_BYTES": "2048",
            "CODAT_MOCK_UNRELATED": "ignored",
            "PORT": "1",
        }
    )
    assert settings.host == "0.0.0.0"
    assert settings.port == 9001
    assert settings.public_url == "https://mock.example"
    assert settings.log_level == "debug"
    assert settings.max_body_bytes == 2048


def test_flags_override_the_environment() -> None:
    environ = {
        "CODAT_MOCK_HOST": "0.0.0.0",
        "CODAT_MOCK_PORT": "9001",
        "CODAT_MOCK_PUBLIC_URL": "https://env.example",
        "CODAT_MOCK_LOG_LEVEL": "debug",
    }
    settings = Settings.from_env(
        environ, host="::1", port=0, public_url="http://flag.example:8080/", log_level="warning"
    )
    assert settings.host == "::1"
    assert settings.port == 0
    assert settings.public_url == "http://flag.example:8080"
    assert settings.log_level == "warning"


def test_flags_not_given_leave_the_environment_in_force() -> None:
    settings = Settings.from_env(
        {"CODAT_MOCK_PORT": "9001", "CODAT_MOCK_LOG_LEVEL": "error"},
        host=None,
        port=None,
        public_url=None,
        log_level=None,
    )
    assert settings.port == 9001
    assert settings.log_level == "error"
    assert settings.host == "127.0.0.1"


@pytest.mark.parametrize(
    ("environ", "overrides", "names"),
    [
        ({"CODAT_MOCK_PORT": "abc"}, {}, ["CODAT_MOCK_PORT", "--port", "'abc'"]),
        ({"CODAT_MOCK_PORT": "70000"}, {}, ["CODAT_MOCK_PORT", "65535"]),
        ({}, {"port": -1}, ["--port", "greater than or equal to 0"]),
        ({"CODAT_MOCK_LOG_LEVEL": "loud"}, {}, ["CODAT_MOCK_LOG_LEVEL", "--log-level", "'loud'"]),
        ({"CODAT_MOCK_PUBLIC_URL": "mock.example"}, {}, ["CODAT_MOCK_PUBLIC_URL", "http:// or https://"]),
        ({}, {"public_url": "ftp://mock.example"}, ["--public-url", "'ftp://mock.example'"]),
        ({"CODAT_MOCK_MAX_BODY_BYTES": "0"}, {}, ["CODAT_MOCK_MAX_BODY_BYTES"]),
    ],
    ids=["port-not-int", "port-too-big", "port-negative", "log-level", "public-url-scheme", "flag-url", "body-limit"],
)
def test_invalid_values_raise_settings_error_naming_the_variable(
    environ: dict[str, str], overrides: dict[str, Any], names: list[str]
) -> None:
    with pytest.raises(SettingsError) as excinfo:
        Settings.from_env(environ, **overrides)
    message = str(excinfo.value)
    for name in names:
        assert name in message
    assert isinstance(excinfo.value, ValueError)
    assert excinfo.value.__cause__ is None  # the pydantic error is summarised, not chained


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as excinfo:
        Settings.from_env({"CODAT_MOCK_PORT": "abc", "CODAT_MOCK_LOG_LEVEL": "loud"})
    assert "CODAT_MOCK_PORT" in str(excinfo.value)
    assert "CODAT_MOCK_LOG_LEVEL" in str(excinfo.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://mock.example", "https://mock.example"),
        ("https://mock.example/", "https://mock.example"),
        ("  http://localhost:8000//  ", "http://localhost:8000"),
        ("https://mock.example/codat/", "https://mock.example/codat"),
        ("", None),
        ("   ", None),
    ],
)
def test_public_url_is_normalised(raw: str, expected: str | None) -> None:
    assert Settings.from_env({"CODAT_MOCK_PUBLIC_URL": raw}).public_url == expected
    assert Settings.from_env({}, public_url=raw).public_url == expected


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({})
    with pytest.raises(ValidationError):
        settings.port = 1


# -- main(): argument errors exit 2 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "environ", "stderr_mentions"),
    [
        ([], {}, "COMMAND"),
        (["launch"], {}, "invalid choice"),
        (["serve", "--port", "abc"], {}, "--port"),
        (["serve", "--port"], {}, "--port"),
        (["serve", "--log-level", "loud"], {}, "--log-level"),
        (["serve", "--bogus"], {}, "--bogus"),
        (["serve", "--port", "70000"], {}, "--port"),
        (["serve", "--public-url", "mock.example"], {}, "--public-url"),
        (["serve"], {"CODAT_MOCK_PORT": "abc"}, "CODAT_MOCK_PORT"),
        (["serve"], {"CODAT_MOCK_PUBLIC_URL": "ftp://mock.example"}, "CODAT_MOCK_PUBLIC_URL"),
    ],
)
def test_argument_errors_exit_2(
    argv: list[str], environ: dict[str, str], stderr_mentions: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(argv, environ)
    assert excinfo.value.code == 2
    err = capsys.readouterr().err
    assert "codat-mock" in err
    assert stderr_mentions in err


def test_serve_help_lists_the_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(["serve", "--help"], {})
    assert excinfo.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--host", "--port", "--public-url", "--log-level"):
        assert flag in out
    for variable in ("CODAT_MOCK_HOST", "CODAT_MOCK_PORT", "CODAT_MOCK_PUBLIC_URL", "CODAT_MOCK_LOG_LEVEL"):
        assert variable in out


def test_the_real_cli_exits_2_on_an_invalid_environment() -> None:
    env = {**os.environ, "CODAT_MOCK_LOG_LEVEL": "loud"}
    result = subprocess.run(
        [sys.executable, "-m", "mock_server", "serve", "--port", "0"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert "codat-mock: invalid setting: CODAT_MOCK_LOG_LEVEL / --log-level" in result.stderr
    assert "Uvicorn running" not in result.stderr


# -- the live process ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_server() -> Iterator[LiveServer]:
    """A server with no public URL configured (and none in the environment)."""
    with LiveServer(env={"CODAT_MOCK_PUBLIC_URL": None}) as server:
        yield server


def _create_company_and_connection(
    base_url: str, headers: dict[str, str] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    all_headers = {**_auth(), **(headers or {})}
    with httpx.Client(base_url=base_url, headers=all_headers, timeout=10) as http:
        company_response = http.post("/companies", json={"name": "Link Test"})
        assert company_response.status_code == 200, company_response.text
        company: dict[str, Any] = company_response.json()
        connection_response = http.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"})
        assert connection_response.status_code == 200, connection_response.text
        connection: dict[str, Any] = connection_response.json()
    return company, connection


def _assert_links_on(base: str, company: dict[str, Any], connection: dict[str, Any]) -> None:
    assert company["redirect"] == f"{base}/link/company/{company['id']}"
    assert connection["linkUrl"] == f"{base}/link/companies/{company['id']}/connections/{connection['id']}/start"


def test_live_server_answers_integrations(default_server: LiveServer) -> None:
    assert default_server.url == f"http://127.0.0.1:{default_server.port}"
    assert default_server.port > 0
    assert default_server.process.poll() is None

    response = httpx.get(f"{default_server.url}/integrations", headers=_auth(), timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["pageNumber"] == 1
    assert body["totalResults"] >= 1
    assert "qhyg" in {integration["key"] for integration in body["results"]}

    unauthorised = httpx.get(f"{default_server.url}/integrations", timeout=10)
    assert unauthorised.status_code == 401
    assert unauthorised.json()["error"] == "Unauthorized"

    assert '"GET /integrations HTTP/1.1" 200' in default_server.output()


def test_links_use_the_url_the_request_was_sent_to(default_server: LiveServer) -> None:
    company, connection = _create_company_and_connection(default_server.url)
    _assert_links_on(default_server.url, company, connection)

    # The same server reached under another name: the links follow the Host header of each request.
    other_company, other_connection = _create_company_and_connection(
        default_server.url, headers={"Host": "emulator.internal:8443"}
    )
    _assert_links_on("http://emulator.internal:8443", other_company, other_connection)

    # Links are not stored: the same company fetched under another name carries that name.
    with httpx.Client(base_url=default_server.url, headers=_auth(), timeout=10) as http:
        created = http.post("/companies", json={"name": "Refetch"}).json()
        refetched = http.get(f"/companies/{created['id']}", headers={"Host": "renamed.example"}).json()
    assert created["redirect"] == f"{default_server.url}/link/company/{created['id']}"
    assert refetched["redirect"] == f"http://renamed.example/link/company/{created['id']}"


def test_public_url_flag_is_used_for_links() -> None:
    with LiveServer(["--public-url", "https://mock.example/"], env={"CODAT_MOCK_PUBLIC_URL": None}) as server:
        company, connection = _create_company_and_connection(server.url)
        _assert_links_on("https://mock.example", company, connection)
        # Whatever Host the request carries.
        company, connection = _create_company_and_connection(server.url, headers={"Host": "elsewhere.example"})
        _assert_links_on("https://mock.example", company, connection)


def test_public_url_from_the_environment_is_used_for_links() -> None:
    with LiveServer(env={"CODAT_MOCK_PUBLIC_URL": "http://env.example:9000/base/"}) as server:
        company, connection = _create_company_and_connection(server.url)
        _assert_links_on("http://env.example:9000/base", company, connection)


def test_public_url_flag_wins_over_the_environment() -> None:
    with LiveServer(
        ["--public-url", "https://flag.example"],
        env={"CODAT_MOCK_PUBLIC_URL": "https://env.example", "CODAT_MOCK_PORT": "1"},
    ) as server:
        # --port 0 (given by LiveServer) also wins over CODAT_MOCK_PORT=1.
        assert server.port != 1
        company, connection = _create_company_and_connection(server.url)
        _assert_links_on("https://flag.example", company, connection)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_signal_stops_the_server_cleanly(sig: signal.Signals) -> None:
    with LiveServer(stop_timeout=10) as server:
        response = httpx.get(f"{server.url}/integrations", headers=_auth(), timeout=10)
        assert response.status_code == 200

        started = time.monotonic()
        server.process.send_signal(sig)
        try:
            code = server.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{sig.name} did not stop the server within 5 s; output:\n{server.output()}")
        elapsed = time.monotonic() - started
        assert server.wait_for_output("Finished server process", timeout=5), server.output()

        output = server.output()
        assert code == 0, f"{sig.name}: exit code {code}; output:\n{output}"
        assert elapsed < 5
        assert "Shutting down" in output
        assert "Application shutdown complete" in output
        assert "Finished server process" in output
        assert "Traceback" not in output


# -- the LiveServer helper's own failure reports ------------------------------------------------------------


def test_live_server_reports_a_process_that_exits_early() -> None:
    server = LiveServer(["--log-level", "loud"])
    with pytest.raises(LiveServerError) as excinfo:
        server.start()
    message = str(excinfo.value)
    assert "exited with code 2" in message
    assert "--log-level" in message  # argparse's complaint is part of the report
    assert server.process.poll() == 2


def test_live_server_times_out_with_the_captured_output() -> None:
    # At warning level uvicorn never logs the `Uvicorn running on` line, so the helper cannot find the port.
    server = LiveServer(["--log-level", "warning"], start_timeout=1.5)
    started = time.monotonic()
    with pytest.raises(LiveServerError) as excinfo:
        server.start()
    assert time.monotonic() - started < 10
    assert "did not report `Uvicorn running on ...` within 1.5 s" in str(excinfo.value)
    assert server.process.poll() is not None  # it was stopped, not leaked

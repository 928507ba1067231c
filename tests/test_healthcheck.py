"""`python -m mock_server.healthcheck`, the container image's HEALTHCHECK: 0 when /_mock/health answers."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mock_server.healthcheck import health_url, main
from mock_server.testing import LiveServer

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_the_url_follows_the_configured_port() -> None:
    assert health_url({}) == "http://127.0.0.1:8000/_mock/health"
    assert health_url({"CODAT_MOCK_PORT": " 9001 "}) == "http://127.0.0.1:9001/_mock/health"


def test_healthy_when_the_emulator_answers() -> None:
    with LiveServer() as server:
        result = subprocess.run(
            [sys.executable, "-m", "mock_server.healthcheck"],
            cwd=PROJECT_ROOT,
            env={"CODAT_MOCK_PORT": str(server.port), "PATH": ""},
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert (result.returncode, result.stderr) == (0, "")


def test_unhealthy_when_nothing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = int(probe.getsockname()[1])  # bound, never listening: connections are refused
        assert main({"CODAT_MOCK_PORT": str(closed)}) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"codat-mock healthcheck: http://127.0.0.1:{closed}/_mock/health: ")

"""`codat-mock serve` refuses an address it cannot listen on with one line and exit 2, before start-up;
`codat-mock --version` prints the one version the package has."""

from __future__ import annotations

import importlib.metadata
import socket
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server import __version__
from mock_server.cli import main
from mock_server.preflight import bind_problem

PROJECT_ROOT = Path(__file__).resolve().parents[1]

IN_USE = "port {port} on 127.0.0.1 is in use; choose another with --port, or --port 0 for a free one"


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port some other program listens on (a plain socket, as another emulator would hold it)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


def test_a_free_address_has_no_problem() -> None:
    assert bind_problem("127.0.0.1", 0) is None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = int(probe.getsockname()[1])
    assert bind_problem("127.0.0.1", free) is None


def test_a_port_in_use_is_named_with_what_to_do(taken_port: int) -> None:
    assert bind_problem("127.0.0.1", taken_port) == IN_USE.format(port=taken_port)


def test_an_address_not_on_this_machine_is_named() -> None:
    problem = bind_problem("192.0.2.1", 8000)  # TEST-NET-1: documentation only, never a local address
    assert problem is not None
    assert problem.startswith("cannot listen on 192.0.2.1: it is not an address of this machine")
    assert "--host" in problem


def test_a_host_name_that_does_not_resolve_is_named() -> None:
    problem = bind_problem("no-such-host.invalid", 8000)
    assert problem is not None
    assert problem.startswith("cannot listen on 'no-such-host.invalid': the name does not resolve")


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mock_server", "serve", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_serve_on_a_port_in_use_says_one_line_and_exits_2_before_starting(taken_port: int) -> None:
    result = _serve("--port", str(taken_port))
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"codat-mock: {IN_USE.format(port=taken_port)}\n"
    assert result.stdout == ""  # no start-up log, no traceback


def test_serve_on_an_address_it_cannot_bind_exits_2_before_starting() -> None:
    result = _serve("--host", "192.0.2.1", "--port", "0")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("codat-mock: cannot listen on 192.0.2.1:")
    assert result.stderr.count("\n") == 1
    assert "Started server process" not in result.stdout + result.stderr


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(["--version"], {})
    assert excinfo.value.code == 0
    assert capsys.readouterr().out == f"codat-mock {__version__}\n"
    assert importlib.metadata.version("codat-mock") == __version__
    # One place: pyproject.toml reads it from the package instead of repeating it.
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]


@settings(max_examples=20, deadline=None)
@given(host=st.sampled_from(["127.0.0.1", "localhost"]), listening=st.booleans())
def test_a_port_is_in_use_while_another_socket_holds_it_and_free_after(host: str, listening: bool) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        port = int(holder.getsockname()[1])
        if listening:
            holder.listen()
        # Bound (even without listening) by a socket that did not ask to share it: uvicorn could not bind.
        assert bind_problem(host, port) == IN_USE.format(port=port).replace("127.0.0.1", host, 1)
    assert bind_problem(host, port) is None  # released: free again (the probe itself holds nothing)

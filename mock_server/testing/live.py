"""Run the real `codat-mock serve` CLI in a subprocess, for tests that need a live HTTP server.

    from mock_server.testing import LiveServer

    with LiveServer() as server:
        httpx.get(f"{server.url}/integrations", headers=...)

The server is started as `python -m mock_server serve --port 0 ...` with this interpreter (a free port chosen
by the OS), and the port is read from uvicorn's `Uvicorn running on http://HOST:PORT` line on stderr. That
line is logged at `info`, so the server must run with `--log-level info` (the default) or more verbose.

The pytest plugin's `live` mode runs its server through this class; tests that need a server of their own
(other flags, other environment) use it directly.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

__all__ = ["LiveServer", "LiveServerError"]

_STARTED = re.compile(r"Uvicorn running on (?P<scheme>https?)://(?P<host>\[[^\]]+\]|[^\s:]+):(?P<port>\d+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class LiveServerError(RuntimeError):
    """The server did not start (or did not stop) as expected; the message carries its output."""


class LiveServer:
    """A `codat-mock serve` subprocess on a free port; a context manager.

    `args` are extra command-line arguments after `serve --port 0`; `env` entries override (a value of None
    removes) variables of the current environment; `cwd` is the process's working directory (default: this
    one). On exit the process gets SIGTERM, and SIGKILL if it has not stopped within `stop_timeout` seconds.
    `output()` keeps the last `output_lines` lines: a session-long server logs a line per request.
    """

    def __init__(
        self,
        args: Sequence[str] = (),
        env: Mapping[str, str | None] | None = None,
        *,
        start_timeout: float = 20.0,
        stop_timeout: float = 10.0,
        cwd: str | Path | None = None,
        output_lines: int = 10_000,
    ) -> None:
        self.args = list(args)
        self.env_overrides = dict(env or {})
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.cwd = cwd
        self._process: subprocess.Popen[str] | None = None
        self._lines: deque[str] = deque(maxlen=output_lines)
        self._lock = threading.Lock()
        self._new_line = threading.Condition(self._lock)
        self._reader: threading.Thread | None = None
        self._url: str | None = None
        self._port: int | None = None

    # -- what tests use -------------------------------------------------------------------------------------

    @property
    def command(self) -> list[str]:
        return [sys.executable, "-m", "mock_server", "serve", "--port", "0", *self.args]

    @property
    def url(self) -> str:
        """`http://HOST:PORT` as uvicorn reported it (no trailing slash)."""
        if self._url is None:
            raise LiveServerError("the server has not been started")
        return self._url

    @property
    def port(self) -> int:
        if self._port is None:
            raise LiveServerError("the server has not been started")
        return self._port

    @property
    def process(self) -> subprocess.Popen[str]:
        if self._process is None:
            raise LiveServerError("the server has not been started")
        return self._process

    def output(self) -> str:
        """Everything the process wrote to stdout and stderr so far (merged, in order)."""
        with self._lock:
            return "".join(self._lines)

    def start(self) -> LiveServer:
        if self._process is not None:
            raise LiveServerError("the server was already started")
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        for name, value in self.env_overrides.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        self._process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, name="live-server-output", daemon=True)
        self._reader.start()
        try:
            self._wait_until_running()
        except BaseException:
            self._terminate()
            raise
        return self

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        """Send `sig` and wait for the process to end (killing it after `stop_timeout`); its exit code."""
        return self._terminate(sig)

    def wait_for_output(self, text: str, timeout: float = 10.0) -> bool:
        """Wait until `text` appears in the output; False on timeout or when the process ended without it."""
        deadline = time.monotonic() + timeout
        with self._new_line:
            while text not in "".join(self._lines):
                remaining = deadline - time.monotonic()
                reader_done = self._reader is None or not self._reader.is_alive()
                if remaining <= 0 or reader_done:
                    return text in "".join(self._lines)
                self._new_line.wait(min(remaining, 0.1))
        return True

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._terminate()

    # -- internals ------------------------------------------------------------------------------------------

    def _read(self) -> None:
        process = self._process
        assert process is not None and process.stdout is not None
        try:
            for line in process.stdout:
                with self._new_line:
                    self._lines.append(_ANSI.sub("", line))
                    self._new_line.notify_all()
        finally:
            process.stdout.close()
            with self._new_line:
                self._new_line.notify_all()

    def _wait_until_running(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        with self._new_line:
            while True:
                match = _STARTED.search("".join(self._lines))
                if match is not None:
                    host = match["host"]
                    self._port = int(match["port"])
                    self._url = f"{match['scheme']}://{host}:{self._port}"
                    return
                if self.process.poll() is not None and not (self._reader and self._reader.is_alive()):
                    raise LiveServerError(
                        f"`{' '.join(self.command)}` exited with code {self.process.returncode} before it was "
                        f"running; output:\n{''.join(self._lines)}"
                    )
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise LiveServerError(
                        f"`{' '.join(self.command)}` did not report `Uvicorn running on ...` within "
                        f"{self.start_timeout:g} s; output so far:\n{''.join(self._lines)}"
                    )
                self._new_line.wait(min(remaining, 0.1))

    def _terminate(self, sig: signal.Signals = signal.SIGTERM) -> int:
        process = self._process
        if process is None:
            raise LiveServerError("the server has not been started")
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=self.stop_timeout)
        if self._reader is not None:
            self._reader.join(timeout=self.stop_timeout)
        return process.returncode

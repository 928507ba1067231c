"""`CodatMockServer`: where the emulator runs for a test session, and how to reach it.

Three modes (see docs/pytest-plugin.md):

- `inprocess`: the ASGI app in this process, reached through an in-memory transport; no port, no thread per
  test. `url` is None; clients use the placeholder `IN_PROCESS_BASE_URL`.
- `live`: a real `codat-mock serve` subprocess on a free port (shared by every pytest-xdist worker).
- `external`: a server someone else runs (`CODAT_MOCK_URL`, e.g. the Docker image); checked at `/_mock/ready`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._options import Mode
from ._transports import AsyncInProcessTransport, InProcessTransport, SharedTransport

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from ..testing import LiveServer

__all__ = ["IN_PROCESS_BASE_URL", "CodatMockServer", "CodatMockServerError"]

#: The base URL of the in-process emulator: a name that resolves nowhere (RFC 2606), so a request that escapes
#: the in-process transport fails loudly instead of reaching something real.
IN_PROCESS_BASE_URL = "http://codat-mock.invalid"

ADMIN_HEADER = "X-Codat-Mock-Admin"


class CodatMockServerError(RuntimeError):
    """The emulator could not be started or reached; the message says which and why."""


class CodatMockServer:
    """The session's emulator. Build clients with `client()` / `async_client()`; `close()` stops what it owns.

    - `mode`: `"inprocess"`, `"live"` or `"external"`.
    - `url`: the server's `http://host:port`, or None in-process (there is no socket).
    - `base_url`: what clients send to: `url`, or `IN_PROCESS_BASE_URL` in-process.
    - `app`: the Starlette app in-process (to inspect or wrap), else None.
    - `admin_token`: sent as `X-Codat-Mock-Admin` on the control plane's global operations.
    """

    def __init__(
        self,
        mode: Mode,
        *,
        app: Starlette | None = None,
        url: str | None = None,
        live: LiveServer | None = None,
        admin_token: str | None = None,
    ) -> None:
        if (app is None) == (url is None):
            raise ValueError("give exactly one of app (in-process) and url")
        self.mode = mode
        self.app = app
        self.url = url.rstrip("/") if url is not None else None
        self.base_url = self.url or IN_PROCESS_BASE_URL
        self.admin_token = admin_token
        self._live = live
        self._transport: httpx.BaseTransport = (
            InProcessTransport(app) if app is not None else httpx.HTTPTransport(retries=0)
        )
        self._shared = SharedTransport(self._transport)

    # -- how the plugin makes one --------------------------------------------------------------------------

    @classmethod
    def in_process(cls, *, seed: int | None = None) -> CodatMockServer:
        """A fresh emulator app in this process (deterministic when `seed` is given)."""
        from ..app import create_app
        from ..settings import Settings

        return cls("inprocess", app=create_app(Settings(seed=seed)))

    @classmethod
    def start_live(cls, *, seed: int | None = None) -> CodatMockServer:
        """A `codat-mock serve` subprocess of its own, stopped by `close()`."""
        live = start_live_server(seed=seed)
        return cls("live", url=live.url, live=live)

    @classmethod
    def connect(cls, mode: Mode, url: str, *, admin_token: str | None = None, timeout: float = 30.0) -> CodatMockServer:
        """A server already running at `url`, once its `/_mock/ready` answers 200 (waiting up to `timeout`)."""
        wait_until_ready(url, timeout=timeout)
        return cls(mode, url=url, admin_token=admin_token)

    # -- what tests use -------------------------------------------------------------------------------------

    def client(self, *, headers: Mapping[str, str] | None = None, **kwargs: Any) -> httpx.Client:
        """An `httpx.Client` bound to the emulator (`base_url` set); cheap: it shares the session's transport.

        Close it when done (closing does not affect other clients)."""
        return httpx.Client(transport=self._shared, base_url=self.base_url, headers=headers, **kwargs)

    def async_client(self, *, headers: Mapping[str, str] | None = None, **kwargs: Any) -> httpx.AsyncClient:
        """An `httpx.AsyncClient` bound to the emulator, for async tests.

        In-process it runs the app on the calling event loop. Against a server it
        keeps no idle connections, so an unclosed client leaks no socket; `async with` it all the same."""
        transport: httpx.AsyncBaseTransport
        if self.app is not None:
            transport = AsyncInProcessTransport(self.app)
        else:
            transport = httpx.AsyncHTTPTransport(retries=0, limits=httpx.Limits(max_keepalive_connections=0))
        return httpx.AsyncClient(transport=transport, base_url=self.base_url, headers=headers, **kwargs)

    def admin_headers(self) -> dict[str, str]:
        return {ADMIN_HEADER: self.admin_token} if self.admin_token else {}

    def close(self) -> None:
        self._transport.close()
        if self._live is not None:
            self._live.stop()

    def __repr__(self) -> str:
        return f"<CodatMockServer {self.mode} {self.base_url}>"


def start_live_server(*, seed: int | None = None) -> LiveServer:
    """Start `codat-mock serve` on a free loopback port, isolated from the caller's `CODAT_MOCK_*` variables
    (a live run should behave as an in-process one); the caller stops it."""
    import os

    from ..testing import LiveServer

    args = ["--host", "127.0.0.1", "--log-level", "info"]
    if seed is not None:
        args += ["--seed", str(seed)]
    env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("CODAT_MOCK_")}
    try:
        return LiveServer(args, env=env, output_lines=200).start()
    except Exception as exc:
        raise CodatMockServerError(f"codat-mock: the live emulator did not start: {exc}") from exc


def wait_until_ready(url: str, *, timeout: float) -> None:
    """Poll `url/_mock/ready` until it answers 200; CodatMockServerError naming the URL after `timeout`."""
    deadline = time.monotonic() + timeout
    problem = "no answer"
    with httpx.Client(timeout=5.0) as http:
        while True:
            try:
                response = http.get(url.rstrip("/") + "/_mock/ready")
                if response.status_code == 200:
                    return
                problem = f"HTTP {response.status_code}: {response.text[:200]}"
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if time.monotonic() >= deadline:
                raise CodatMockServerError(
                    f"codat-mock: {url}/_mock/ready did not answer 200 within {timeout:g} s ({problem}); "
                    f"is the emulator running there?"
                )
            time.sleep(0.2)

"""The session fixture `codat_mock_server`, and the live server pytest-xdist workers share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ._options import PluginConfig

if TYPE_CHECKING:
    from ..testing import LiveServer
    from .server import CodatMockServer

CONFIG_KEY = pytest.StashKey[PluginConfig]()
_SHARED_SERVER_KEY: pytest.StashKey[LiveServer | None] = pytest.StashKey()
#: The `workerinput` key under which the xdist controller passes its live server's URL to the workers.
SHARED_URL_KEY = "codat_mock_url"


@pytest.fixture(scope="session")
def codat_mock_server(pytestconfig: pytest.Config) -> Iterator[CodatMockServer]:
    """Where the emulator runs for this session: `.mode`, `.url` (None in-process), `.base_url`, `.app`
    (in-process), `.client()` / `.async_client()` (httpx clients bound to it)."""
    from .server import CodatMockServer, CodatMockServerError

    settings = pytestconfig.stash[CONFIG_KEY]
    shared = getattr(pytestconfig, "workerinput", {}).get(SHARED_URL_KEY)
    try:
        if settings.mode == "inprocess":
            server = CodatMockServer.in_process(seed=settings.server_seed)
        elif settings.mode == "live" and shared is not None:
            server = CodatMockServer.connect("live", shared)
        elif settings.mode == "live":
            server = CodatMockServer.start_live(seed=settings.server_seed)
        else:
            assert settings.external_url is not None
            server = CodatMockServer.connect(
                "external", settings.external_url, admin_token=settings.admin_token, timeout=settings.ready_timeout
            )
    except CodatMockServerError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.close()


def start_shared_server(config: pytest.Config) -> str | None:
    """In the xdist controller: the URL of the one live server every worker uses (started on first call), or
    None when the mode is not `live` or it failed to start (each worker then reports the failure itself)."""
    settings = config.stash[CONFIG_KEY]
    if settings.mode != "live":
        return None
    if _SHARED_SERVER_KEY not in config.stash:
        from .server import CodatMockServerError, start_live_server

        try:
            config.stash[_SHARED_SERVER_KEY] = start_live_server(seed=settings.server_seed)
        except CodatMockServerError:
            config.stash[_SHARED_SERVER_KEY] = None
    live = config.stash[_SHARED_SERVER_KEY]
    return live.url if live is not None else None


def stop_shared_server(config: pytest.Config) -> None:
    live = config.stash.get(_SHARED_SERVER_KEY, None)
    if live is not None:
        live.stop()
        config.stash[_SHARED_SERVER_KEY] = None

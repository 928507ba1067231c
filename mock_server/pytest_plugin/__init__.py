"""codat-mock's pytest plugin: the emulator as fixtures, in-process or live, parallel-safe.

Registered as the `pytest11` entry point `codat_mock`, so installing codat-mock is enough:

    def test_create(codat_client):
        assert codat_client.companies.create(name="Acme").name == "Acme"

Fixtures (one module per group, each imported here so pytest finds it; a new group is a new module and one
import line): `codat_mock_server` (session: where the emulator runs), `codat_mock` (a fresh tenant per test,
with control-plane helpers), `codat_client` / `codat_async_client` (the `sdk_stub` clients for that tenant),
`codat_sdk_kwargs` (for Codat's official SDKs), `codat_webhooks` (a loopback receiver subscribed to the
tenant's webhooks). Choose the mode with `--codat-mock=inprocess|live|external`,
the `codat_mock_mode` ini key or `CODAT_MOCK_URL`; configure a test's tenant with
`@pytest.mark.codat_mock(auto_link=..., seed=..., redirect=...)`. Reference: docs/pytest-plugin.md.

This module and the fixture modules import only pytest and the standard library: pytest loads the plugin in
every project that has codat-mock installed, so the emulator (starlette, pydantic, httpx) is imported only
when a test asks for a fixture.
"""

from __future__ import annotations

import pytest

from ._client_fixtures import codat_async_client, codat_client, codat_sdk_kwargs
from ._options import MARKER_HELP, PluginConfig, add_options, read_config
from ._server_fixtures import CONFIG_KEY, SHARED_URL_KEY, codat_mock_server, start_shared_server, stop_shared_server
from ._tenant_fixtures import codat_mock
from ._webhook_fixtures import codat_webhooks

__all__ = [
    "codat_async_client",
    "codat_client",
    "codat_mock",
    "codat_mock_server",
    "codat_sdk_kwargs",
    "codat_webhooks",
    "pytest_addoption",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_report_header",
    "pytest_unconfigure",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    # Registered here, so projects running with --strict-markers can use the marker without declaring it.
    config.addinivalue_line("markers", MARKER_HELP)
    config.stash[CONFIG_KEY] = read_config(config)


def pytest_report_header(config: pytest.Config) -> str:
    settings: PluginConfig = config.stash[CONFIG_KEY]
    where = f" at {settings.external_url}" if settings.mode == "external" else ""
    return f"codat-mock: {settings.mode}{where}"


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: runs in the controller, once per worker
def pytest_configure_node(node: object) -> None:
    config: pytest.Config = getattr(node, "config")  # noqa: B009  # xdist's WorkerController, untyped here
    workerinput: dict[str, object] = getattr(node, "workerinput")  # noqa: B009
    url = start_shared_server(config)
    if url is not None:
        workerinput[SHARED_URL_KEY] = url


def pytest_unconfigure(config: pytest.Config) -> None:
    stop_shared_server(config)

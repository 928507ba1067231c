"""Clients bound to the test's tenant: `codat_client`, `codat_async_client`, `codat_sdk_kwargs`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from sdk_stub import AsyncCodatClient, CodatClient

    from .tenant import CodatMock


@pytest.fixture
def codat_client(codat_mock: CodatMock) -> Iterator[CodatClient]:
    """An `sdk_stub.CodatClient` for this test's tenant (default retries; `codat_mock.client(retry=None)`
    for a client without)."""
    with codat_mock.client() as client:
        yield client


@pytest.fixture
def codat_async_client(codat_mock: CodatMock) -> AsyncCodatClient:
    """An `sdk_stub.AsyncCodatClient` for this test's tenant, for async tests (anyio, pytest-asyncio).

    A plain fixture, so it works under any async plugin: its transport holds no open connection between
    requests, so there is nothing to close."""
    return codat_mock.async_client()


@pytest.fixture
def codat_sdk_kwargs(codat_mock: CodatMock) -> Iterator[dict[str, Any]]:
    """Keyword arguments that point Codat's official SDKs at this test's tenant:
    `CodatPlatform(**codat_sdk_kwargs)`. `server_url` and `security`; in-process also `client` (an
    `httpx.Client` over the in-process emulator, which the SDKs send every request through)."""
    kwargs = codat_mock.sdk_kwargs()
    try:
        yield kwargs
    finally:
        client = kwargs.get("client")
        if client is not None:
            client.close()

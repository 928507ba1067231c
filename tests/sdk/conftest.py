"""Fixtures for the sdk_stub tests: clients wired to `sdk_fake.FakeCodat` through `httpx.MockTransport`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sdk_fake import API_KEY, BASE_URL, FakeCodat, FakeTime

from sdk_stub import AsyncCodatClient, CodatClient


@pytest.fixture
def fake() -> FakeCodat:
    return FakeCodat()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def client(fake: FakeCodat, fake_time: FakeTime) -> Iterator[CodatClient]:
    with (
        httpx.Client(transport=httpx.MockTransport(fake)) as http,
        CodatClient(API_KEY, base_url=BASE_URL, http_client=http, retry=fake_time.policy()) as codat,
    ):
        yield codat


@pytest.fixture
async def aclient(fake: FakeCodat, fake_time: FakeTime) -> AsyncIterator[AsyncCodatClient]:
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(fake)) as http,
        AsyncCodatClient(API_KEY, base_url=BASE_URL, http_client=http, retry=fake_time.policy()) as codat,
    ):
        yield codat

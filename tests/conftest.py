from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from api_helpers import basic
from hypothesis import settings
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.domain.clock import ManualClock, seeded_ids
from mock_server.domain.store import Store

# Speed is measured by the benchmarks, never by the suite: Hypothesis' per-example deadline only turns a
# loaded CI machine (parallel workers, live servers) into flaky failures, so it is off for every test.
settings.register_profile("codat-mock", deadline=None)
# In CI the same examples every run, so a red build is this change's doing and replays as it was; random
# exploration, which finds the new bugs, runs on developers' machines.
settings.register_profile("codat-mock-ci", deadline=None, derandomize=True, database=None)
settings.load_profile("codat-mock-ci" if os.environ.get("CI") else "codat-mock")


BasicAuth = Callable[[str], dict[str, str]]


@pytest.fixture
def basic_auth() -> BasicAuth:
    """`basic_auth(key)`: the Authorization header for another tenant's API key."""
    return basic


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 1, 9, 30, tzinfo=UTC))


@pytest.fixture
def store(clock: ManualClock) -> Store:
    return Store(clock=clock, ids=seeded_ids(1234))


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store=store), headers=basic("tenant-a")) as test_client:
        yield test_client

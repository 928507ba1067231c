"""Racing clients: many threads create, link, unlink, deauthorize and delete the same objects at once.

Once the dust settles every invariant must hold: at most one Linked accounting connection per company,
every status one of the four, no connection outliving its company, every answer a documented status
in Codat's shape. Bounded: a fixed number of operations per thread.
"""

from __future__ import annotations

import base64
import random
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from mock_server.domain.clock import ManualClock, seeded_ids
from mock_server.domain.enums import ConnectionStatus, SourceType
from mock_server.domain.errors import CodatError
from mock_server.domain.store import Store
from mock_server.testing import LiveServer

THREADS = 8
OPERATIONS_PER_THREAD = 60
PLATFORMS = ["qhyg", "gbol", "akxx", "suuo", "aiwb"]  # three accounting, one banking, one commerce
STATUSES = {s.value for s in ConnectionStatus}
ERROR_FIELDS = {"statusCode", "service", "error", "correlationId", "validation", "canBeRetried", "detailedErrorCode"}


def auth(key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(key.encode()).decode()}


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(["--log-level", "info", "--journal-size", "50"]) as live:
        yield live


class Shared:
    """The ids the threads fight over; appended to by creates, read by everything else."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.companies: list[str] = []
        self.connections: list[tuple[str, str]] = []

    def company(self, rng: random.Random) -> str | None:
        with self.lock:
            return rng.choice(self.companies) if self.companies else None

    def connection(self, rng: random.Random) -> tuple[str, str] | None:
        with self.lock:
            return rng.choice(self.connections) if self.connections else None


def race(server: LiveServer, tenant: str, seed: int) -> tuple[Shared, list[str]]:
    shared = Shared()
    problems: list[str] = []
    headers = auth(tenant)

    def check(response: httpx.Response, allowed: set[int]) -> None:
        if response.status_code not in allowed:
            problems.append(f"{response.request.method} {response.request.url.path}: {response.status_code}")
        if response.status_code >= 400 and set(response.json()) != ERROR_FIELDS:
            problems.append(f"not a Codat error body: {response.text[:200]}")

    def worker(index: int) -> None:
        rng = random.Random(seed * 100 + index)
        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
            for _ in range(OPERATIONS_PER_THREAD):
                op = rng.choice(["company", "connect", "connect", "link", "link", "unlink", "deauth", "delete", "drop"])
                company = shared.company(rng)
                pair = shared.connection(rng)
                if op == "company" or company is None:
                    response = client.post("/companies", json={"name": f"Race {index}"})
                    check(response, {200})
                    with shared.lock:
                        shared.companies.append(response.json()["id"])
                elif op == "connect":
                    response = client.post(
                        f"/companies/{company}/connections", json={"platformKey": rng.choice(PLATFORMS)}
                    )
                    check(response, {200, 404})
                    if response.status_code == 200:
                        with shared.lock:
                            shared.connections.append((company, response.json()["id"]))
                elif pair is None:
                    continue
                elif op == "link":
                    path = f"/companies/{pair[0]}/connections/{pair[1]}/authorization"
                    check(client.put(path, json={"token": "t"}), {200, 400, 404})
                elif op == "unlink":
                    path = f"/companies/{pair[0]}/connections/{pair[1]}"
                    check(client.patch(path, json={"status": "Unlinked"}), {200, 400, 404})
                elif op == "deauth":
                    path = f"/_mock/companies/{pair[0]}/connections/{pair[1]}/deauthorize"
                    check(client.post(path), {200, 400, 404})
                elif op == "delete":
                    check(client.delete(f"/companies/{pair[0]}"), {204, 404})
                else:
                    check(client.delete(f"/companies/{pair[0]}/connections/{pair[1]}"), {200, 404})

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racing client hung"
    return shared, problems


def all_pages(client: httpx.Client, path: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    page = 1
    while True:
        body = client.get(path, params={"page": page, "pageSize": 5000}).json()
        results += body["results"]
        if "next" not in body["_links"]:
            return results
        page += 1


def test_racing_clients_leave_every_invariant_intact(server: LiveServer) -> None:
    tenant = "race-tenant"
    shared, problems = race(server, tenant, seed=7)
    assert problems == []
    with httpx.Client(base_url=server.url, headers=auth(tenant), timeout=30) as client:
        companies = all_pages(client, "/companies")
        listed = {company["id"] for company in companies}
        for company in companies:
            connections = company["dataConnections"]
            assert connections == all_pages(client, f"/companies/{company['id']}/connections")
            assert {c["status"] for c in connections} <= STATUSES
            linked_accounting = [
                c for c in connections if c["status"] == "Linked" and c["sourceType"] == SourceType.ACCOUNTING.value
            ]
            assert len(linked_accounting) <= 1, company
        # No orphans: a connection of a deleted company is gone with it.
        for company_id, connection_id in shared.connections:
            response = client.get(f"/companies/{company_id}/connections/{connection_id}")
            if company_id not in listed:
                assert response.status_code == 404
        for company_id in shared.companies:
            status = client.get(f"/companies/{company_id}").status_code
            assert status == (200 if company_id in listed else 404)
        exported = client.get("/_mock/state").json()
        assert {c["id"] for c in exported["companies"]} == listed


def test_threads_racing_on_the_store_leave_every_invariant_intact() -> None:
    """The same fight without HTTP: the store's lock against real thread concurrency."""
    store = Store(clock=ManualClock(datetime(2026, 3, 1, tzinfo=UTC)), ids=seeded_ids(99))
    tenant = "store-race"
    companies = [store.create_company(tenant, name=f"C{i}").id for i in range(4)]
    connections: list[tuple[str, str]] = []
    lock = threading.Lock()
    unexpected: list[BaseException] = []

    def worker(index: int) -> None:
        rng = random.Random(index)
        actions: list[Callable[[str, str], object]] = [
            lambda c, k: store.authorize(tenant, c, k),
            lambda c, k: store.unlink(tenant, c, k),
            lambda c, k: store.delete_connection(tenant, c, k),
        ]
        for _ in range(400):
            company = rng.choice(companies)
            try:
                if rng.random() < 0.3 or not connections:
                    made = store.create_connection(tenant, company, rng.choice(PLATFORMS))
                    with lock:
                        connections.append((company, made.id))
                else:
                    with lock:
                        pair = rng.choice(connections)
                    rng.choice(actions)(*pair)
            except CodatError:
                pass  # refused moves and vanished connections are expected; anything else is a bug
            except BaseException as exc:
                unexpected.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert unexpected == []
    for company in store.companies(tenant):
        ids = [c.id for c in company.connections]
        assert len(ids) == len(set(ids))
        assert all(c.company_id == company.id for c in company.connections)
        linked = [
            c
            for c in company.connections
            if c.status is ConnectionStatus.LINKED and c.source_type is SourceType.ACCOUNTING
        ]
        assert len(linked) <= 1

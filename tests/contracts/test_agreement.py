"""Client ↔ emulator ↔ model agreement, three ways: sync in-process, async in-process, sync against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from starlette.testclient import TestClient

from contracts.agreement import CodatAgreement, SyncFacade, agreement_machine
from contracts.model import CodatModel, Refused
from mock_server.app import create_app
from mock_server.testing import LiveServer
from sdk_stub import AsyncCodatClient, CodatClient

AGREEMENT_SETTINGS = settings(
    max_examples=40, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def run(machine: type[CodatAgreement]) -> None:
    test_case = machine.TestCase
    test_case.settings = AGREEMENT_SETTINGS
    test_case().runTest()


def test_sync_client_in_process() -> None:
    app = create_app()  # one emulator for the whole run; every example uses fresh API keys (tenants)
    run(agreement_machine(lambda key: CodatClient(key, base_url="http://testserver", http_client=TestClient(app))))


def test_async_client_in_process() -> None:
    app = create_app()

    def make(key: str) -> SyncFacade:
        return SyncFacade(
            lambda: AsyncCodatClient(
                key, base_url="http://emulator", http_client=httpx.AsyncClient(transport=httpx.ASGITransport(app))
            )
        )

    run(agreement_machine(make))


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    with LiveServer() as server:
        yield server


def test_sync_client_against_a_live_server(live: LiveServer) -> None:
    run(agreement_machine(lambda key: CodatClient(key, base_url=live.url)))


# --- the model on its own: it must say what Codat's documentation says -------------------------------------


def test_model_follows_codats_rules() -> None:
    model = CodatModel()
    company = model.expect_created("Company (Codat[1])", None, None)
    assert (company.name, company.description) == ("Company Codat1", "")
    company.id = "c1"
    model.add_company("t", company)
    connection = model.expect_connection("t", "c1", "qhyg")
    connection.id = "k1"
    model.add_connection("t", "c1", connection)
    other = model.expect_connection("t", "c1", "gbol")
    other.id = "k2"
    model.add_connection("t", "c1", other)
    refusals: list[tuple[int, Any]] = [
        (400, lambda: model.unlink("t", "c1", "k1")),
        (404, lambda: model.company("other-tenant", "c1")),
        (404, lambda: model.expect_connection("t", "c1", "zzzz")),
        (400, lambda: model.expect_created("()", None, None)),
        (400, lambda: model.check_tags({f"k{i}": "v" for i in range(11)})),
    ]
    for status, call in refusals:
        with pytest.raises(Refused) as raised:
            call()
        assert raised.value.status == status
    assert model.authorize("t", "c1", "k1").status == "Linked"
    with pytest.raises(Refused):
        model.authorize("t", "c1", "k2")  # one linked accounting connection per company
    assert model.unlink("t", "c1", "k1").status == "Unlinked"
    assert model.authorize("t", "c1", "k2").status == "Linked"

"""With the journal off and no fault rules the middleware steps aside, but only while it has nothing to do:
an auto-link policy or a new fault rule takes effect on the very next request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_helpers import basic
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.domain.store import Store
from mock_server.settings import Settings


@pytest.fixture
def quiet(store: Store) -> Iterator[TestClient]:
    app = create_app(Settings(journal_size=0), store=store)
    with TestClient(app, headers=basic("idle-tenant")) as client:
        yield client


def test_auto_link_still_settles_reads_with_the_journal_off(quiet: TestClient) -> None:
    company = quiet.post("/companies", json={"name": "Quiet"}).json()["id"]
    connection = quiet.post(f"/companies/{company}/connections", json={"platformKey": "qhyg"}).json()["id"]
    assert quiet.get(f"/companies/{company}/connections/{connection}").json()["status"] == "PendingAuth"
    assert quiet.put("/_mock/settings", json={"autoLink": {"mode": "immediate"}}).status_code == 200
    assert quiet.get(f"/companies/{company}/connections/{connection}").json()["status"] == "Linked"


def test_a_fault_rule_applies_at_once_with_the_journal_off(quiet: TestClient) -> None:
    assert quiet.get("/integrations").status_code == 200
    rule = {"operationId": "list-integrations", "status": 503, "count": 1}
    assert quiet.post("/_mock/faults", json=rule).status_code == 201
    faulted = quiet.get("/integrations")
    assert faulted.status_code == 503
    assert faulted.json()["statusCode"] == 503
    assert quiet.get("/integrations").status_code == 200  # count spent: idle again

"""Auto-link policies as an API caller sees them: which reads count, and when Linked appears."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import basic
from starlette.testclient import TestClient


def policy(client: TestClient, **auto_link: Any) -> None:
    assert client.put("/_mock/settings", json={"autoLink": auto_link}).status_code == 200


def setup(client: TestClient, key: str = "qhyg") -> tuple[dict[str, Any], dict[str, Any]]:
    company: dict[str, Any] = client.post("/companies", json={"name": "Acme"}).json()
    connection: dict[str, Any] = client.post(
        f"/companies/{company['id']}/connections", json={"platformKey": key}
    ).json()
    return company, connection


def test_manual_is_the_default(client: TestClient) -> None:
    company, connection = setup(client)
    for _ in range(3):
        assert (
            client.get(f"/companies/{company['id']}/connections/{connection['id']}").json()["status"] == "PendingAuth"
        )


def test_immediate_links_from_the_first_read(client: TestClient) -> None:
    policy(client, mode="immediate")
    company, connection = setup(client)
    assert connection["status"] == "PendingAuth"  # create-connection's own answer, as Codat's
    assert client.get(f"/companies/{company['id']}/connections/{connection['id']}").json()["status"] == "Linked"


@pytest.mark.parametrize(
    "read",
    [
        lambda c, company, connection: c.get(f"/companies/{company}/connections/{connection}").json()["status"],
        lambda c, company, connection: c.get(f"/companies/{company}/connections").json()["results"][0]["status"],
        lambda c, company, connection: c.get(f"/companies/{company}").json()["dataConnections"][0]["status"],
        lambda c, company, connection: c.get("/companies").json()["results"][0]["dataConnections"][0]["status"],
    ],
    ids=["get-connection", "list-connections", "get-company", "list-companies"],
)
def test_after_reads_counts_every_kind_of_read(client: TestClient, read: Any) -> None:
    policy(client, mode="afterReads", reads=2)
    company, connection = setup(client)
    seen = [read(client, company["id"], connection["id"]) for _ in range(4)]
    assert seen == ["PendingAuth", "PendingAuth", "Linked", "Linked"]


def test_reads_of_different_kinds_add_up(client: TestClient) -> None:
    policy(client, mode="afterReads", reads=3)
    company, connection = setup(client)
    url = f"/companies/{company['id']}"
    assert client.get(f"{url}/connections/{connection['id']}").json()["status"] == "PendingAuth"
    assert client.get(url).json()["dataConnections"][0]["status"] == "PendingAuth"
    # Writes and unrelated reads do not count.
    client.patch(url, json={"name": "Renamed"})
    client.get("/integrations")
    client.get(f"/link/companies/{company['id']}/connections/{connection['id']}/start")
    client.get("/_mock/state")
    assert client.get("/companies?query=dataConnections.status%3DPendingAuth").json()["totalResults"] == 1
    assert client.get(f"{url}/connections").json()["results"][0]["status"] == "Linked"


def test_after_seconds_follows_the_clock(client: TestClient) -> None:
    policy(client, mode="afterSeconds", seconds=30)
    company, connection = setup(client)
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    assert client.get(url).json()["status"] == "PendingAuth"
    client.post("/_mock/clock", json={"advanceSeconds": 29.999})
    assert client.get(url).json()["status"] == "PendingAuth"
    client.post("/_mock/clock", json={"advanceSeconds": 0.001})
    assert client.get(url).json()["status"] == "Linked"


def test_listings_filter_on_what_the_policy_made(client: TestClient) -> None:
    policy(client, mode="immediate")
    setup(client)
    listed = client.get("/companies?query=dataConnections.status%3DLinked").json()
    assert listed["totalResults"] == 1


def test_one_linked_accounting_connection_still_holds(client: TestClient) -> None:
    policy(client, mode="immediate")
    company, first = setup(client, "qhyg")
    second = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "gbol"}).json()
    statuses = [c["status"] for c in client.get(f"/companies/{company['id']}/connections").json()["results"]]
    assert statuses == ["Linked", "PendingAuth"]
    refetched = client.get(f"/companies/{company['id']}/connections/{second['id']}").json()
    assert "dataConnectionErrors" not in refetched
    client.patch(f"/companies/{company['id']}/connections/{first['id']}", json={"status": "Unlinked"})
    assert client.get(f"/companies/{company['id']}/connections/{second['id']}").json()["status"] == "Linked"


def test_faulted_reads_do_not_count(client: TestClient) -> None:
    policy(client, mode="afterReads", reads=1)
    company, connection = setup(client)
    client.post("/_mock/faults", json={"operationId": "get-connection", "status": 503, "count": 3})
    url = f"/companies/{company['id']}/connections/{connection['id']}"
    assert [client.get(url).status_code for _ in range(3)] == [503, 503, 503]
    assert client.get(url).json()["status"] == "PendingAuth"
    assert client.get(url).json()["status"] == "Linked"


def test_policies_are_per_tenant(client: TestClient) -> None:

    other = basic("tenant-b")
    policy(client, mode="immediate")
    company = client.post("/companies", json={"name": "B"}, headers=other).json()
    connection = client.post(
        f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}, headers=other
    ).json()
    fetched = client.get(f"/companies/{company['id']}/connections/{connection['id']}", headers=other).json()
    assert fetched["status"] == "PendingAuth"

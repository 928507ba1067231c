"""Property: whatever API operations a tenant makes, its consumer receives exactly the events a reference model
of Codat's lifecycle predicts, in the order they happened.

Bounded on purpose: few examples of short sequences, retries scaled by 0.001, one emulator and one receiver
for the whole module (each example is a fresh tenant with its own consumer URL).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from webhook_helpers import add_consumer, flush, new_tenant, running_emulator

from mock_server.testing import WebhookReceiver

ACCOUNTING, BANKING = "qhyg", "suuo"


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[TestClient, WebhookReceiver]]:
    with WebhookReceiver() as receiver, running_emulator() as client:
        yield client, receiver


@dataclass
class ModelConnection:
    id: str
    accounting: bool
    status: str = "PendingAuth"


@dataclass
class ModelCompany:
    id: str
    connections: list[ModelConnection] = field(default_factory=list)


@dataclass
class Model:
    """Codat's lifecycle as the events it produces: (eventType, subject id) in order."""

    companies: list[ModelCompany] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)

    def authorize(self, company: ModelCompany, connection: ModelConnection) -> None:
        if connection.status == "Linked":
            return
        if connection.accounting and any(
            c is not connection and c.accounting and c.status == "Linked" for c in company.connections
        ):
            return  # refused: one Linked accounting connection per company
        kind = "connection.connected" if connection.status == "PendingAuth" else "connection.reconnected"
        connection.status = "Linked"
        self.events.append((kind, connection.id))

    def fail(self, connection: ModelConnection) -> None:
        if connection.status != "Linked":
            self.events.append(("connection.failed", connection.id))

    def disconnect(self, connection: ModelConnection, to: str) -> None:
        if connection.status == "Linked":
            connection.status = to
            self.events.append(("connection.disconnected", connection.id))


operations = st.lists(
    st.tuples(
        # Lifecycle moves weigh more than deletions, so short sequences reach reconnects and refusals.
        st.sampled_from(
            [
                "create-company",
                "create-connection",
                "create-connection",
                "authorize",
                "authorize",
                "authorize",
                "cancel",
                "unlink",
                "unlink",
                "deauthorize",
                "delete-connection",
                "delete-company",
            ]
        ),
        st.integers(0, 1),
        st.booleans(),
    ),
    min_size=4,
    max_size=12,
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=operations)
def test_delivered_events_are_exactly_the_predicted_ones(
    world: tuple[TestClient, WebhookReceiver], steps: list[tuple[str, int, bool]]
) -> None:
    client, receiver = world
    auth = new_tenant()
    path = f"/webhooks/{uuid.uuid4().hex}"
    add_consumer(client, auth, receiver.url.removesuffix("/webhooks") + path)
    model = Model()
    # Every sequence starts from a company with an accounting and a banking connection, so that short
    # sequences spend their steps on the lifecycle rather than on building something to act on.
    for name, accounting in [("create-company", False), ("create-connection", True), ("create-connection", False)]:
        run(client, auth, model, name, 0, accounting)
    for name, pick, accounting in steps:
        run(client, auth, model, name, pick, accounting)
    flush(client, auth)
    delivered = []
    for webhook in receiver.received:
        if webhook.path != path:
            continue
        body = webhook.body
        subject = body["payload"]["connection"]["id"] if "connection" in body["payload"] else body["payload"]["id"]
        delivered.append((body["eventType"], subject))
    assert delivered == model.events


def run(client: TestClient, auth: dict[str, str], model: Model, name: str, pick: int, accounting: bool) -> None:
    if name == "create-company":
        company = client.post("/companies", json={"name": "Prop Ltd"}, headers=auth).json()
        model.companies.append(ModelCompany(company["id"]))
        model.events.append(("company.created", company["id"]))
        return
    if not model.companies:
        return
    company = model.companies[pick % len(model.companies)]
    base = f"/companies/{company.id}"
    if name == "delete-company":
        assert client.delete(base, headers=auth).status_code == 204
        model.companies.remove(company)
        model.events.append(("company.deleted", company.id))
        return
    if name == "create-connection":
        platform = ACCOUNTING if accounting else BANKING
        made = client.post(f"{base}/connections", json={"platformKey": platform}, headers=auth).json()
        company.connections.append(ModelConnection(made["id"], accounting))
        model.events.append(("connection.created", made["id"]))
        return
    if not company.connections:
        return
    connection = company.connections[pick % len(company.connections)]
    at = f"{base}/connections/{connection.id}"
    mock = f"/_mock/companies/{company.id}/connections/{connection.id}"
    if name == "authorize":
        client.put(f"{at}/authorization", json={}, headers=auth)
        model.authorize(company, connection)
    elif name == "cancel":
        client.post(f"{mock}/cancel", headers=auth)
        model.fail(connection)
    elif name == "unlink":
        client.patch(at, json={"status": "Unlinked"}, headers=auth)
        model.disconnect(connection, "Unlinked")
    elif name == "deauthorize":
        client.post(f"{mock}/deauthorize", headers=auth)
        model.disconnect(connection, "Deauthorized")
    elif name == "delete-connection":
        assert client.delete(at, headers=auth).status_code == 200
        company.connections.remove(connection)
        model.events.append(("connection.deleted", connection.id))

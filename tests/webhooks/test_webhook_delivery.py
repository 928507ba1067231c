"""Delivery end to end: a real loopback receiver, signatures checked by the independent `standardwebhooks`.

Each test runs the app with its lifespan (so the sender runs) and retries scaled by 0.001; tests wait
with `POST /_mock/webhooks/flush`, never by sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from codat_platform.models.shared.companywebhook import CompanyWebhook
from codat_platform.models.shared.connectionwebhook import ConnectionWebhook
from standardwebhooks import Webhook
from starlette.testclient import TestClient
from webhook_helpers import SEED_FLOW_EVENTS, add_consumer, flush, new_tenant, running_emulator, secret_of, seed_flow

from mock_server.testing import ReceivedWebhook, WebhookReceiver


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with running_emulator() as client:
        yield client


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


def deliveries(client: TestClient, auth: dict[str, str], **filters: str) -> list[dict[str, Any]]:
    response = client.get("/_mock/webhooks/deliveries", params=filters, headers=auth)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["deliveries"]
    return found


def test_seed_flow_arrives_in_order_signed_and_in_codats_shapes(client: TestClient, receiver: WebhookReceiver) -> None:
    auth = new_tenant()
    consumer = add_consumer(client, auth, receiver.url)
    secret = secret_of(client, auth, consumer["id"])
    company_id, connection_id = seed_flow(client, auth, tags={"region": "uk"})
    flush(client, auth)
    assert receiver.event_types() == SEED_FLOW_EVENTS
    verifier = Webhook(secret)
    for webhook in receiver.received:
        assert webhook.headers["content-type"] == "application/json"
        verified = verifier.verify(webhook.raw, dict(webhook.headers))  # raises unless the signature holds
        assert verified["id"] == webhook.headers["webhook-id"]
        assert set(verified) == {"id", "eventType", "generatedDate", "payload"}
    bodies = [w.body for w in receiver.received]
    company_created, company_deleted = bodies[0], bodies[-1]
    for body in (company_created, company_deleted):
        assert CompanyWebhook.model_validate(body).payload.id == company_id
        assert set(body["payload"]) <= {"id", "name", "description", "redirect", "lastSync", "created", "tags"}
        assert body["payload"]["tags"] == {"region": "uk"}
    statuses = []
    for body in bodies[1:-1]:
        parsed = ConnectionWebhook.model_validate(body)
        assert parsed.payload.connection.id == connection_id
        reference = body["payload"]["referenceCompany"]
        assert reference["id"] == company_id and reference["tags"] == {"region": "uk"}
        assert set(reference) == {"id", "name", "description", "links", "tags"}
        statuses.append(body["payload"]["connection"]["status"])
    assert statuses == ["PendingAuth", "Linked", "Unlinked", "Unlinked"]
    assert len({w.headers["webhook-id"] for w in receiver.received}) == len(SEED_FLOW_EVENTS)


def test_link_cancel_deauthorize_and_reconnect_events(client: TestClient, receiver: WebhookReceiver) -> None:
    auth = new_tenant()
    add_consumer(client, auth, receiver.url, eventTypes=[t for t in EVENTS if t.startswith("connection.")])
    company = client.post("/companies", json={"name": "Acme"}, headers=auth).json()
    connection = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}, headers=auth)
    mock = f"/_mock/companies/{company['id']}/connections/{connection.json()['id']}"
    for action in ("cancel", "authorize", "deauthorize", "authorize"):
        assert client.post(f"{mock}/{action}", headers=auth).status_code == 200
    flush(client, auth)
    assert receiver.event_types() == [
        "connection.created",
        "connection.failed",
        "connection.connected",
        "connection.disconnected",
        "connection.reconnected",
    ]
    failed, disconnected = receiver.received[1].body, receiver.received[3].body
    assert failed["payload"]["connection"]["status"] == "PendingAuth"
    assert failed["payload"]["connection"]["dataConnectionErrors"][0]["statusCode"] == "403"
    assert disconnected["payload"]["connection"]["status"] == "Deauthorized"
    assert disconnected["payload"]["connection"]["dataConnectionErrors"][-1]["statusCode"] == "401"
    for webhook in receiver.received:
        ConnectionWebhook.model_validate(webhook.body)


EVENTS = [
    "company.created",
    "company.deleted",
    "connection.created",
    "connection.connected",
    "connection.failed",
    "connection.disconnected",
    "connection.reconnected",
    "connection.deleted",
]


def test_a_failed_attempt_is_retried_with_the_same_webhook_id(client: TestClient) -> None:
    answers = iter([500])

    def respond(webhook: ReceivedWebhook) -> int:
        return next(answers, 200)

    auth = new_tenant()
    with WebhookReceiver(respond) as receiver:
        url = receiver.url
        add_consumer(client, auth, url, eventTypes=["company.created"])
        client.post("/companies", json={"name": "Retry Ltd"}, headers=auth)
        flush(client, auth)
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.raw == second.raw
    [delivery] = deliveries(client, auth)
    assert delivery["state"] == "succeeded"
    assert [a["statusCode"] for a in delivery["attempts"]] == [500, 200]
    journal = client.get("/_mock/journal", params={"operationId": "webhook-delivery"}, headers=auth).json()
    assert [(e["method"], e["path"], e["status"]) for e in journal["entries"]] == [
        ("POST", url, 500),
        ("POST", url, 200),
    ]


def test_a_failing_delivery_holds_later_ones_for_its_consumer(client: TestClient) -> None:
    answers = iter([503, 503])
    auth = new_tenant()
    with WebhookReceiver(lambda webhook: next(answers, 200)) as receiver:
        add_consumer(client, auth, receiver.url)
        client.post("/companies", json={"name": "First"}, headers=auth)
        client.post("/companies", json={"name": "Second"}, headers=auth)
        flush(client, auth)
    names = [w.body["payload"]["name"] for w in receiver.received]
    assert names == ["First", "First", "First", "Second"]


def test_company_tag_filters_and_disabled_consumers(client: TestClient) -> None:
    auth = new_tenant()
    with WebhookReceiver() as uk, WebhookReceiver() as either, WebhookReceiver() as off:
        add_consumer(client, auth, uk.url, companyTags=["region:uk"])
        add_consumer(client, auth, either.url, companyTags=["region:us", "tier:gold"])
        add_consumer(client, auth, off.url, disabled=True)
        for name, tags in [("A", {"region": "uk"}), ("B", {"region": "UK"}), ("C", {"tier": "gold"}), ("D", {})]:
            client.post("/companies", json={"name": name, "tags": tags}, headers=auth)
        flush(client, auth)
        assert [w.body["payload"]["name"] for w in uk.received] == ["A"]
        assert [w.body["payload"]["name"] for w in either.received] == ["C"]
        assert off.received == []


def test_nothing_is_delivered_after_the_consumer_is_deleted(client: TestClient) -> None:
    auth = new_tenant()
    with WebhookReceiver(lambda webhook: 500) as receiver:
        consumer = add_consumer(client, auth, receiver.url)
        client.post("/_mock/webhooks/pause", headers=auth)
        client.post("/companies", json={"name": "Queued"}, headers=auth)
        assert client.delete(f"/webhooks/{consumer['id']}", headers=auth).status_code == 204
        client.post("/_mock/webhooks/resume", headers=auth)
        client.post("/companies", json={"name": "After"}, headers=auth)
        flush(client, auth)
        assert receiver.received == []
    [cancelled] = deliveries(client, auth)
    assert cancelled["state"] == "cancelled" and cancelled["attempts"] == []


def test_one_tenants_events_never_reach_another_tenants_consumers(client: TestClient) -> None:
    mine, theirs = new_tenant(), new_tenant()
    with WebhookReceiver() as my_receiver, WebhookReceiver() as their_receiver:
        add_consumer(client, mine, my_receiver.url)
        add_consumer(client, theirs, their_receiver.url)
        client.post("/companies", json={"name": "Mine"}, headers=mine)
        flush(client, mine)
        flush(client, theirs)
        assert [w.body["payload"]["name"] for w in my_receiver.received] == ["Mine"]
        assert their_receiver.received == []
    assert deliveries(client, theirs) == []


def test_pause_flush_resume_and_replay(client: TestClient, receiver: WebhookReceiver) -> None:
    auth = new_tenant()
    add_consumer(client, auth, receiver.url)
    paused = client.post("/_mock/webhooks/pause", headers=auth).json()
    assert paused["paused"] is True and paused["running"] is True
    client.post("/companies", json={"name": "Held"}, headers=auth)
    held = client.post("/_mock/webhooks/flush", headers=auth).json()
    assert held["drained"] is False and held["waiting"] == 1  # answers at once: nothing can drain
    assert receiver.received == []
    assert client.post("/_mock/webhooks/resume", headers=auth).json()["paused"] is False
    flush(client, auth)
    [delivery] = deliveries(client, auth, eventType="company.created", state="succeeded")
    replayed = client.post(f"/_mock/webhooks/deliveries/{delivery['id']}/replay", headers=auth)
    assert replayed.status_code == 202 and replayed.json()["replayOf"] == delivery["id"]
    flush(client, auth)
    assert [w.webhook_id for w in receiver.received] == [delivery["eventId"]] * 2
    assert client.post("/_mock/webhooks/deliveries/nope/replay", headers=auth).status_code == 404
    assert client.post("/_mock/webhooks/deliveries/x/replay", headers=new_tenant()).status_code == 404


def test_a_full_queue_drops_the_oldest_and_counts_it(receiver: WebhookReceiver) -> None:
    with running_emulator(webhook_queue_size=2) as client:
        auth = new_tenant()
        add_consumer(client, auth, receiver.url)
        client.post("/_mock/webhooks/pause", headers=auth)
        for name in ("One", "Two", "Three"):
            client.post("/companies", json={"name": name}, headers=auth)
        status = client.get("/_mock/webhooks", headers=auth).json()
        assert (status["waiting"], status["dropped"], status["capacity"]) == (2, 1, 2)
        client.post("/_mock/webhooks/resume", headers=auth)
        flush(client, auth)
        assert [w.body["payload"]["name"] for w in receiver.received] == ["Two", "Three"]
        [dropped] = deliveries(client, auth, state="dropped")
        assert dropped["attempts"] == [] and dropped["nextAttemptAt"] is None


def test_a_receiver_that_never_answers_does_not_hold_up_the_api() -> None:
    # Structural, not timed: every API call returns while the attempt it caused is still in flight.
    with WebhookReceiver(lambda webhook: None) as hung, running_emulator(webhook_timeout=3600) as client:
        auth = new_tenant()
        add_consumer(client, auth, hung.url)
        client.post("/companies", json={"name": "Stuck"}, headers=auth)
        hung.wait_for("company.created", timeout=20)  # the attempt has reached the receiver, which holds it
        for i in range(5):
            response = client.post("/companies", json={"name": f"Still fine {i}"}, headers=auth)
            assert response.status_code == 200
        assert client.get("/companies", headers=auth).json()["totalResults"] == 6
        in_flight = deliveries(client, auth)
        assert len(in_flight) == 6
        assert all(d["state"] == "pending" and d["attempts"] == [] for d in in_flight)
        not_yet = client.post("/_mock/webhooks/flush", params={"timeout": 0.2}, headers=auth).json()
        assert not_yet["drained"] is False and not_yet["waiting"] == 6
    # Leaving the block stopped the emulator with an attempt in flight, and the receiver: nothing hangs.


def test_without_a_running_lifespan_deliveries_wait_and_flush_says_so(receiver: WebhookReceiver) -> None:
    from mock_server.app import create_app
    from mock_server.settings import Settings

    client = TestClient(create_app(Settings()))  # not entered: no lifespan, so no sender
    auth = new_tenant()
    add_consumer(client, auth, receiver.url)
    client.post("/companies", json={"name": "Later"}, headers=auth)
    result = client.post("/_mock/webhooks/flush", headers=auth).json()
    assert result["drained"] is False and result["running"] is False and result["waiting"] == 1

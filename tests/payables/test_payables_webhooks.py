"""Bill Pay writes as webhooks: `{dataType}.write.successful`, opt-in, signed, in Codat's write-request shape.

A real loopback receiver gets the deliveries; the independent `standardwebhooks` checks every signature and
the official `codat-platform` SDK's `DataTypeWriteWebhook` model parses every body. Tests wait with
`POST /_mock/webhooks/flush`, never by sleeping.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from codat_platform.models.shared.datatypewritewebhook import DataTypeWriteWebhook
from hypothesis import given
from hypothesis import strategies as st
from payables_helpers import BillPay, link
from standardwebhooks import Webhook
from starlette.testclient import TestClient

from mock_server.domain.events import WRITE_EVENT_TYPES, EventType
from mock_server.domain.webhooks.consumers import Consumer
from mock_server.testing import WebhookReceiver

WRITE_TYPES = sorted(t.value for t in WRITE_EVENT_TYPES)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


def subscribe(bp: BillPay, url: str, event_types: list[str] | None) -> dict[str, Any]:
    body: dict[str, Any] = {"url": url}
    if event_types is not None:
        body["eventTypes"] = event_types
    created = bp.http.post("/webhooks", json=body, headers=bp.auth)
    assert created.status_code == 201, created.text
    consumer: dict[str, Any] = created.json()
    return consumer


def flush(bp: BillPay) -> None:
    flushed = bp.http.post("/_mock/webhooks/flush", params={"timeout": 20}, headers=bp.auth)
    assert flushed.status_code == 200 and flushed.json()["drained"], flushed.text


def linked(client: TestClient, platform: str = "qhyg") -> BillPay:
    return link(client, f"payhooks-{uuid.uuid4().hex}", platform)


def test_every_write_is_delivered_signed_in_codats_shape(client: TestClient, receiver: WebhookReceiver) -> None:
    bp = linked(client)
    consumer = subscribe(bp, receiver.url, WRITE_TYPES)
    secret = bp.http.get(f"/_mock/webhooks/consumers/{consumer['id']}/secret", headers=bp.auth).json()["secret"]

    supplier = bp.call("POST", "/suppliers", json={"supplierName": "Hooks Ltd", "status": "Active"}).json()
    bill = bp.create_bill(supplierRef={"id": supplier["id"]}, currency=supplier["defaultCurrency"])
    updated = bp.call("PUT", f"/bills/{bill['id']}", json=bp.bill_body(supplierRef={"id": supplier["id"]}))
    assert updated.status_code == 200, updated.text
    pdf = {"file": ("inv.pdf", b"%PDF-1", "application/pdf")}
    upload = bp.call("POST", f"/bills/{bill['id']}/attachments", files=pdf)
    assert upload.status_code == 201, upload.text
    payment = bp.pay(bill["id"], 20)
    assert payment.status_code == 201, payment.text
    account = bp.call(
        "POST", "/bankAccounts", json={"name": "Card", "accountType": "Credit", "accountNumber": "4", "currency": "USD"}
    ).json()
    renamed = bp.call("PUT", f"/suppliers/{supplier['id']}", json={"supplierName": "Hooks Two", "status": "Active"})
    assert renamed.status_code == 200, renamed.text
    flush(bp)

    expected = [
        ("suppliers.write.successful", "Create", supplier["id"]),
        ("bills.write.successful", "Create", bill["id"]),
        ("bills.write.successful", "Update", bill["id"]),
        ("bills.write.successful", "UploadAttachment", bill["id"]),
        ("billPayments.write.successful", "Create", payment.json()["id"]),
        ("bankAccounts.write.successful", "Create", account["id"]),
        ("suppliers.write.successful", "Update", supplier["id"]),
    ]
    bodies = [w.body for w in receiver.received]
    assert [(b["eventType"], b["payload"]["type"], b["payload"]["record"]["id"]) for b in bodies] == expected
    verifier = Webhook(secret)
    request_ids = set()
    for webhook in receiver.received:
        verified = verifier.verify(webhook.raw, dict(webhook.headers))  # raises unless the signature holds
        assert verified["id"] == webhook.headers["webhook-id"]
        parsed = DataTypeWriteWebhook.model_validate(webhook.body)
        assert parsed.payload is not None and parsed.payload.status is not None
        assert parsed.payload.status.value == "Success"
        payload = webhook.body["payload"]
        assert set(payload) == {
            "id", "type", "referenceCompany", "connectionId", "requestedOnDate", "completedOnDate", "status",
            "record", "attachmentId",
        }  # fmt: skip
        assert payload["referenceCompany"] == {"id": bp.company_id, "name": "Bill Pay Ltd", "description": ""}
        assert payload["connectionId"] == bp.connection_id
        assert payload["requestedOnDate"] == payload["completedOnDate"]
        uuid.UUID(payload["id"])
        request_ids.add(payload["id"])
        expected_attachment = upload.json()["id"] if payload["type"] == "UploadAttachment" else None
        assert payload["attachmentId"] == expected_attachment
    assert len(request_ids) == len(expected)  # one write request each


def test_a_refused_write_sends_nothing(client: TestClient, receiver: WebhookReceiver) -> None:
    bp = linked(client)
    subscribe(bp, receiver.url, WRITE_TYPES)
    bill = bp.create_bill()
    flush(bp)
    assert receiver.event_types() == ["bills.write.successful"]

    refused = [
        bp.call("POST", "/bills", json=bp.bill_body(status="Paid")),
        bp.call("PUT", f"/bills/{bill['id']}", json=bp.bill_body(lineItems=[])),
        bp.pay(bill["id"], 10_000),  # more than is due
        bp.call("POST", "/suppliers", json={"status": "Active"}),  # no name
        bp.call("POST", "/bankAccounts", json={"name": "No number", "accountType": "Debit", "currency": "USD"}),
        bp.call("POST", f"/bills/{bill['id']}/attachments", files={"file": ("virus.exe", b"MZ", "x/y")}),
    ]
    assert [r.status_code for r in refused] == [400] * len(refused), [r.text for r in refused]
    flush(bp)
    assert receiver.event_types() == ["bills.write.successful"]
    deliveries = bp.http.get("/_mock/webhooks/deliveries", headers=bp.auth).json()["deliveries"]
    assert len(deliveries) == 1


def test_an_idempotent_replay_is_not_a_second_write(client: TestClient, receiver: WebhookReceiver) -> None:
    bp = linked(client)
    subscribe(bp, receiver.url, ["bills.write.successful"])
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = bp.bill_body()
    first = bp.call("POST", "/bills", json=body, headers=key)
    again = bp.call("POST", "/bills", json=body, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    flush(bp)
    assert receiver.event_types() == ["bills.write.successful"]


def test_write_events_are_opt_in(client: TestClient) -> None:
    bp = linked(client)
    with WebhookReceiver() as everything, WebhookReceiver() as suppliers, WebhookReceiver() as lifecycle:
        subscribe(bp, everything.url, None)  # no eventTypes: "every event"
        subscribe(bp, suppliers.url, ["suppliers.write.successful"])
        subscribe(bp, lifecycle.url, ["connection.disconnected"])
        supplier = bp.call("POST", "/suppliers", json={"supplierName": "Opt In Ltd", "status": "Active"})
        assert supplier.status_code == 201, supplier.text
        bp.create_bill()
        unlinked = bp.http.patch(
            f"/companies/{bp.company_id}/connections/{bp.connection_id}", json={"status": "Unlinked"}, headers=bp.auth
        )
        assert unlinked.status_code == 200, unlinked.text
        flush(bp)
        # A consumer of every event gets the lifecycle events but not the Bill Pay writes it did not name.
        assert everything.event_types() == ["connection.disconnected"]
        assert suppliers.event_types() == ["suppliers.write.successful"]
        assert suppliers.received[0].body["payload"]["record"]["id"] == supplier.json()["id"]
        assert lifecycle.event_types() == ["connection.disconnected"]


def test_another_tenants_consumer_gets_nothing(client: TestClient, receiver: WebhookReceiver) -> None:
    ours, theirs = linked(client), linked(client)
    subscribe(theirs, receiver.url, WRITE_TYPES)
    ours.create_bill()
    flush(ours)
    flush(theirs)
    assert receiver.event_types() == []


@given(
    event_type=st.sampled_from([t.value for t in EventType] + ["read.completed", "bills.write.unsuccessful"]),
    subscribed=st.lists(st.sampled_from([t.value for t in EventType] + ["DataSyncCompleted"]), max_size=6),
)
def test_a_consumer_wants_write_events_only_by_name(event_type: str, subscribed: list[str]) -> None:
    consumer = Consumer("c", "http://127.0.0.1:1/", tuple(subscribed), None, False, "whsec_x")
    # With no eventTypes: everything but the opt-in writes (the emulator never sends the unknown names anyway).
    expected = event_type in subscribed if subscribed else event_type not in WRITE_EVENT_TYPES
    assert consumer.wants(event_type, {}) is expected

"""Continuation tokens, `query`, `statusQuery`, Idempotency-Key and the write events."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from payables_helpers import BillPay, link
from starlette.testclient import TestClient

from mock_server.domain.events import DomainEvent, EventType
from mock_server.domain.store import Store


@pytest.fixture
def xero(client: TestClient) -> BillPay:
    return link(client, f"paging-{uuid.uuid4().hex}", "gbol")


def _walk(bp: BillPay, path: str, key: str = "results", **params: Any) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    token = None
    for _ in range(50):
        query = dict(params) | ({"continuationToken": token} if token else {})
        page = bp.get(path, params=query)
        assert page.status_code == 200, page.text
        seen += page.json()[key]
        token = page.json()["pagination"].get("continuationToken")
        if token is None:
            return seen
    raise AssertionError("paging did not end")


def test_pages_of_100_cover_every_supplier_once(xero: BillPay) -> None:
    for i in range(230):
        created = xero.call("POST", "/suppliers", json={"supplierName": f"Supplier {i:03d}", "status": "Active"})
        assert created.status_code == 201
    first = xero.get("/suppliers").json()
    assert len(first["results"]) == 100 and "continuationToken" in first["pagination"]
    everyone = _walk(xero, "/suppliers")
    assert len(everyone) == 235 and len({s["id"] for s in everyone}) == 235
    active = _walk(xero, "/suppliers", query="status=Active")
    assert len(active) == 234


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "e30",
        base64.urlsafe_b64encode(json.dumps({"offset": 100, "scope": "x", "check": "y"}).encode()).decode(),
    ],
)
def test_a_bad_token_is_a_400(xero: BillPay, token: str) -> None:
    answer = xero.get("/suppliers", params={"continuationToken": token})
    assert answer.status_code == 400
    assert answer.json()["validation"]["errors"][0]["itemId"] == "continuationToken"


def test_a_token_is_bound_to_its_query(xero: BillPay) -> None:
    for i in range(120):
        xero.call("POST", "/suppliers", json={"supplierName": f"S{i}", "status": "Active"})
    token = xero.get("/suppliers").json()["pagination"]["continuationToken"]
    assert xero.get("/suppliers", params={"continuationToken": token}).status_code == 200
    moved = xero.get("/suppliers", params={"continuationToken": token, "query": "status=Active"})
    assert moved.status_code == 400


def test_bill_query_widens_and_narrows(xero: BillPay) -> None:
    everything = xero.all_bills()
    paid = xero.get("/bills", params={"query": "status=Paid"}).json()["results"]
    assert paid and {b["status"] for b in paid} == {"Paid"}
    name = everything[0]["supplierRef"]["supplierName"]
    by_supplier = xero.get("/bills", params={"query": f"supplierRef.supplierName={name}"}).json()["results"]
    assert by_supplier and {b["supplierRef"]["supplierName"] for b in by_supplier} == {name}
    recent = xero.get("/bills", params={"query": "sourceModifiedDate>2000-01-01T00:00:00Z&&amountDue>0"}).json()
    assert {b["status"] for b in recent["results"]} <= {"Open", "PartiallyPaid", "Draft"}
    bad = xero.get("/bills", params={"query": "colour=red"})
    assert bad.status_code == 400 and "Could not resolve property colour" in bad.json()["error"]
    bad_status = xero.get("/mappingOptions/bills", params={"statusQuery": "colour=Active"})
    assert bad_status.status_code == 400
    assert bad_status.json()["validation"]["errors"][0]["itemId"] == "statusQuery"


def test_idempotency_key_replays_and_conflicts(xero: BillPay) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = xero.bill_body()
    first = xero.call("POST", "/bills", json=body, headers=key)
    again = xero.call("POST", "/bills", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert sum(b["id"] == first.json()["id"] for b in xero.all_bills()) == 1
    before = xero.all_bills()
    other = xero.call("POST", "/bills", json={**body, "reference": "other"}, headers=key)
    assert other.status_code == 422 and other.json()["statusCode"] == 422
    assert xero.all_bills() == before

    refused_key = {"Idempotency-Key": str(uuid.uuid4())}
    bad = {**body, "status": "Paid"}
    assert xero.call("POST", "/bills", json=bad, headers=refused_key).status_code == 400
    assert xero.call("POST", "/bills", json=bad, headers=refused_key).status_code == 400, "a 400 is replayed too"

    pay_key = {"Idempotency-Key": str(uuid.uuid4())}
    bill = xero.create_bill()
    assert xero.pay(bill["id"], 5, headers=pay_key).status_code == 201
    assert xero.pay(bill["id"], 5, headers=pay_key).status_code == 201
    assert xero.bill(bill["id"])["amountDue"] == bill["totalAmount"] - 5, "a replayed payment is not paid twice"


def test_writes_emit_domain_events(client: TestClient, store: Store) -> None:
    events: list[DomainEvent] = []
    store.subscribe(events.append)
    bp = link(client, f"events-{uuid.uuid4().hex}", "qhyg")
    bill = bp.create_bill()
    bp.call("PUT", f"/bills/{bill['id']}", json=bp.bill_body())
    bp.call("POST", f"/bills/{bill['id']}/attachments", files={"file": ("a.pdf", b"x")})
    bp.pay(bill["id"], 1)
    supplier = bp.call("POST", "/suppliers", json={"supplierName": "E", "status": "Active"}).json()
    bp.call("PUT", f"/suppliers/{supplier['id']}", json={"supplierName": "E2", "status": "Active"})
    account = bp.call(
        "POST", "/bankAccounts", json={"name": "B", "accountType": "Credit", "accountNumber": "1", "currency": "USD"}
    ).json()
    bp.pay(bill["id"], -1)  # refused: no event
    writes = [(e.type, e.write.operation, e.write.record_id) for e in events if e.write is not None]
    payment_event = writes[3]
    assert writes == [
        (EventType.BILLS_WRITE_SUCCESSFUL, "Create", bill["id"]),
        (EventType.BILLS_WRITE_SUCCESSFUL, "Update", bill["id"]),
        (EventType.BILLS_WRITE_SUCCESSFUL, "UploadAttachment", bill["id"]),
        (EventType.BILL_PAYMENTS_WRITE_SUCCESSFUL, "Create", payment_event[2]),
        (EventType.SUPPLIERS_WRITE_SUCCESSFUL, "Create", supplier["id"]),
        (EventType.SUPPLIERS_WRITE_SUCCESSFUL, "Update", supplier["id"]),
        (EventType.BANK_ACCOUNTS_WRITE_SUCCESSFUL, "Create", account["id"]),
    ]
    assert all(e.connection is not None and e.connection.id == bp.connection_id for e in events if e.write)

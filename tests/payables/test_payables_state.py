"""The ledger in export/import and reset, and its life with its connection."""

from __future__ import annotations

import base64
import uuid
from typing import Any

from payables_helpers import BillPay, link
from starlette.testclient import TestClient

from mock_server.domain.store import Store


def _tenant() -> str:
    return f"state-{uuid.uuid4().hex}"


def _answers(bp: BillPay) -> list[Any]:
    bills = bp.all_bills()
    return [
        bp.get("/info").json(),
        bills,
        bp.get("/suppliers").json(),
        bp.options(),
        bp.bank_accounts(),
        [bp.get(f"/bills/{b['id']}/attachments").json() for b in bills],
    ]


def test_export_import_round_trip_keeps_every_answer(client: TestClient) -> None:
    bp = link(client, _tenant(), "gbol")
    bill = bp.create_bill()
    bp.pay(bill["id"], 10.5)
    content = bytes(range(256))
    attachment = bp.call("POST", f"/bills/{bill['id']}/attachments", files={"file": ("a.pdf", content)}).json()
    supplier = bp.call("POST", "/suppliers", json={"supplierName": "Exported", "status": "Active"}).json()
    before = _answers(bp)

    exported = client.get("/_mock/state", headers=bp.auth)
    assert exported.status_code == 200
    document = exported.json()
    ledger = document["companies"][0]["connections"][0]["ledger"]
    assert bill["id"] in ledger["bills"] and supplier["id"] in ledger["suppliers"]
    assert base64.b64decode(ledger["attachments"][attachment["id"]]["content"]) == content

    assert client.post("/_mock/reset", headers=bp.auth).status_code == 200
    assert client.put("/_mock/state", json=document, headers=bp.auth).status_code == 200
    assert _answers(bp) == before
    download = bp.get(f"/bills/{bill['id']}/attachments/{attachment['id']}/download")
    assert download.content == content
    again = client.get("/_mock/state", headers=bp.auth).json()
    assert again == document, "export(import(export)) == export"

    # The next write continues the id sequence: no id is handed out twice.
    newer = bp.create_bill()
    assert newer["id"] not in {b["id"] for b in before[1]}


def test_reset_and_deletion_forget_the_ledger(client: TestClient, store: Store) -> None:
    tenant = _tenant()
    bp = link(client, tenant, "qhyg")
    bp.create_bill()
    assert store.payables.get(tenant, bp.connection_id) is not None
    assert client.post("/_mock/reset", headers=bp.auth).status_code == 200
    assert store.payables.get(tenant, bp.connection_id) is None

    bp = link(client, tenant, "qhyg")
    bp.create_bill()
    deleted = client.delete(f"/companies/{bp.company_id}/connections/{bp.connection_id}", headers=bp.auth)
    assert deleted.status_code == 200
    assert store.payables.get(tenant, bp.connection_id) is None

    bp = link(client, tenant, "qhyg")
    bp.create_bill()
    assert client.delete(f"/companies/{bp.company_id}", headers=bp.auth).status_code == 204
    assert store.payables.get(tenant, bp.connection_id) is None


def test_an_imported_ledger_is_served_as_given(client: TestClient) -> None:
    bp = link(client, _tenant(), "fbrh")
    document = client.get("/_mock/state", headers=bp.auth).json()
    connection = document["companies"][0]["connections"][0]
    assert connection["ledger"]["bills"], "linking seeded the ledger"
    connection["ledger"] = {
        "companyName": "Seeded Books",
        "baseCurrency": "GBP",
        "suppliers": {
            "s1": {"supplierName": "Only Supplier", "status": "Active", "sourceModifiedDate": "2026-01-01T00:00:00Z"}
        },
        "bills": {
            "b1": {
                "supplierId": "s1",
                "issueDate": "2026-01-01",
                "dueDate": "2026-01-31",
                "currency": "GBP",
                "status": "Open",
                "totalAmount": 100,
                "amountDue": 100,
                "sourceModifiedDate": "2026-01-01T00:00:00Z",
                "lineItems": [{"unitAmount": 100, "quantity": 1, "taxAmount": 0, "totalAmount": 100}],
            }
        },
        "bankAccounts": {
            "090": {
                "name": "Current",
                "accountType": "Debit",
                "currency": "GBP",
                "status": "Active",
                "sourceModifiedDate": "2026-01-01T00:00:00Z",
            }
        },
    }
    assert client.put("/_mock/state", json=document, headers=bp.auth).status_code == 200
    assert bp.get("/info").json() == {"companyName": "Seeded Books", "baseCurrency": "GBP"}
    bills = bp.get("/bills").json()["results"]
    assert [(b["id"], b["amountDue"], b["issueDate"]) for b in bills] == [("b1", 100, "2026-01-01T00:00:00")]
    assert bp.get("/suppliers").json()["results"][0]["balance"] == 100
    paid = bp.call("POST", "/bills/b1/payment", json={"amount": 100, "date": "2026-01-02", "accountRef": {"id": "090"}})
    assert paid.status_code == 201, paid.text
    assert bp.get("/bills").json()["results"] == []


def test_a_broken_ledger_is_refused_and_changes_nothing(client: TestClient) -> None:
    bp = link(client, _tenant(), "gbol")
    before = client.get("/_mock/state", headers=bp.auth).json()
    document = client.get("/_mock/state", headers=bp.auth).json()
    document["companies"][0]["connections"][0]["ledger"] = {
        "companyName": "x",
        "baseCurrency": "GBP",
        "attachments": {
            str(uuid.uuid4()): {
                "billId": "b",
                "name": "a.pdf",
                "contentType": "application/pdf",
                "content": "not base64!",
                "dateCreated": "2026-01-01T00:00:00Z",
            }
        },
    }
    refused = client.put("/_mock/state", json=document, headers=bp.auth)
    assert refused.status_code == 400
    assert refused.json()["validation"]["errors"][0]["itemId"].endswith(".ledger")
    document["companies"][0]["connections"][0]["ledger"] = {"companyName": "x", "baseCurrency": "GBP", "nextNumber": 0}
    assert client.put("/_mock/state", json=document, headers=bp.auth).status_code == 400
    assert client.get("/_mock/state", headers=bp.auth).json() == before


def test_the_control_plane_seeds_a_ledger(client: TestClient) -> None:
    bp = link(client, _tenant(), "akxx")
    seeded_path = f"/_mock/companies/{bp.company_id}/connections/{bp.connection_id}/payables/seed"
    linked = bp.all_bills()
    bp.create_bill()
    again = client.post(seeded_path, json={}, headers=bp.auth)
    assert again.status_code == 200
    assert bp.all_bills() == linked, "no seed: the ledger linking gave it, the new bill gone"
    other = client.post(seeded_path, json={"seed": 7}, headers=bp.auth)
    assert other.status_code == 200 and other.json()["bills"]
    assert client.post(seeded_path, json={"seed": 7}, headers=bp.auth).json() == other.json(), "same seed, same ledger"
    assert {b["id"] for b in bp.all_bills()} == set(other.json()["bills"])
    assert client.post(seeded_path, json={"seed": -1}, headers=bp.auth).status_code == 400
    missing = f"/_mock/companies/{bp.company_id}/connections/{uuid.uuid4()}/payables/seed"
    assert client.post(missing, json={}, headers=bp.auth).status_code == 404


def test_an_auto_link_policy_links_before_a_bill_pay_call(client: TestClient) -> None:
    auth = {"Authorization": "Basic " + base64.b64encode(_tenant().encode()).decode()}
    assert client.put("/_mock/settings", json={"autoLink": {"mode": "immediate"}}, headers=auth).status_code == 200
    company = client.post("/companies", json={"name": "Auto"}, headers=auth).json()["id"]
    connection = client.post(f"/companies/{company}/connections", json={"platformKey": "gbol"}, headers=auth).json()
    assert connection["status"] == "PendingAuth"
    info = client.get(f"/companies/{company}/connections/{connection['id']}/payables/info", headers=auth)
    assert info.status_code == 200, "a Bill Pay call is a read of its connection: the policy links it first"
    assert info.json()["baseCurrency"] == "GBP"

"""The Bill Pay process over HTTP, on every platform: read, create, update, attach, pay, and the refusals."""

from __future__ import annotations

import uuid

import pytest
from payables_helpers import SUPPORTED, BillPay, link
from starlette.testclient import TestClient


@pytest.fixture(params=SUPPORTED)
def bp(request: pytest.FixtureRequest, client: TestClient) -> BillPay:
    return link(client, f"payables-{uuid.uuid4().hex}", request.param)


def test_company_information_and_options(bp: BillPay) -> None:
    info = bp.get("/info")
    assert info.status_code == 200
    assert info.json() == {"companyName": "Bill Pay Ltd", "baseCurrency": info.json()["baseCurrency"]}
    assert len(info.json()["baseCurrency"]) == 3
    options = bp.options()
    assert options["accounts"] and options["taxRates"]
    assert {a["status"] for a in options["accounts"]} == {"Active"}
    archived = bp.get("/mappingOptions/bills", params={"statusQuery": "status=Archived"}).json()
    assert archived["accounts"] and {a["status"] for a in archived["accounts"]} == {"Archived"}
    both = bp.get("/mappingOptions/bills", params={"statusQuery": "status=Active||status=Archived"}).json()
    assert len(both["accounts"]) == len(options["accounts"]) + len(archived["accounts"])
    banks = bp.bank_accounts()
    assert banks and {b["status"] for b in banks} == {"Active"}
    assert {b["accountType"] for b in banks} <= {"Debit", "Credit", "Unknown"}


def test_seed_bills_are_consistent(bp: BillPay) -> None:
    bills = bp.all_bills()
    statuses = {b["status"] for b in bills}
    assert {"Open", "PartiallyPaid", "Paid"} <= statuses
    for bill in bills:
        lines = sum(round(line["totalAmount"], 2) for line in bill["lineItems"])
        assert round(lines, 2) == bill["totalAmount"]
        for line in bill["lineItems"]:
            expected = line["unitAmount"] * line["quantity"] + line["taxAmount"]
            assert round(expected, 2) == line["totalAmount"]
        if bill["status"] in ("Open", "Draft"):
            assert bill["amountDue"] == bill["totalAmount"]
        elif bill["status"] == "PartiallyPaid":
            assert 0 < bill["amountDue"] < bill["totalAmount"]
        else:
            assert bill["amountDue"] == 0
    default = bp.get("/bills").json()["results"]
    assert default and {b["status"] for b in default} <= {"Open", "PartiallyPaid"}
    suppliers = bp.get("/suppliers").json()["results"]
    assert [s["status"] for s in suppliers].count("Archived") == 1


def test_create_update_attach_and_pay(bp: BillPay) -> None:
    bill = bp.create_bill()
    assert bill["status"] == "Open"
    assert bill["totalAmount"] == 220 and bill["amountDue"] == 220  # 100 × 2 + 20, computed by the server
    first_modified = bill["sourceModifiedDate"]

    two_lines = [bp.line(amount=10, quantity=1, tax=0), bp.line(amount=5, quantity=3, tax=1)]
    updated = bp.call("PUT", f"/bills/{bill['id']}", json=bp.bill_body(lineItems=two_lines, reference="PO-2"))
    assert updated.status_code == 200, updated.text
    assert updated.json()["totalAmount"] == 26 and len(updated.json()["lineItems"]) == 2
    assert updated.json()["reference"] == "PO-2"
    assert updated.json()["sourceModifiedDate"] >= first_modified

    content = b"%PDF-1.4 the supplier's invoice \x00\xff"
    uploaded = bp.call(
        "POST", f"/bills/{bill['id']}/attachments", files={"file": ("invoice.pdf", content, "application/pdf")}
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    assert attachment["fileSize"] == len(content) and attachment["name"] == "invoice.pdf"
    listed = bp.get(f"/bills/{bill['id']}/attachments")
    assert listed.status_code == 200 and [a["id"] for a in listed.json()] == [attachment["id"]]
    download = bp.get(f"/bills/{bill['id']}/attachments/{attachment['id']}/download")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.content == content

    part = bp.pay(bill["id"], 6)
    assert part.status_code == 201, part.text
    assert part.json()["amount"] == 6 and part.json()["accountRef"]["id"]
    after = bp.bill(bill["id"])
    assert after["status"] == "PartiallyPaid" and after["amountDue"] == 20

    refused = bp.call("PUT", f"/bills/{bill['id']}", json=bp.bill_body())
    assert refused.status_code == 400, "a part-paid bill cannot be updated"
    assert bp.pay(bill["id"], 20.01).status_code == 400, "no overpayment"
    rest = bp.pay(bill["id"], 20)
    assert rest.status_code == 201
    paid = bp.bill(bill["id"])
    assert paid["status"] == "Paid" and paid["amountDue"] == 0
    assert bp.pay(bill["id"], 1).status_code == 400, "a paid bill takes no payment"
    assert bill["id"] not in [b["id"] for b in bp.get("/bills").json()["results"]], (
        "paid bills are not listed by default"
    )


def test_suppliers_and_bank_accounts(bp: BillPay) -> None:
    created = bp.call(
        "POST",
        "/suppliers",
        json={
            "supplierName": f"New Supplier {bp.platform}",
            "status": "Active",
            "addresses": [{"type": "Billing", "line1": "1 High St", "country": "GB"}],
        },
    )
    assert created.status_code == 201, created.text
    supplier = created.json()
    assert supplier["status"] == "Active" and supplier["addresses"][0]["country"] == "GB"
    replaced = bp.call(
        "PUT", f"/suppliers/{supplier['id']}", json={"supplierName": f"Renamed {bp.platform}", "status": "Active"}
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["supplierName"] == f"Renamed {bp.platform}"
    assert replaced.json()["addresses"] is None, "update is a full replace"
    bill = bp.create_bill(supplierRef={"id": supplier["id"]}, currency=replaced.json()["defaultCurrency"] or "GBP")
    assert bill["supplierRef"]["id"] == supplier["id"]

    base = bp.get("/info").json()["baseCurrency"]
    account = bp.call(
        "POST",
        "/bankAccounts",
        json={"name": "Payments Wallet", "accountType": "Debit", "accountNumber": "12345678", "currency": base},
    )
    assert account.status_code == 201, account.text
    assert account.json()["status"] == "Active"
    assert account.json()["id"] in [b["id"] for b in bp.bank_accounts()]
    paid = bp.pay(bill["id"], 1, accountRef={"id": account.json()["id"]})
    assert paid.status_code == 201, paid.text

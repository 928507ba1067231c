"""The refusals: each a Codat ErrorMessage naming the field, and none of them changes anything."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from api_helpers import basic
from payables_helpers import SUPPORTED, BillPay, link
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.domain.store import Store
from mock_server.settings import Settings

ERROR_KEYS = {"statusCode", "service", "error", "correlationId", "validation", "canBeRetried", "detailedErrorCode"}


def _tenant() -> str:
    return f"rules-{uuid.uuid4().hex}"


def _refused(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == ERROR_KEYS and body["statusCode"] == status
    if field is not None:
        items = [item["itemId"] for item in body["validation"]["errors"]]
        assert field in items, (field, items)
    return body


@pytest.fixture
def qbo(client: TestClient) -> BillPay:
    return link(client, _tenant(), "qhyg")


def _same_ledger(bp: BillPay, before: list[dict[str, Any]]) -> None:
    assert bp.all_bills() == before, "a refused request changed the ledger"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "Draft"}, "status"),
        ({"status": None}, "status"),
        ({"supplierRef": None}, "supplierRef"),
        ({"supplierRef": {"id": ""}}, "supplierRef.id"),
        ({"supplierRef": {"id": "no-such-supplier"}}, "supplierRef.id"),
        ({"issueDate": "yesterday"}, "issueDate"),
        ({"dueDate": None}, "dueDate"),
        ({"currency": "US"}, "currency"),
        ({"currencyRate": 0}, "currencyRate"),
        ({"lineItems": []}, "lineItems"),
        ({"lineItems": None}, "lineItems"),
        ({"reference": "R" * 22}, "reference"),  # QuickBooks Online: at most 21
    ],
)
def test_bad_bills_are_refused_naming_the_field(qbo: BillPay, change: dict[str, Any], field: str) -> None:
    before = qbo.all_bills()
    body = {k: v for k, v in qbo.bill_body(**change).items() if v is not None}
    _refused(qbo.call("POST", "/bills", json=body), 400, field)
    _same_ledger(qbo, before)


def test_unknown_or_archived_references_in_lines(qbo: BillPay) -> None:
    options = qbo.get("/mappingOptions/bills", params={"statusQuery": "status=Archived"}).json()
    archived_account = options["accounts"][0]["id"]
    for line_change, field in [
        ({"accountRef": {"id": "999999"}}, "lineItems.0.accountRef.id"),
        ({"accountRef": {"id": archived_account}}, "lineItems.0.accountRef.id"),
        ({"taxRateRef": {"id": "nope"}}, "lineItems.0.taxRateRef.id"),
        ({"taxRateRef": None}, "lineItems.0.taxRateRef"),  # QuickBooks Online requires a tax rate
    ]:
        line = {k: v for k, v in {**qbo.line(), **line_change}.items() if v is not None}
        _refused(qbo.call("POST", "/bills", json=qbo.bill_body(lineItems=[line])), 400, field)


def test_negative_total_is_refused(qbo: BillPay) -> None:
    line = qbo.line(amount=-50, quantity=1, tax=0)
    _refused(qbo.call("POST", "/bills", json=qbo.bill_body(lineItems=[line])), 400, "lineItems")


def test_archived_supplier_cannot_be_billed(qbo: BillPay) -> None:
    archived = next(s for s in qbo.get("/suppliers").json()["results"] if s["status"] == "Archived")
    _refused(qbo.call("POST", "/bills", json=qbo.bill_body(supplierRef={"id": archived["id"]})), 400, "supplierRef.id")


def test_unknown_bill_is_404(qbo: BillPay) -> None:
    _refused(qbo.call("PUT", "/bills/404404", json=qbo.bill_body()), 404)
    _refused(qbo.pay("404404", 1), 404)
    _refused(qbo.get("/bills/404404/attachments"), 404)
    _refused(qbo.call("PUT", "/suppliers/404404", json={"supplierName": "x", "status": "Active"}), 404)


@pytest.mark.parametrize("amount", [0, -1, 1e20])
def test_bad_payment_amounts_change_nothing(qbo: BillPay, amount: float) -> None:
    bill = qbo.create_bill()
    before = qbo.all_bills()
    _refused(qbo.pay(bill["id"], amount), 400, "amount")
    _same_ledger(qbo, before)


def test_payment_account_must_be_an_active_bank_account(qbo: BillPay) -> None:
    bill = qbo.create_bill()
    archived = qbo.get("/mappingOptions/payments", params={"statusQuery": "status=Archived"}).json()["bankAccounts"]
    before = qbo.all_bills()
    _refused(qbo.pay(bill["id"], 1, accountRef={"id": archived[0]["id"]}), 400, "accountRef.id")
    _refused(qbo.pay(bill["id"], 1, accountRef={"id": "nope"}), 400, "accountRef.id")
    _refused(qbo.pay(bill["id"], 1, accountRef={"id": "nope"}, date="soon"), 400, "date")
    _same_ledger(qbo, before)


def test_void_and_draft_bills_take_no_payment(client: TestClient) -> None:
    xero = link(client, _tenant(), "gbol")
    for bill in xero.all_bills():
        if bill["status"] in ("Void", "Draft", "Paid"):
            _refused(xero.pay(bill["id"], 0.01), 400, "billId")


def test_sdk_empty_body_reads_as_an_empty_object(qbo: BillPay) -> None:
    # Codat marks the body optional; the SDK sends none when the prototype is left out. It reads as `{}`, so
    # the answer names the fields a bill needs, with or without a Content-Type.
    needed = {"status", "supplierRef", "issueDate", "dueDate", "currency", "lineItems"}
    for headers in ({"Content-Type": "application/json"}, {}):
        body = _refused(qbo.call("POST", "/bills", content=b"", headers=headers), 400)
        assert {item["itemId"] for item in body["validation"]["errors"]} == needed
    _refused(qbo.call("POST", "/bills", content=b"{}", headers={"Content-Type": "text/plain"}), 400, "Content-Type")
    _refused(qbo.call("POST", "/bills", json={"lineItems": "many"}), 400)


# --- the connection ------------------------------------------------------------------------------------------


def test_a_connection_that_is_not_linked_is_refused(client: TestClient) -> None:
    bp = link(client, _tenant(), "gbol")
    bill = bp.all_bills()[0]["id"]
    unlink = client.patch(
        f"/companies/{bp.company_id}/connections/{bp.connection_id}", json={"status": "Unlinked"}, headers=bp.auth
    )
    assert unlink.status_code == 200
    for method, path in [("GET", "/info"), ("GET", "/bills"), ("GET", "/suppliers"), ("GET", "/mappingOptions/bills")]:
        body = _refused(bp.call(method, path), 400)
        assert "not linked" in body["error"]
    _refused(bp.get(f"/bills/{bill}/attachments"), 404)
    relinked = client.put(
        f"/companies/{bp.company_id}/connections/{bp.connection_id}/authorization", json={}, headers=bp.auth
    )
    assert relinked.status_code == 200
    assert bp.get("/bills").status_code == 200, "re-linking keeps the ledger"


def test_pending_connection_and_unknown_ids(client: TestClient) -> None:
    auth = basic(_tenant())
    company = client.post("/companies", json={"name": "Pending"}, headers=auth).json()["id"]
    pending = client.post(f"/companies/{company}/connections", json={"platformKey": "qhyg"}, headers=auth).json()["id"]
    _refused(client.get(f"/companies/{company}/connections/{pending}/payables/info", headers=auth), 400)
    missing = str(uuid.uuid4())
    _refused(client.get(f"/companies/{company}/connections/{missing}/payables/info", headers=auth), 404)
    _refused(client.get(f"/companies/{missing}/connections/{pending}/payables/info", headers=auth), 404)


def test_a_platform_without_bill_pay_is_a_clear_404(client: TestClient) -> None:
    auth = basic(_tenant())
    company = client.post("/companies", json={"name": "Sage"}, headers=auth).json()["id"]
    conn = client.post(f"/companies/{company}/connections", json={"platformKey": "trji"}, headers=auth).json()["id"]
    assert (
        client.put(f"/companies/{company}/connections/{conn}/authorization", json={}, headers=auth).status_code == 200
    )
    body = _refused(client.get(f"/companies/{company}/connections/{conn}/payables/bills", headers=auth), 404)
    assert "not supported" in body["error"] and "trji" in body["error"]


# --- platform rules ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "limit"), [("gbol", 255), ("qhyg", 21), ("fbrh", 255), ("akxx", 45), ("knfz", 100), ("rwuv", 50)]
)
def test_reference_length_limits(client: TestClient, platform: str, limit: int) -> None:
    bp = link(client, _tenant(), platform)
    assert bp.call("POST", "/bills", json=bp.bill_body(reference="R" * limit)).status_code == 201
    _refused(bp.call("POST", "/bills", json=bp.bill_body(reference="S" * (limit + 1))), 400, "reference")


def test_freeagent_tax_rate_must_be_null_and_lines_are_limited(client: TestClient) -> None:
    fa = link(client, _tenant(), "fbrh")
    with_tax = {**fa.line(), "taxRateRef": {"id": "1"}}
    _refused(fa.call("POST", "/bills", json=fa.bill_body(lineItems=[with_tax])), 400, "lineItems.0.taxRateRef")
    assert fa.call("POST", "/bills", json=fa.bill_body(lineItems=[fa.line()] * 40)).status_code == 201
    _refused(fa.call("POST", "/bills", json=fa.bill_body(lineItems=[fa.line()] * 41)), 400, "lineItems")


def test_xero_refuses_updating_an_archived_supplier(client: TestClient) -> None:
    xero = link(client, _tenant(), "gbol")
    archived = next(s for s in xero.get("/suppliers").json()["results"] if s["status"] == "Archived")
    body = {"supplierName": "Revived", "status": "Active"}
    _refused(xero.call("PUT", f"/suppliers/{archived['id']}", json=body), 400, "supplierId")
    zoho = link(client, _tenant(), "rwuv")
    archived = next(s for s in zoho.get("/suppliers").json()["results"] if s["status"] == "Archived")
    kept = zoho.call("PUT", f"/suppliers/{archived['id']}", json={"supplierName": "Still here", "status": "Archived"})
    assert kept.status_code == 200, "Zoho Books updates archived suppliers"


def test_qbo_supplier_currency_is_fixed_and_bills_follow_it(qbo: BillPay) -> None:
    created = qbo.call(
        "POST", "/suppliers", json={"supplierName": "Euro GmbH", "status": "Active", "defaultCurrency": "EUR"}
    )
    assert created.status_code == 201
    supplier = created.json()
    body = {"supplierName": "Euro GmbH", "status": "Active", "defaultCurrency": "USD"}
    _refused(qbo.call("PUT", f"/suppliers/{supplier['id']}", json=body), 400, "defaultCurrency")
    _refused(
        qbo.call("POST", "/bills", json=qbo.bill_body(supplierRef={"id": supplier["id"]}, currency="USD")),
        400,
        "currency",
    )
    assert (
        qbo.call("POST", "/bills", json=qbo.bill_body(supplierRef={"id": supplier["id"]}, currency="EUR")).status_code
        == 201
    )


def test_zoho_reference_unique_per_supplier_and_due_after_issue(client: TestClient) -> None:
    zoho = link(client, _tenant(), "rwuv")
    zoho.create_bill(reference="Z-1")
    _refused(zoho.call("POST", "/bills", json=zoho.bill_body(reference="Z-1")), 400, "reference")
    late = zoho.bill_body(reference="Z-2", issueDate="2026-02-01", dueDate="2026-01-01")
    _refused(zoho.call("POST", "/bills", json=late), 400, "dueDate")


@pytest.mark.parametrize(
    ("platform", "name", "ok"),
    [
        ("gbol", "scan.exe", False),
        ("gbol", "scan.pdf", True),
        ("qhyg", "data.xml", True),
        ("akxx", "data.xml", False),
        ("akxx", "data.json", True),
    ],
)
def test_attachment_types_per_platform(client: TestClient, platform: str, name: str, ok: bool) -> None:
    bp = link(client, _tenant(), platform)
    bill = bp.all_bills()[0]["id"]
    answer = bp.call(
        "POST", f"/bills/{bill}/attachments", files={"file": (name, b"content", "application/octet-stream")}
    )
    if ok:
        assert answer.status_code == 201, answer.text
    else:
        _refused(answer, 400, "file")
        assert bp.get(f"/bills/{bill}/attachments").json() == []


def test_attachment_size_limit_xero_4mb(client: TestClient) -> None:
    xero = link(client, _tenant(), "gbol")
    bill = xero.all_bills()[0]["id"]
    big = b"x" * (4 * 1024 * 1024 + 1)
    _refused(xero.call("POST", f"/bills/{bill}/attachments", files={"file": ("big.pdf", big)}), 400, "file")
    assert xero.call("POST", f"/bills/{bill}/attachments", files={"file": ("ok.pdf", big[:-1])}).status_code == 201
    _refused(xero.call("POST", f"/bills/{bill}/attachments", files={"other": ("ok.pdf", b"x")}), 400, "file")
    _refused(xero.call("POST", f"/bills/{bill}/attachments", json={"file": "x"}), 400, "Content-Type")
    # No body at all (Codat marks it optional) is an upload without its file, whatever the Content-Type.
    _refused(xero.call("POST", f"/bills/{bill}/attachments"), 400, "file")
    _refused(xero.call("POST", f"/bills/{bill}/attachments", headers={"Content-Type": "text/plain"}), 400, "file")
    assert [a["name"] for a in xero.call("GET", f"/bills/{bill}/attachments").json()] == ["ok.pdf"]


def test_attachment_memory_cap(store: Store) -> None:
    app = create_app(Settings(payables_attachment_bytes=10), store)
    with TestClient(app) as http:
        bp = link(http, _tenant(), "gbol")
        bill = bp.all_bills()[0]["id"]
        assert bp.call("POST", f"/bills/{bill}/attachments", files={"file": ("a.pdf", b"123456")}).status_code == 201
        body = _refused(
            bp.call("POST", f"/bills/{bill}/attachments", files={"file": ("b.pdf", b"123456")}), 400, "file"
        )
        assert "PAYABLES_ATTACHMENT_BYTES" in body["validation"]["errors"][0]["message"]
        assert len(bp.get(f"/bills/{bill}/attachments").json()) == 1


def test_every_platform_is_seeded(client: TestClient) -> None:
    for platform in SUPPORTED:
        assert link(client, _tenant(), platform).all_bills()

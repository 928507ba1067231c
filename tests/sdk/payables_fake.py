"""An in-memory fake of Codat's Bill Pay endpoints for the sdk_stub tests; `FakeCodat` routes `…/payables/…` here.

It is written from ../shared/reference/codat-payables.md, independently of mock_server, and models only what
the client tests need: per-connection suppliers, bills, attachments, payments and bank accounts; totals
computed on write; continuation-token paging (`page_size` per page, opaque tokens, a bad one is a 400);
`Idempotency-Key` replay; Codat ErrorMessage bodies.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import httpx
from multipart_body import parse_multipart

PAYABLES = re.compile(r"^/companies/(?P<company>[^/]+)/connections/(?P<connection>[^/]+)/payables(?P<rest>/.*)$")

ErrorReply = Callable[..., httpx.Response]


def _number(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class Ledger:
    """One linked connection's accounting data."""

    company_name: str
    suppliers: dict[str, dict[str, Any]] = field(default_factory=dict)
    bills: dict[str, dict[str, Any]] = field(default_factory=dict)
    attachments: dict[str, dict[str, tuple[dict[str, Any], bytes]]] = field(default_factory=dict)
    payments: list[dict[str, Any]] = field(default_factory=list)
    bank_accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    tax_rates: list[dict[str, Any]] = field(default_factory=list)


def _seed_ledger(company_name: str) -> Ledger:
    ledger = Ledger(company_name)
    for code, name, kind, status in [
        ("429", "General Expenses", "Expense", "Active"),
        ("453", "Office Expenses", "Expense", "Active"),
        ("800", "Accounts Payable", "Liability", "Active"),
        ("499", "Old Expenses", "Expense", "Archived"),
    ]:
        ledger.accounts.append(
            {"id": code, "nominalCode": code, "name": name, "type": kind, "currency": "GBP", "status": status}
        )
    for code, name, rate, status in [("INPUT2", "20% VAT", 20, "Active"), ("OLD", "Old rate", 15, "Archived")]:
        ledger.tax_rates.append(
            {"id": code, "name": name, "code": code, "effectiveTaxRate": rate, "totalTaxRate": rate, "status": status}
        )
    for number, status in [("10000001", "Active"), ("10000002", "Archived")]:
        account_id = f"bank-{number}"
        ledger.bank_accounts[account_id] = {
            "id": account_id,
            "name": f"Account {number}",
            "accountNumber": number,
            "sortCode": "040004",
            "currency": "GBP",
            "status": status,
            "accountType": "Debit",
        }
    return ledger


class FakePayables:
    """The payables half of `FakeCodat`. `page_size` sets how many items each token page holds."""

    def __init__(self, error: ErrorReply, invalid: ErrorReply) -> None:
        self._error = error
        self._invalid = invalid
        self.ledgers: dict[str, Ledger] = {}
        self.page_size = 100
        self._idempotent: dict[str, tuple[bytes, httpx.Response]] = {}

    def ledger(self, connection_id: str) -> Ledger:
        return self.ledgers[connection_id]

    # -- routing --------------------------------------------------------------------------------------------

    def handle(
        self, request: httpx.Request, path: str, company: dict[str, Any] | None, connection: dict[str, Any] | None
    ) -> httpx.Response:
        match = PAYABLES.match(path)
        assert match is not None
        if company is None:
            return self._error(404, f"No company was found with ID {unquote(match['company'])}")
        if connection is None:
            return self._error(404, f"Data connection {unquote(match['connection'])} not found")
        if connection["status"] != "Linked":
            return self._error(400, f"Data connection {connection['id']} is not linked")
        ledger = self.ledgers.setdefault(connection["id"], _seed_ledger(company["name"]))
        key = request.headers.get("Idempotency-Key")
        if key is not None and request.method in {"POST", "PUT"}:
            return self._with_idempotency(key, request, lambda: self._dispatch(request, match["rest"], ledger))
        return self._dispatch(request, match["rest"], ledger)

    def _with_idempotency(self, key: str, request: httpx.Request, act: Callable[[], httpx.Response]) -> httpx.Response:
        fingerprint = request.method.encode() + b" " + request.url.raw_path + b"\n" + request.content
        if key in self._idempotent:
            seen, response = self._idempotent[key]
            if seen != fingerprint:
                return self._error(422, "The Idempotency-Key was already used for a different request.")
            return httpx.Response(response.status_code, content=response.content, headers=response.headers)
        response = act()
        self._idempotent[key] = (fingerprint, response)
        return response

    def _dispatch(self, request: httpx.Request, rest: str, ledger: Ledger) -> httpx.Response:
        allowed = False
        for method, pattern, handler in _ROUTES:
            match = re.fullmatch(pattern, rest)
            if match is None:
                continue
            allowed = True
            if method == request.method:
                return handler(self, request, ledger, *(unquote(group) for group in match.groups()))
        if allowed:
            return self._error(405, f"The requested resource does not support http method '{request.method}'.")
        return self._error(404, "The requested resource was not found.")

    # -- helpers --------------------------------------------------------------------------------------------

    def _body(self, request: httpx.Request) -> dict[str, Any] | None:
        if request.headers.get("Content-Type", "").split(";")[0] != "application/json":
            return None
        try:
            body = json.loads(request.content)
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def _window(self, request: httpx.Request) -> tuple[int, int] | httpx.Response:
        """The slice of a listing this request's continuation token asks for, or the 400 for a bad token."""
        token = request.url.params.get("continuationToken")
        start = 0
        if token is not None:
            try:
                start = int(json.loads(base64.urlsafe_b64decode(token.encode()))["offset"])
            except (ValueError, KeyError, TypeError):
                return self._error(400, f"The continuation token {token!r} is not valid.")
        return start, start + self.page_size

    @staticmethod
    def _pagination(end: int, total: int) -> dict[str, str]:
        if end >= total:
            return {}
        return {"continuationToken": base64.urlsafe_b64encode(json.dumps({"offset": end}).encode()).decode()}

    def _token_page(self, request: httpx.Request, items: list[dict[str, Any]], key: str) -> httpx.Response:
        window = self._window(request)
        if isinstance(window, httpx.Response):
            return window
        start, end = window
        return httpx.Response(200, json={key: items[start:end], "pagination": self._pagination(end, len(items))})

    @staticmethod
    def _status_filter(raw: str | None, default: set[str]) -> set[str] | None:
        """The statuses a `status=A||status=B` filter allows; None when it is not of that form."""
        if raw is None:
            return default
        allowed = set()
        for clause in raw.split("||"):
            name, _, value = clause.strip().partition("=")
            if name.strip() != "status" or not value:
                return None
            allowed.add(value.strip())
        return allowed

    # -- operations -----------------------------------------------------------------------------------------

    def info(self, request: httpx.Request, ledger: Ledger) -> httpx.Response:
        return httpx.Response(200, json={"companyName": ledger.company_name, "baseCurrency": "GBP"})

    def bill_options(self, request: httpx.Request, ledger: Ledger) -> httpx.Response:
        statuses = self._status_filter(request.url.params.get("statusQuery"), {"Active"})
        if statuses is None:
            return self._error(400, "statusQuery is malformed.")
        accounts = [a for a in ledger.accounts if a["status"] in statuses]
        rates = [r for r in ledger.tax_rates if r["status"] in statuses]
        window = self._window(request)
        if isinstance(window, httpx.Response):
            return window
        start, end = window
        # Both arrays share one window, so there are as many pages as the longer one needs.
        body = {
            "accounts": accounts[start:end],
            "taxRates": rates[start:end],
            "pagination": self._pagination(end, max(len(accounts), len(rates))),
        }
        return httpx.Response(200, json=body)

    def payment_options(self, request: httpx.Request, ledger: Ledger) -> httpx.Response:
        statuses = self._status_filter(request.url.params.get("statusQuery"), {"Active"})
        if statuses is None:
            return self._error(400, "statusQuery is malformed.")
        accounts = [a for a in ledger.bank_accounts.values() if a["status"] in statuses]
        return self._token_page(request, accounts, "bankAccounts")

    def list_bills(self, request: httpx.Request, ledger: Ledger) -> httpx.Response:
        statuses = self._status_filter(request.url.params.get("query"), {"Open", "PartiallyPaid"})
        if statuses is None:
            return self._error(400, "Malformed query.")
        return self._token_page(request, [b for b in ledger.bills.values() if b["status"] in statuses], "results")

    def _bill_from(self, body: dict[str, Any] | None, ledger: Ledger, bill_id: str) -> dict[str, Any] | httpx.Response:
        if body is None:
            return self._invalid("body", "A JSON body is required.")
        for name in ("supplierRef", "issueDate", "dueDate", "currency", "status"):
            if body.get(name) is None:
                return self._invalid(name, f"{name} is required.")
        supplier = ledger.suppliers.get(str(body["supplierRef"].get("id")))
        if supplier is None:
            return self._invalid("supplierRef.id", "Supplier not found.")
        if body["status"] != "Open":
            return self._invalid("status", "Status must be Open.")
        lines = []
        total = Decimal(0)
        for line in body.get("lineItems") or []:
            amount = (
                _number(line["totalAmount"])
                if line.get("totalAmount") is not None
                else _number(line.get("quantity")) * _number(line.get("unitAmount")) + _number(line.get("taxAmount"))
            )
            total += amount
            lines.append({**line, "totalAmount": _json_number(amount)})
        return {
            **body,
            "id": bill_id,
            "supplierRef": {"id": supplier["id"], "supplierName": supplier["supplierName"]},
            "lineItems": lines,
            "totalAmount": _json_number(total),
            "amountDue": _json_number(total),
            "sourceModifiedDate": "2026-12-01T10:00:00Z",
        }

    def create_bill(self, request: httpx.Request, ledger: Ledger) -> httpx.Response:
        bill = self._bill_from(self._body(request), ledger, str(uuid.uuid4()))
        if isinstance(bill, httpx.Response):
            return bill
        ledger.bills[bill["id"]] = bill
        ledger.attachments[bill["id"]] = {}
        return httpx.Response(201, json=bill)

    def update_bill(self, request: httpx.Request, ledger: Ledger, bill_id: str) -> httpx.Response:
        existing = ledger.bills.get(bill_id)
        if existing is None:
            return self._error(404, f"Bill {bill_id} not found")
        if existing["status"] != "Open":
            return self._invalid("status", f"A {existing['status']} bill cannot be updated.")
        bill = self._bill_from(self._body(request), ledger, bill_id)
        if isinstance(bill, httpx.Response):
            return bill
        ledger.bills[bill_id] = bill
        return httpx.Response(200, json=bill)

    def upload(self, request: httpx.Request, ledger: Ledger, bill_id: str) -> httpx.Response:
        if bill_id not in ledger.bills:
            return self._error(404, f"Bill {bill_id} not found")
        try:
            parts = parse_multipart(request)
        except ValueError as exc:
            return self._invalid("file", str(exc))
        if "file" not in parts:
            return self._invalid("file", "The multipart part 'file' is required.")
        name, content_type, content = parts["file"]
        attachment = {
            "id": str(uuid.uuid4()),
            "name": name,
            "contentType": content_type,
            "dateCreated": "2026-12-01T10:00:00Z",
            "fileSize": len(content),
            "includeWhenSent": False,
        }
        ledger.attachments[bill_id][attachment["id"]] = (attachment, content)
        return httpx.Response(201, json=attachment)

    def list_attachments(self, request: httpx.Request, ledger: Ledger, bill_id: str) -> httpx.Response:
        if bill_id not in ledger.bills:
            return self._error(404, f"Bill {bill_id} not found")
        return httpx.Response(200, json=[meta for meta, _ in ledger.attachments[bill_id].values()])

    def download(self, request: httpx.Request, ledger: Ledger, bill_id: str, attachment_id: str) -> httpx.Response:
        stored = ledger.attachments.get(bill_id, {}).get(attachment_id)
        if stored is None:
            return self._error(404, f"Attachment {attachment_id} not found")
        return httpx.Response(200, content=stored[1], headers={"Content-Type": "application/octet-stream"})

    def pay(self, request: httpx.Request, ledger: Ledger, bill_id: str) -> httpx.Response:
        bill = ledger.bills.get(bill_id)
        if bill is None:
            return self._error(404, f"Bill {bill_id} not found")
        body = self._body(request)
        if body is None or body.get("amount") is None or body.get("date") is None:
            return self._invalid("amount", "amount and date are required.")
        account = ledger.bank_accounts.get(str((body.get("accountRef") or {}).get("id")))
        if account is None or account["status"] != "Active":
            return self._invalid("accountRef.id", "The account is unknown or archived.")
        if bill["status"] not in {"Open", "PartiallyPaid"}:
            return self._invalid("billId", f"A {bill['status']} bill cannot be paid.")
        amount, due = _number(body["amount"]), _number(bill["amountDue"])
        if not Decimal(0) < amount <= due:
            return self._invalid("amount", f"The amount must be more than 0 and at most the amount due ({due}).")
        bill["amountDue"] = _json_number(due - amount)
        bill["status"] = "Paid" if due == amount else "PartiallyPaid"
        payment = {**body, "id": str(uuid.uuid4())}
        ledger.payments.append(payment)
        return httpx.Response(201, json=payment)

    def list_suppliers(self, request: httpx.Request, ledger: Ledger) -> httpx.Response:
        statuses = self._status_filter(request.url.params.get("query"), {"Active", "Archived"})
        if statuses is None:
            return self._error(400, "Malformed query.")
        suppliers = [s for s in ledger.suppliers.values() if s["status"] in statuses]
        return self._token_page(request, suppliers, "results")

    def _supplier_from(self, body: dict[str, Any] | None, supplier_id: str) -> dict[str, Any] | httpx.Response:
        if body is None:
            return self._invalid("body", "A JSON body is required.")
        for name in ("supplierName", "status"):
            if not body.get(name):
                return self._invalid(name, f"{name} is required.")
        return {**body, "id": supplier_id, "sourceModifiedDate": "2026-12-01T10:00:00Z"}

    def create_supplier(self, request: httpx.Request, ledger: Ledger) -> httpx.Response:
        supplier = self._supplier_from(self._body(request), str(uuid.uuid4()))
        if isinstance(supplier, httpx.Response):
            return supplier
        ledger.suppliers[supplier["id"]] = supplier
        return httpx.Response(201, json=supplier)

    def update_supplier(self, request: httpx.Request, ledger: Ledger, supplier_id: str) -> httpx.Response:
        if supplier_id not in ledger.suppliers:
            return self._error(404, f"Supplier {supplier_id} not found")
        supplier = self._supplier_from(self._body(request), supplier_id)
        if isinstance(supplier, httpx.Response):
            return supplier
        ledger.suppliers[supplier_id] = supplier
        return httpx.Response(200, json=supplier)

    def create_bank_account(self, request: httpx.Request, ledger: Ledger) -> httpx.Response:
        body = self._body(request)
        if body is None:
            return self._invalid("body", "A JSON body is required.")
        for name in ("name", "accountType", "accountNumber", "currency"):
            if not body.get(name):
                return self._invalid(name, f"{name} is required.")
        account = {**body, "id": str(uuid.uuid4()), "status": "Active"}
        ledger.bank_accounts[account["id"]] = account
        return httpx.Response(201, json=account)


_ID = "([^/]+)"
#: (method, path under …/payables, handler); the path's groups are the ids, in order.
_ROUTES: list[tuple[str, str, Callable[..., httpx.Response]]] = [
    ("GET", "/info", FakePayables.info),
    ("GET", "/mappingOptions/bills", FakePayables.bill_options),
    ("GET", "/mappingOptions/payments", FakePayables.payment_options),
    ("GET", "/bills", FakePayables.list_bills),
    ("POST", "/bills", FakePayables.create_bill),
    ("PUT", f"/bills/{_ID}", FakePayables.update_bill),
    ("POST", f"/bills/{_ID}/attachments", FakePayables.upload),
    ("GET", f"/bills/{_ID}/attachments", FakePayables.list_attachments),
    ("GET", f"/bills/{_ID}/attachments/{_ID}/download", FakePayables.download),
    ("POST", f"/bills/{_ID}/payment", FakePayables.pay),
    ("GET", "/suppliers", FakePayables.list_suppliers),
    ("POST", "/suppliers", FakePayables.create_supplier),
    ("PUT", f"/suppliers/{_ID}", FakePayables.update_supplier),
    ("POST", "/bankAccounts", FakePayables.create_bank_account),
]


# -- canned answers, for tests that check requests rather than behaviour ---------------------------------------

BANK_BODY = {"name": "Ops", "accountType": "Credit", "accountNumber": "4242", "currency": "GBP"}
ATTACHMENT = {"id": "a1", "name": "x.pdf", "contentType": "application/pdf", "fileSize": 6, "includeWhenSent": True}
BILL_BODY = {
    "id": "b1",
    "supplierRef": {"id": "s-1"},
    "issueDate": "2026-12-01T00:00:00",
    "dueDate": "2026-12-31T00:00:00",
    "currency": "GBP",
    "status": "Open",
    "totalAmount": 3,
    "amountDue": 3,
}


def canned(request: httpx.Request) -> httpx.Response:
    """A plausible success answer for any payables request, chosen by its path."""
    path = request.url.path
    if path.endswith("/download"):
        return httpx.Response(200, content=b"\x00\xff PDF", headers={"Content-Type": "application/octet-stream"})
    if path.endswith("/attachments"):
        return (
            httpx.Response(201, json=ATTACHMENT) if request.method == "POST" else httpx.Response(200, json=[ATTACHMENT])
        )
    if path.endswith("/info"):
        return httpx.Response(200, json={"companyName": "Acme", "baseCurrency": "USD"})
    if path.endswith("/mappingOptions/bills"):
        return httpx.Response(200, json={"accounts": [{"id": "429"}], "taxRates": [{"id": "T"}], "pagination": {}})
    if path.endswith("/mappingOptions/payments"):
        return httpx.Response(200, json={"bankAccounts": [{"id": "bank", "accountType": "Debit"}], "pagination": {}})
    if path.endswith("/payment"):
        return httpx.Response(201, json={"id": "p1", "amount": 1.5, "accountRef": {"id": "bank"}})
    if path.endswith("/bankAccounts"):
        return httpx.Response(201, json={"id": "ba", **BANK_BODY, "status": "Active"})
    if "/suppliers" in path:
        supplier = {"id": "s-1", "supplierName": "S", "status": "Active"}
        if request.method == "GET":
            return httpx.Response(200, json={"results": [supplier], "pagination": {"continuationToken": "n"}})
        return httpx.Response(201 if request.method == "POST" else 200, json=supplier)
    if request.method == "GET":
        return httpx.Response(200, json={"results": [BILL_BODY], "pagination": {}})
    return httpx.Response(201 if request.method == "POST" else 200, json=BILL_BODY)

"""A Linked connection on a chosen platform, and the calls a Bill Pay test makes on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from api_helpers import basic
from starlette.testclient import TestClient

SUPPORTED = ("gbol", "qhyg", "fbrh", "akxx", "knfz", "rwuv", "pdvj", "pqsw")


@dataclass
class BillPay:
    """One tenant's Linked connection; `call` is relative to its `/payables` prefix."""

    http: TestClient
    auth: dict[str, str]
    company_id: str
    connection_id: str
    platform: str

    @property
    def prefix(self) -> str:
        return f"/companies/{self.company_id}/connections/{self.connection_id}/payables"

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return self.http.request(method, self.prefix + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.call("GET", path, **kwargs)

    def all_bills(self) -> list[dict[str, Any]]:
        found = self.get("/bills", params={"query": "status!=Unknown"})
        assert found.status_code == 200, found.text
        results: list[dict[str, Any]] = found.json()["results"]
        return results

    def bill(self, bill_id: str) -> dict[str, Any]:
        return next(b for b in self.all_bills() if b["id"] == bill_id)

    def options(self) -> dict[str, Any]:
        found = self.get("/mappingOptions/bills")
        assert found.status_code == 200, found.text
        options: dict[str, Any] = found.json()
        return options

    def bank_accounts(self) -> list[dict[str, Any]]:
        found = self.get("/mappingOptions/payments")
        assert found.status_code == 200, found.text
        accounts: list[dict[str, Any]] = found.json()["bankAccounts"]
        return accounts

    def active_supplier(self) -> dict[str, Any]:
        suppliers = self.get("/suppliers").json()["results"]
        return next(s for s in suppliers if s["status"] == "Active")

    def line(self, amount: float = 100, quantity: float = 2, tax: float = 20) -> dict[str, Any]:
        """A valid line for this platform: an active expense account, and a tax rate where one is needed."""
        options = self.options()
        account = next(a for a in options["accounts"] if a["type"] == "Expense")
        line: dict[str, Any] = {
            "description": "Paper",
            "unitAmount": amount,
            "quantity": quantity,
            "taxAmount": tax,
            "accountRef": {"id": account["id"]},
        }
        if self.platform != "fbrh":
            line["taxRateRef"] = {"id": options["taxRates"][0]["id"]}
        return line

    def bill_body(self, **overrides: Any) -> dict[str, Any]:
        supplier = self.active_supplier()
        body: dict[str, Any] = {
            "reference": "PO-1",
            "supplierRef": {"id": supplier["id"]},
            "issueDate": "2026-01-05T00:00:00",
            "dueDate": "2026-02-04T00:00:00",
            "currency": supplier.get("defaultCurrency") or self.get("/info").json()["baseCurrency"],
            "status": "Open",
            "lineItems": [self.line()],
        }
        body.update(overrides)
        return body

    def create_bill(self, **overrides: Any) -> dict[str, Any]:
        created = self.call("POST", "/bills", json=self.bill_body(**overrides))
        assert created.status_code == 201, created.text
        bill: dict[str, Any] = created.json()
        return bill

    def pay(
        self, bill_id: str, amount: float, *, headers: dict[str, str] | None = None, **overrides: Any
    ) -> httpx.Response:
        account = self.bank_accounts()[0]["id"]
        body = {"amount": amount, "date": "2026-01-10T00:00:00", "accountRef": {"id": account}, **overrides}
        return self.call("POST", f"/bills/{bill_id}/payment", json=body, headers=headers or {})


def link(http: TestClient, tenant: str, platform: str) -> BillPay:
    """A new company with a `platform` connection, linked through update-connection-authorization."""
    auth = basic(tenant)
    company = http.post("/companies", json={"name": "Bill Pay Ltd"}, headers=auth)
    assert company.status_code == 200, company.text
    company_id = company.json()["id"]
    connection = http.post(f"/companies/{company_id}/connections", json={"platformKey": platform}, headers=auth)
    assert connection.status_code == 200, connection.text
    connection_id = connection.json()["id"]
    linked = http.put(
        f"/companies/{company_id}/connections/{connection_id}/authorization", json={"key": "x"}, headers=auth
    )
    assert linked.status_code == 200, linked.text
    return BillPay(http, auth, company_id, connection_id, platform)

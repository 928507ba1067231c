"""Codat's own `codat-sync-for-payables` 10.x runs the whole Bill Pay process, unmodified, against a live emulator.

Company → connection → link → company information → mapping options → supplier → bill → attachment →
partial then full payment → bank account, each response parsed by the SDK's own models with warnings as
errors and retries off (see tests/test_official_sdks.py for the emulator side and the seed flow).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from codat_sync_for_payables.models import errors, shared
from codat_sync_for_payables.models.shared.security import Security
from codat_sync_for_payables.sdk import CodatSyncPayables
from codat_sync_for_payables.utils.retries import RetryConfig

from mock_server.testing import LiveServer

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer() as live:
        yield live


@pytest.fixture
def auth_header() -> str:
    return "Basic " + base64.b64encode(f"bill-pay-{uuid.uuid4().hex}".encode()).decode()


@pytest.fixture
def sdk(server: LiveServer, auth_header: str) -> Iterator[Any]:
    client = CodatSyncPayables(
        security=Security(auth_header=auth_header),
        server_url=server.url,
        retry_config=RetryConfig(strategy="none"),
        timeout_ms=10_000,
    )
    with client:
        yield client


def _link(server: LiveServer, auth_header: str, company_id: str, connection_id: str) -> None:
    # The payables SDK has no update-connection-authorization: link as a test would, over plain HTTP.
    with httpx.Client(base_url=server.url, headers={"Authorization": auth_header}) as http:
        linked = http.put(f"/companies/{company_id}/connections/{connection_id}/authorization", json={"key": "x"})
    assert linked.status_code == 200, linked.text


@pytest.mark.parametrize("platform", ["gbol", "qhyg", "fbrh"])
def test_the_bill_pay_process(sdk: Any, server: LiveServer, auth_header: str, platform: str) -> None:
    company = sdk.companies.create(request={"name": "Bill Pay Ltd"})
    connection = sdk.connections.create(request={"company_id": company.id, "request_body": {"platform_key": platform}})
    _link(server, auth_header, company.id, connection.id)
    ids = {"company_id": company.id, "connection_id": connection.id}

    info = sdk.company_information.get(request=ids)
    assert isinstance(info, shared.CompanyInformation)
    assert info.company_name == "Bill Pay Ltd" and info.base_currency

    options = sdk.bills.get_bill_options(request=ids)
    assert isinstance(options, shared.BillMappingOptions)
    expense = next(a for a in options.accounts if a.type == "Expense")
    tax_rate = options.tax_rates[0]
    archived = sdk.bills.get_bill_options(request={**ids, "status_query": "status=Archived"})
    assert archived.accounts and all(a.status.value == "Archived" for a in archived.accounts)
    payment_options = sdk.bill_payments.get_payment_options(request=ids)
    assert isinstance(payment_options, shared.PaymentMappingOptions)
    pay_from = payment_options.bank_accounts[0]

    suppliers = sdk.suppliers.list(request=ids)
    assert isinstance(suppliers, shared.Suppliers) and suppliers.results
    supplier = sdk.suppliers.create(
        request={
            **ids,
            "idempotency_key": str(uuid.uuid4()),
            "supplier_prototype": {
                "supplier_name": "Kettle & Co",
                "contact_name": "Kim",
                "status": "Active",
                "addresses": [{"type": "Billing", "line1": "1 High St", "city": "Leeds", "country": "GB"}],
            },
        }
    )
    assert isinstance(supplier, shared.Supplier) and supplier.id
    supplier = sdk.suppliers.update(
        request={
            **ids,
            "supplier_id": supplier.id,
            "supplier_prototype": {"supplier_name": "Kettle and Co", "contact_name": "Kim", "status": "Active"},
        }
    )
    assert supplier.supplier_name == "Kettle and Co"

    line: dict[str, Any] = {
        "description": "Kettles",
        "unit_amount": 40,
        "quantity": 2.5,
        "tax_amount": 20,
        "account_ref": {"id": expense.id},
    }
    if platform != "fbrh":
        line["tax_rate_ref"] = {"id": tax_rate.id}
    bill = sdk.bills.create(
        request={
            **ids,
            "idempotency_key": str(uuid.uuid4()),
            "bill_prototype": {
                "reference": "K-1",
                "supplier_ref": {"id": supplier.id},
                "issue_date": "2026-01-05T00:00:00",
                "due_date": "2026-02-04T00:00:00",
                "currency": info.base_currency,
                "status": "Open",
                "line_items": [line],
            },
        }
    )
    assert isinstance(bill, shared.Bill)
    assert bill.total_amount == 120 and bill.amount_due == 120
    bill = sdk.bills.update(
        request={
            **ids,
            "bill_id": bill.id,
            "bill_prototype": {
                "reference": "K-1b",
                "supplier_ref": {"id": supplier.id},
                "issue_date": "2026-01-05",
                "due_date": "2026-02-04",
                "currency": info.base_currency,
                "status": "Open",
                "line_items": [{**line, "unit_amount": 80}],
            },
        }
    )
    assert bill.total_amount == 220 and bill.reference == "K-1b"

    content = b"%PDF-1.7 invoice K-1\n" + bytes(range(256))
    attachment = sdk.bills.upload_attachment(
        request={
            **ids,
            "bill_id": bill.id,
            "attachment_upload": {"file": {"file_name": "invoice.pdf", "content": content}},
        }
    )
    assert isinstance(attachment, shared.Attachment) and attachment.file_size == len(content)
    listed = sdk.bills.list_attachments(request={**ids, "bill_id": bill.id})
    assert [a.id for a in listed] == [attachment.id]
    downloaded = sdk.bills.download_attachment(request={**ids, "bill_id": bill.id, "attachment_id": attachment.id})
    body = downloaded.read() if hasattr(downloaded, "read") else getattr(downloaded, "content", downloaded)
    assert body == content

    part = sdk.bill_payments.create(
        request={
            **ids,
            "bill_id": bill.id,
            "idempotency_key": str(uuid.uuid4()),
            "bill_payment_prototype": {
                "amount": 70.5,
                "date_": "2026-01-20T00:00:00",
                "account_ref": {"id": pay_from.id},
            },
        }
    )
    assert isinstance(part, shared.BillPayment) and part.amount == 70.5
    outstanding = sdk.bills.list(request=ids)
    mine = next(b for b in outstanding.results if b.id == bill.id)
    assert mine.status.value == "PartiallyPaid" and mine.amount_due == 149.5

    with pytest.raises(errors.ErrorMessage) as refused:
        sdk.bill_payments.create(
            request={
                **ids,
                "bill_id": bill.id,
                "bill_payment_prototype": {"amount": 150, "date_": "2026-01-21", "account_ref": {"id": pay_from.id}},
            }
        )
    assert refused.value.status_code == 400

    account = sdk.bank_accounts.create(
        request={
            **ids,
            "idempotency_key": str(uuid.uuid4()),
            "bank_account_prototype": {
                "name": "Bill Pay wallet",
                "account_type": "Debit",
                "account_number": "40404040",
                "currency": info.base_currency,
            },
        }
    )
    assert isinstance(account, shared.BankAccount) and account.status.value == "Active"
    rest = sdk.bill_payments.create(
        request={
            **ids,
            "bill_id": bill.id,
            "bill_payment_prototype": {"amount": 149.5, "date_": "2026-01-22", "account_ref": {"id": account.id}},
        }
    )
    assert rest.amount == 149.5
    paid = sdk.bills.list(request={**ids, "query": f"id={bill.id}"})
    assert [(b.status.value, b.amount_due) for b in paid.results] == [("Paid", 0)]
    assert bill.id not in [b.id for b in sdk.bills.list(request=ids).results]

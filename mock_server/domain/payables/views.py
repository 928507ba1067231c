"""Ledger records → the JSON shapes of Codat's Bill Pay API (camelCase, numbers as JSON numbers)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from ..timestamps import format_timestamp
from .dates import render_date
from .money import to_json_number
from .records import (
    AccountRecord,
    AddressRecord,
    AttachmentRecord,
    BankAccountRecord,
    BillPaymentRecord,
    BillRecord,
    Ledger,
    LineItemRecord,
    SupplierRecord,
    TaxRateRecord,
)

Json = dict[str, Any]


def _number(value: Decimal | None) -> int | float | None:
    return to_json_number(value) if value is not None else None


def _balance(amount: Decimal) -> int | float | None:
    # An imported ledger may hold amounts whose sum no JSON number can carry: then the balance is unknown.
    value = to_json_number(amount)
    return value if math.isfinite(value) else None


def company_information(ledger: Ledger) -> Json:
    return {"companyName": ledger.company_name, "baseCurrency": ledger.base_currency}


def account_option(record: AccountRecord) -> Json:
    return {
        "id": record.id,
        "nominalCode": record.nominal_code,
        "name": record.name,
        "type": record.type,
        "currency": record.currency,
        "status": record.status.value,
        "sourceModifiedDate": format_timestamp(record.source_modified),
    }


def tax_rate_option(record: TaxRateRecord) -> Json:
    return {
        "id": record.id,
        "name": record.name,
        "code": record.code,
        "effectiveTaxRate": to_json_number(record.rate),
        "totalTaxRate": to_json_number(record.rate),
        "status": record.status.value,
    }


def bank_account(record: BankAccountRecord) -> Json:
    return {
        "id": record.id,
        "nominalCode": record.nominal_code,
        "name": record.name,
        "accountType": record.account_type.value,
        "accountNumber": record.account_number,
        "sortCode": record.sort_code,
        "currency": record.currency,
        "status": record.status.value,
        "sourceModifiedDate": format_timestamp(record.source_modified),
    }


def bank_account_option(record: BankAccountRecord, platform_key: str) -> Json:
    view = bank_account(record)
    if platform_key == "gbol":
        # Xero shows the number and sort code only for GBP accounts whose two make 14 digits together.
        digits = "".join(ch for ch in (record.sort_code or "") + (record.account_number or "") if ch.isdigit())
        if record.currency != "GBP":
            view["sortCode"] = None
        elif len(digits) != 14:
            view["accountNumber"] = None
            view["sortCode"] = None
    return view


def _address(record: AddressRecord) -> Json:
    return {
        "type": record.type.value,
        "line1": record.line1,
        "line2": record.line2,
        "city": record.city,
        "region": record.region,
        "country": record.country,
        "postalCode": record.postal_code,
    }


def supplier(record: SupplierRecord, ledger: Ledger) -> Json:
    return {
        "id": record.id,
        "supplierName": record.supplier_name,
        "contactName": record.contact_name,
        "emailAddress": record.email_address,
        "phone": record.phone,
        "addresses": [_address(a) for a in record.addresses] if record.addresses is not None else None,
        "status": record.status.value,
        "balance": _balance(ledger.supplier_balance(record.id)),
        "defaultCurrency": record.default_currency,
        "sourceModifiedDate": format_timestamp(record.source_modified),
    }


def _line(record: LineItemRecord) -> Json:
    view: Json = {
        "description": record.description,
        "unitAmount": to_json_number(record.unit_amount),
        "quantity": to_json_number(record.quantity),
        "taxAmount": to_json_number(record.tax_amount),
        "totalAmount": to_json_number(record.total_amount),
    }
    if record.account_id is not None:
        view["accountRef"] = {"id": record.account_id}
    if record.tax_rate_id is not None:
        view["taxRateRef"] = {"id": record.tax_rate_id}
    view["trackingRefs"] = (
        [{"id": t.id, "dataType": t.data_type, "isBillable": t.is_billable} for t in record.tracking]
        if record.tracking is not None
        else None
    )
    if view["trackingRefs"] is not None:
        for ref in view["trackingRefs"]:
            if ref["isBillable"] is None:
                del ref["isBillable"]
    return view


def bill(record: BillRecord, ledger: Ledger) -> Json:
    found = ledger.suppliers.get(record.supplier_id)
    return {
        "id": record.id,
        "reference": record.reference,
        "supplierRef": {"id": record.supplier_id, "supplierName": found.supplier_name if found else None},
        "issueDate": render_date(record.issue_date),
        "dueDate": render_date(record.due_date),
        "currency": record.currency,
        "currencyRate": _number(record.currency_rate),
        "lineItems": [_line(line) for line in record.line_items],
        "status": record.status.value,
        "totalAmount": to_json_number(record.total_amount),
        "amountDue": to_json_number(record.amount_due),
        "sourceModifiedDate": format_timestamp(record.source_modified),
    }


def bill_payment(record: BillPaymentRecord) -> Json:
    return {
        "id": record.id,
        "amount": to_json_number(record.amount),
        "date": render_date(record.date),
        "reference": record.reference,
        "accountRef": {"id": record.account_id},
        "currencyRate": _number(record.currency_rate),
    }


def attachment(record: AttachmentRecord) -> Json:
    return {
        "id": record.id,
        "name": record.name,
        "contentType": record.content_type,
        "dateCreated": format_timestamp(record.date_created),
        "fileSize": record.size,
        "includeWhenSent": False,
        # No sourceModifiedDate: Codat does not populate it for attachments.
    }

"""A connection's ledger as a JSON document, for the tenant export/import (`GET`/`PUT /_mock/state`).

    {"companyName", "baseCurrency", "nextNumber",
     "accounts": {"<id>": {...}}, "taxRates": {...}, "bankAccounts": {...}, "suppliers": {...},
     "bills": {"<id>": {..., "lineItems": [...]}}, "payments": {...}, "attachments": {"<id>": {..., "content": base64}}}

Records are keyed by id, so a document cannot hold one id twice. The document says exactly what the ledger
holds: import takes it as it is, without checking references between records (a test may seed a bill
whose supplier is gone, to see how its code copes) — only the shape and value types are checked.
Amounts are JSON numbers, kept as Decimal; dates the caller gave keep their form.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

from ..json_types import JsonInt
from ..timestamps import Timestamp, format_timestamp
from .dates import DATE_RULE, parse_date
from .money import from_json_number, to_json_number
from .records import (
    AccountRecord,
    AddressRecord,
    AddressType,
    AttachmentRecord,
    BankAccountRecord,
    BankAccountType,
    BillPaymentRecord,
    BillRecord,
    BillStatus,
    Ledger,
    LineItemRecord,
    RecordStatus,
    SupplierRecord,
    SupplierStatus,
    TaxRateRecord,
    TrackingRefRecord,
)


def _date(value: object) -> object:
    if isinstance(value, str):
        parsed = parse_date(value)
        if parsed is None:
            raise ValueError(DATE_RULE)
        return parsed
    return value


def _number(value: object) -> object:
    # A JSON number, nothing else (the document's schema says `number`): no text, no booleans.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a number")
    return from_json_number(value)


Amount = Annotated[
    Decimal,
    BeforeValidator(_number),
    Field(allow_inf_nan=False),
    PlainSerializer(to_json_number, return_type=float, when_used="json"),
]


def _document_date(moment: datetime) -> str:
    """A plain date for a date without time or zone (the usual case), else an RFC 3339 UTC timestamp.

    A date-time given without a zone but with a time of day is kept in UTC by the document: the one form
    change an export makes (the API then shows it with `Z`).
    """
    if moment.tzinfo is None and moment.time() == time(0):
        return moment.date().isoformat()
    return format_timestamp(moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC))


LedgerDate = Annotated[
    datetime, BeforeValidator(_date), PlainSerializer(_document_date, return_type=str, when_used="json")
]


class _Doc(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
        extra="forbid",
        strict=True,
        defer_build=True,
    )


class AccountDocument(_Doc):
    nominal_code: str | None = None
    name: str
    type: str
    currency: str
    status: RecordStatus
    source_modified_date: Timestamp


class TaxRateDocument(_Doc):
    name: str
    code: str
    rate: Amount
    status: RecordStatus


class BankAccountDocument(_Doc):
    nominal_code: str | None = None
    name: str
    account_type: BankAccountType
    account_number: str | None = None
    sort_code: str | None = None
    currency: str
    status: RecordStatus
    source_modified_date: Timestamp


class AddressDocument(_Doc):
    type: AddressType
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    postal_code: str | None = None


class SupplierDocument(_Doc):
    supplier_name: str
    contact_name: str | None = None
    email_address: str | None = None
    phone: str | None = None
    addresses: list[AddressDocument] | None = None
    status: SupplierStatus
    default_currency: str | None = None
    source_modified_date: Timestamp


class TrackingRefDocument(_Doc):
    id: str
    data_type: str
    is_billable: bool | None = None


class LineItemDocument(_Doc):
    description: str | None = None
    unit_amount: Amount
    quantity: Amount
    tax_amount: Amount
    total_amount: Amount
    account_id: str | None = None
    tax_rate_id: str | None = None
    tracking_refs: list[TrackingRefDocument] | None = None


class BillDocument(_Doc):
    reference: str | None = None
    supplier_id: str
    issue_date: LedgerDate
    due_date: LedgerDate
    currency: str
    currency_rate: Amount | None = None
    line_items: list[LineItemDocument] = Field(default_factory=list)
    status: BillStatus
    total_amount: Amount
    amount_due: Amount
    source_modified_date: Timestamp


class PaymentDocument(_Doc):
    bill_id: str
    amount: Amount
    date: LedgerDate
    reference: str | None = None
    account_id: str
    currency_rate: Amount | None = None
    source_modified_date: Timestamp


class AttachmentDocument(_Doc):
    bill_id: str
    name: str
    content_type: str
    content: str = Field(description="base64")
    date_created: Timestamp


class LedgerDocument(_Doc):
    company_name: str
    base_currency: str
    next_number: JsonInt = Field(default=1, ge=1, le=2**53)
    accounts: dict[str, AccountDocument] = Field(default_factory=dict)
    tax_rates: dict[str, TaxRateDocument] = Field(default_factory=dict)
    bank_accounts: dict[str, BankAccountDocument] = Field(default_factory=dict)
    suppliers: dict[str, SupplierDocument] = Field(default_factory=dict)
    bills: dict[str, BillDocument] = Field(default_factory=dict)
    payments: dict[str, PaymentDocument] = Field(default_factory=dict)
    attachments: dict[str, AttachmentDocument] = Field(default_factory=dict)


# --- export ---------------------------------------------------------------------------------------------


def ledger_document(ledger: Ledger) -> LedgerDocument:
    return LedgerDocument(
        company_name=ledger.company_name,
        base_currency=ledger.base_currency,
        next_number=ledger.next_number,
        accounts={
            a.id: AccountDocument(
                nominal_code=a.nominal_code,
                name=a.name,
                type=a.type,
                currency=a.currency,
                status=a.status,
                source_modified_date=a.source_modified,
            )
            for a in ledger.accounts.values()
        },
        tax_rates={
            t.id: TaxRateDocument(name=t.name, code=t.code, rate=t.rate, status=t.status)
            for t in ledger.tax_rates.values()
        },
        bank_accounts={
            b.id: BankAccountDocument(
                nominal_code=b.nominal_code,
                name=b.name,
                account_type=b.account_type,
                account_number=b.account_number,
                sort_code=b.sort_code,
                currency=b.currency,
                status=b.status,
                source_modified_date=b.source_modified,
            )
            for b in ledger.bank_accounts.values()
        },
        suppliers={
            s.id: SupplierDocument(
                supplier_name=s.supplier_name,
                contact_name=s.contact_name,
                email_address=s.email_address,
                phone=s.phone,
                addresses=[
                    AddressDocument(
                        type=a.type,
                        line1=a.line1,
                        line2=a.line2,
                        city=a.city,
                        region=a.region,
                        country=a.country,
                        postal_code=a.postal_code,
                    )
                    for a in s.addresses
                ]
                if s.addresses is not None
                else None,
                status=s.status,
                default_currency=s.default_currency,
                source_modified_date=s.source_modified,
            )
            for s in ledger.suppliers.values()
        },
        bills={b.id: _bill_document(b) for b in ledger.bills.values()},
        payments={
            p.id: PaymentDocument(
                bill_id=p.bill_id,
                amount=p.amount,
                date=p.date,
                reference=p.reference,
                account_id=p.account_id,
                currency_rate=p.currency_rate,
                source_modified_date=p.source_modified,
            )
            for p in ledger.payments.values()
        },
        attachments={
            a.id: AttachmentDocument(
                bill_id=a.bill_id,
                name=a.name,
                content_type=a.content_type,
                content=base64.b64encode(a.content).decode(),
                date_created=a.date_created,
            )
            for a in ledger.attachments.values()
        },
    )


def _bill_document(bill: BillRecord) -> BillDocument:
    return BillDocument(
        reference=bill.reference,
        supplier_id=bill.supplier_id,
        issue_date=bill.issue_date,
        due_date=bill.due_date,
        currency=bill.currency,
        currency_rate=bill.currency_rate,
        line_items=[
            LineItemDocument(
                description=line.description,
                unit_amount=line.unit_amount,
                quantity=line.quantity,
                tax_amount=line.tax_amount,
                total_amount=line.total_amount,
                account_id=line.account_id,
                tax_rate_id=line.tax_rate_id,
                tracking_refs=[
                    TrackingRefDocument(id=t.id, data_type=t.data_type, is_billable=t.is_billable)
                    for t in line.tracking
                ]
                if line.tracking is not None
                else None,
            )
            for line in bill.line_items
        ],
        status=bill.status,
        total_amount=bill.total_amount,
        amount_due=bill.amount_due,
        source_modified_date=bill.source_modified,
    )


# --- import ---------------------------------------------------------------------------------------------


def ledger_from_document(document: LedgerDocument, platform_key: str) -> Ledger:
    """The ledger a (shape-valid) document describes; `content` that is not base64 raises ValueError."""
    ledger = Ledger(platform_key, document.company_name, document.base_currency, next_number=document.next_number)
    for key, a in document.accounts.items():
        ledger.accounts[key] = AccountRecord(
            key, a.nominal_code, a.name, a.type, a.currency, a.status, a.source_modified_date
        )
    for key, t in document.tax_rates.items():
        ledger.tax_rates[key] = TaxRateRecord(key, t.name, t.code, t.rate, t.status)
    for key, b in document.bank_accounts.items():
        ledger.bank_accounts[key] = BankAccountRecord(
            key, b.nominal_code, b.name, b.account_type, b.account_number, b.sort_code, b.currency, b.status,
            b.source_modified_date,
        )  # fmt: skip
    for key, s in document.suppliers.items():
        addresses = None
        if s.addresses is not None:
            addresses = tuple(
                AddressRecord(x.type, x.line1, x.line2, x.city, x.region, x.country, x.postal_code) for x in s.addresses
            )
        ledger.suppliers[key] = SupplierRecord(
            key, s.supplier_name, s.contact_name, s.email_address, s.phone, addresses, s.status, s.default_currency,
            s.source_modified_date,
        )  # fmt: skip
    for key, bill in document.bills.items():
        lines = tuple(
            LineItemRecord(
                line.description,
                line.unit_amount,
                line.quantity,
                line.tax_amount,
                line.total_amount,
                line.account_id,
                line.tax_rate_id,
                tuple(TrackingRefRecord(t.id, t.data_type, t.is_billable) for t in line.tracking_refs)
                if line.tracking_refs is not None
                else None,
            )
            for line in bill.line_items
        )
        ledger.bills[key] = BillRecord(
            key, bill.reference, bill.supplier_id, bill.issue_date, bill.due_date, bill.currency, bill.currency_rate,
            lines, bill.status, bill.total_amount, bill.amount_due, bill.source_modified_date,
        )  # fmt: skip
    for key, p in document.payments.items():
        ledger.payments[key] = BillPaymentRecord(
            key, p.bill_id, p.amount, p.date, p.reference, p.account_id, p.currency_rate, p.source_modified_date
        )
    for key, f in document.attachments.items():
        content = base64.b64decode(f.content, validate=True)
        ledger.attachments[key] = AttachmentRecord(key, f.bill_id, f.name, f.content_type, content, f.date_created)
    return ledger


def copy_ledger(ledger: Ledger) -> Ledger:
    """A copy whose dicts are its own (the records are immutable and shared)."""
    return Ledger(
        ledger.platform_key,
        ledger.company_name,
        ledger.base_currency,
        dict(ledger.accounts),
        dict(ledger.tax_rates),
        dict(ledger.bank_accounts),
        dict(ledger.suppliers),
        dict(ledger.bills),
        dict(ledger.payments),
        dict(ledger.attachments),
        ledger.next_number,
    )

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
from dataclasses import fields
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Protocol, TypeVar

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


# --- export and import ---------------------------------------------------------------------------------
# A record and its document name their fields alike, but for the renames below; so one pair of helpers copies
# every plain field, and each record type names only what differs (ids as keys, nested lists, base64 content).
# A field on one side only is an AttributeError at the first export or import, never a field silently dropped.

#: Record field → document field, where they differ.
_DOCUMENT_NAME = {"source_modified": "source_modified_date"}
_RECORD_NAME = {document: record for record, document in _DOCUMENT_NAME.items()}


class _Dataclass(Protocol):
    __dataclass_fields__: ClassVar[dict[str, Any]]


D = TypeVar("D", bound=BaseModel)
R = TypeVar("R", bound=_Dataclass)


def _document(document_type: type[D], record: object, **given: object) -> D:
    """`document_type` with each field not `given` copied from the record's field of that name."""
    copied = {
        name: getattr(record, _RECORD_NAME.get(name, name)) for name in document_type.model_fields if name not in given
    }
    return document_type(**copied, **given)


def _record(record_type: type[R], document: BaseModel, **given: object) -> R:
    """`record_type` with each field not `given` copied from the document's field of that name."""
    copied = {
        f.name: getattr(document, _DOCUMENT_NAME.get(f.name, f.name))
        for f in fields(record_type)
        if f.name not in given
    }
    return record_type(**copied, **given)


def ledger_document(ledger: Ledger) -> LedgerDocument:
    return _document(
        LedgerDocument,
        ledger,
        accounts={a.id: _document(AccountDocument, a) for a in ledger.accounts.values()},
        tax_rates={t.id: _document(TaxRateDocument, t) for t in ledger.tax_rates.values()},
        bank_accounts={b.id: _document(BankAccountDocument, b) for b in ledger.bank_accounts.values()},
        suppliers={s.id: _supplier_document(s) for s in ledger.suppliers.values()},
        bills={b.id: _bill_document(b) for b in ledger.bills.values()},
        payments={p.id: _document(PaymentDocument, p) for p in ledger.payments.values()},
        attachments={
            a.id: _document(AttachmentDocument, a, content=base64.b64encode(a.content).decode())
            for a in ledger.attachments.values()
        },
    )


def _supplier_document(supplier: SupplierRecord) -> SupplierDocument:
    addresses = supplier.addresses
    listed = None if addresses is None else [_document(AddressDocument, a) for a in addresses]
    return _document(SupplierDocument, supplier, addresses=listed)


def _bill_document(bill: BillRecord) -> BillDocument:
    lines = []
    for line in bill.line_items:
        refs = None if line.tracking is None else [_document(TrackingRefDocument, t) for t in line.tracking]
        lines.append(_document(LineItemDocument, line, tracking_refs=refs))
    return _document(BillDocument, bill, line_items=lines)


def ledger_from_document(document: LedgerDocument, platform_key: str) -> Ledger:
    """The ledger a (shape-valid) document describes; `content` that is not base64 raises ValueError."""
    return Ledger(
        platform_key,
        document.company_name,
        document.base_currency,
        accounts={key: _record(AccountRecord, a, id=key) for key, a in document.accounts.items()},
        tax_rates={key: _record(TaxRateRecord, t, id=key) for key, t in document.tax_rates.items()},
        bank_accounts={key: _record(BankAccountRecord, b, id=key) for key, b in document.bank_accounts.items()},
        suppliers={key: _supplier_record(key, s) for key, s in document.suppliers.items()},
        bills={key: _bill_record(key, b) for key, b in document.bills.items()},
        payments={key: _record(BillPaymentRecord, p, id=key) for key, p in document.payments.items()},
        attachments={
            key: _record(AttachmentRecord, f, id=key, content=base64.b64decode(f.content, validate=True))
            for key, f in document.attachments.items()
        },
        next_number=document.next_number,
    )


def _supplier_record(key: str, supplier: SupplierDocument) -> SupplierRecord:
    addresses = supplier.addresses
    kept = None if addresses is None else tuple(_record(AddressRecord, a) for a in addresses)
    return _record(SupplierRecord, supplier, id=key, addresses=kept)


def _bill_record(key: str, bill: BillDocument) -> BillRecord:
    lines = []
    for line in bill.line_items:
        refs = None if line.tracking_refs is None else tuple(_record(TrackingRefRecord, t) for t in line.tracking_refs)
        lines.append(_record(LineItemRecord, line, tracking=refs))
    return _record(BillRecord, bill, id=key, line_items=tuple(lines))


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

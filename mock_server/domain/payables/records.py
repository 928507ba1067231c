"""The ledger of one connection: immutable records, replaced (never mutated) on every write.

Amounts are Decimal. Dates the caller gives (`issueDate`, `dueDate`, a payment's `date`) keep the form they
came in: naive when no zone was given, aware otherwise (`dates.py` renders both). `source_modified` is
always the emulator's clock, UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class BillStatus(StrEnum):
    UNKNOWN = "Unknown"
    OPEN = "Open"
    PARTIALLY_PAID = "PartiallyPaid"
    PAID = "Paid"
    VOID = "Void"
    DRAFT = "Draft"


class SupplierStatus(StrEnum):
    UNKNOWN = "Unknown"
    ACTIVE = "Active"
    ARCHIVED = "Archived"


class RecordStatus(StrEnum):
    """The status of an account, tax rate or bank account."""

    ACTIVE = "Active"
    ARCHIVED = "Archived"


class BankAccountType(StrEnum):
    UNKNOWN = "Unknown"
    CREDIT = "Credit"
    DEBIT = "Debit"


class AddressType(StrEnum):
    UNKNOWN = "Unknown"
    BILLING = "Billing"
    DELIVERY = "Delivery"


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """A chart-of-accounts entry, offered as a bill line's `accountRef`."""

    id: str
    nominal_code: str | None
    name: str
    type: str  # Codat's account-type words: Asset, Expense, Income, Liability, Equity
    currency: str
    status: RecordStatus
    source_modified: datetime


@dataclass(frozen=True, slots=True)
class TaxRateRecord:
    id: str
    name: str
    code: str
    rate: Decimal  # a percentage: 20 means 20%
    status: RecordStatus


@dataclass(frozen=True, slots=True)
class BankAccountRecord:
    """An account bills are paid from (payment mapping options, create-bank-account)."""

    id: str
    nominal_code: str | None
    name: str
    account_type: BankAccountType
    account_number: str | None
    sort_code: str | None
    currency: str
    status: RecordStatus
    source_modified: datetime


@dataclass(frozen=True, slots=True)
class AddressRecord:
    type: AddressType
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True, slots=True)
class SupplierRecord:
    id: str
    supplier_name: str
    contact_name: str | None
    email_address: str | None
    phone: str | None
    addresses: tuple[AddressRecord, ...] | None
    status: SupplierStatus
    default_currency: str | None
    source_modified: datetime


@dataclass(frozen=True, slots=True)
class TrackingRefRecord:
    id: str
    data_type: str  # trackingCategories | customers
    is_billable: bool | None = None


@dataclass(frozen=True, slots=True)
class LineItemRecord:
    description: str | None
    unit_amount: Decimal
    quantity: Decimal
    tax_amount: Decimal
    total_amount: Decimal
    account_id: str | None
    tax_rate_id: str | None
    tracking: tuple[TrackingRefRecord, ...] | None = None


@dataclass(frozen=True, slots=True)
class BillRecord:
    id: str
    reference: str | None
    supplier_id: str
    issue_date: datetime
    due_date: datetime
    currency: str
    currency_rate: Decimal | None
    line_items: tuple[LineItemRecord, ...]
    status: BillStatus
    total_amount: Decimal
    amount_due: Decimal
    source_modified: datetime


@dataclass(frozen=True, slots=True)
class BillPaymentRecord:
    id: str
    bill_id: str
    amount: Decimal
    date: datetime
    reference: str | None
    account_id: str
    currency_rate: Decimal | None
    source_modified: datetime


@dataclass(frozen=True, slots=True)
class AttachmentRecord:
    id: str
    bill_id: str
    name: str
    content_type: str
    content: bytes
    date_created: datetime

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(slots=True)
class Ledger:
    """Everything the platform holds for one connection. Mutated only by `service.py`, under the ledgers' lock.

    Dicts keep insertion order, which is the order lists are served in. `next_number` feeds the platform's
    id minting (`ids.py`), so ids stay unique and deterministic across export and import.
    """

    platform_key: str
    company_name: str
    base_currency: str
    accounts: dict[str, AccountRecord] = field(default_factory=dict)
    tax_rates: dict[str, TaxRateRecord] = field(default_factory=dict)
    bank_accounts: dict[str, BankAccountRecord] = field(default_factory=dict)
    suppliers: dict[str, SupplierRecord] = field(default_factory=dict)
    bills: dict[str, BillRecord] = field(default_factory=dict)
    payments: dict[str, BillPaymentRecord] = field(default_factory=dict)
    attachments: dict[str, AttachmentRecord] = field(default_factory=dict)
    next_number: int = 1

    def attachment_bytes(self) -> int:
        return sum(a.size for a in self.attachments.values())

    def supplier_balance(self, supplier_id: str) -> Decimal:
        """What the company owes the supplier: the amount due on its outstanding bills."""
        outstanding = (BillStatus.OPEN, BillStatus.PARTIALLY_PAID)
        return sum(
            (b.amount_due for b in self.bills.values() if b.supplier_id == supplier_id and b.status in outstanding),
            Decimal(0),
        )

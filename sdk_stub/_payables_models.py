"""Pydantic models of Codat's Bill Pay (Sync for Payables) resources, in Codat's camelCase wire shape.

Two kinds live here. *Prototypes* (`BillPrototype`, `SupplierPrototype`, `BillPaymentPrototype`,
`BankAccountPrototype`) are what the client sends: they require what Codat requires of a request. The other
models are what the client reads: like every model in `_models`, they require only what Codat marks as
required in a response, keep unknown fields in `model_extra`, and hold unknown enum values as plain strings.

Money is `Decimal`. On the wire it is a JSON number, so a prototype refuses (when it is sent) an amount that
a JSON number cannot carry exactly rather than send a different one; see `wire_amount`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Generic, TypeVar

from pydantic import BeforeValidator, Field, PlainSerializer

from ._models import _none_as_empty_list, _WireModel

__all__ = [
    "AccountMappingOption",
    "AccountRef",
    "AccountStatus",
    "Address",
    "AddressType",
    "Attachment",
    "BankAccount",
    "BankAccountMappingOption",
    "BankAccountPrototype",
    "BankAccountType",
    "Bill",
    "BillLineItem",
    "BillMappingOptions",
    "BillPayment",
    "BillPaymentPrototype",
    "BillPrototype",
    "BillStatus",
    "CompanyInformation",
    "ContinuationPage",
    "Pagination",
    "PaymentMappingOptions",
    "Supplier",
    "SupplierPrototype",
    "SupplierRef",
    "SupplierStatus",
    "TaxRateMappingOption",
    "TaxRateRef",
    "TrackingRef",
    "TrackingRefDataType",
    "wire_amount",
]

T = TypeVar("T")


class BillStatus(StrEnum):
    """The payment state of a bill. Create and update accept only `Open`; payments move it on."""

    UNKNOWN = "Unknown"
    OPEN = "Open"
    PARTIALLY_PAID = "PartiallyPaid"
    PAID = "Paid"
    VOID = "Void"
    DRAFT = "Draft"


class SupplierStatus(StrEnum):
    """Whether a supplier is in use in the ledger."""

    UNKNOWN = "Unknown"
    ACTIVE = "Active"
    ARCHIVED = "Archived"


class AccountStatus(StrEnum):
    """Whether an account, tax rate or bank account can still be used (mapping options, bank accounts)."""

    ACTIVE = "Active"
    ARCHIVED = "Archived"


class BankAccountType(StrEnum):
    """`Debit` for accounts paid from funds held; `Credit` for card or credit facilities."""

    UNKNOWN = "Unknown"
    CREDIT = "Credit"
    DEBIT = "Debit"


class AddressType(StrEnum):
    """What a supplier address is for."""

    UNKNOWN = "Unknown"
    BILLING = "Billing"
    DELIVERY = "Delivery"


class TrackingRefDataType(StrEnum):
    """What a line item's tracking reference points at."""

    TRACKING_CATEGORIES = "trackingCategories"
    CUSTOMERS = "customers"


def wire_amount(value: Decimal) -> int | float:
    """The JSON number that carries `value` exactly: an `int` when it is whole, else a `float`.

    JSON numbers are read as IEEE doubles by most servers (pydantic too), so a `Decimal` with more
    significant digits than a double keeps (about 15) cannot be sent faithfully. Raises `ValueError` for such
    a value, and for NaN and infinities, instead of silently sending another amount.
    """
    if not value.is_finite():
        raise ValueError(f"amount {value} is not a finite number")
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) != value:
        raise ValueError(f"amount {value} has more significant digits than a JSON number carries exactly")
    return as_float


# Known values become enum members, anything else stays the server's string (see `_models._Status`).
_BillStatus = Annotated[BillStatus | str, Field(union_mode="left_to_right")]
_SupplierStatus = Annotated[SupplierStatus | str, Field(union_mode="left_to_right")]
_AccountStatus = Annotated[AccountStatus | str, Field(union_mode="left_to_right")]
_BankAccountType = Annotated[BankAccountType | str, Field(union_mode="left_to_right")]
_AddressType = Annotated[AddressType | str, Field(union_mode="left_to_right")]
_TrackingDataType = Annotated[TrackingRefDataType | str, Field(union_mode="left_to_right")]
#: Money and rates: exact in Python, a JSON number on the wire.
_Amount = Annotated[Decimal, PlainSerializer(wire_amount, when_used="json")]


#: A response array: a null one reads as empty, like the arrays of `_models`.
_List = Annotated[list[T], BeforeValidator(_none_as_empty_list)]


class Pagination(_WireModel):
    """Where a token-paged listing goes on: `continuation_token` is absent on the last page."""

    continuation_token: str | None = None


class ContinuationPage(_WireModel, Generic[T]):
    """One page of a token-paged listing (`list-bills`, `list-suppliers`).

    ```python
    page = client.bills.list(company_id=company_id, connection_id=connection_id)
    while True:
        for bill in page.results:
            print(bill.id, bill.amount_due)
        if page.next_token is None:
            break
        page = client.bills.list(company_id=company_id, connection_id=connection_id, continuation_token=page.next_token)
    ```
    """

    results: _List[T] = Field(default_factory=list)
    pagination: Pagination | None = None

    @property
    def next_token(self) -> str | None:
        """The token to ask for the next page with, or `None` on the last page (an empty token counts as none)."""
        token = self.pagination.continuation_token if self.pagination is not None else None
        return token or None


# --- references ----------------------------------------------------------------------------------------------


class SupplierRef(_WireModel):
    """The supplier a bill belongs to; only `id` is needed when sending."""

    id: str
    supplier_name: str | None = None


class AccountRef(_WireModel):
    """A ledger account, by id (from the mapping options or `bank_accounts.create`)."""

    id: str | None = None


class TaxRateRef(_WireModel):
    """A tax rate, by id (from the bill mapping options)."""

    id: str | None = None


class TrackingRef(_WireModel):
    """A tracking category or customer a line item is tagged with."""

    id: str | None = None
    data_type: _TrackingDataType | None = None
    is_billable: bool | None = None


# --- company information and mapping options ---------------------------------------------------------------


class CompanyInformation(_WireModel):
    """The ledger's company name and base currency (`company_information.get`)."""

    company_name: str | None = None
    base_currency: str | None = None


class AccountMappingOption(_WireModel):
    """A chart-of-accounts entry a bill line item can be coded to."""

    id: str | None = None
    nominal_code: str | None = None
    name: str | None = None
    type: str | None = None
    currency: str | None = None
    status: _AccountStatus | None = None
    source_modified_date: datetime | None = None


class TaxRateMappingOption(_WireModel):
    """A tax rate a bill line item can use; rates are percentages (20 means 20%)."""

    id: str | None = None
    name: str | None = None
    code: str | None = None
    effective_tax_rate: _Amount | None = None
    total_tax_rate: _Amount | None = None
    status: _AccountStatus | None = None


class BillMappingOptions(_WireModel):
    """One page of the accounts and tax rates to code bill line items with."""

    accounts: _List[AccountMappingOption] = Field(default_factory=list)
    tax_rates: _List[TaxRateMappingOption] = Field(default_factory=list)
    pagination: Pagination | None = None

    @property
    def next_token(self) -> str | None:
        """The token for the next page of options, or `None` on the last page."""
        token = self.pagination.continuation_token if self.pagination is not None else None
        return token or None


class BankAccountMappingOption(_WireModel):
    """A bank or card account a bill can be paid from."""

    id: str | None = None
    name: str | None = None
    account_number: str | None = None
    nominal_code: str | None = None
    sort_code: str | None = None
    currency: str | None = None
    status: _AccountStatus | None = None
    account_type: _BankAccountType | None = None
    source_modified_date: datetime | None = None


class PaymentMappingOptions(_WireModel):
    """One page of the accounts bills can be paid from."""

    bank_accounts: _List[BankAccountMappingOption] = Field(default_factory=list)
    pagination: Pagination | None = None

    @property
    def next_token(self) -> str | None:
        """The token for the next page of options, or `None` on the last page."""
        token = self.pagination.continuation_token if self.pagination is not None else None
        return token or None


# --- suppliers -----------------------------------------------------------------------------------------------


class Address(_WireModel):
    """A supplier address; `country` is usually a two-letter code."""

    type: _AddressType | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    postal_code: str | None = None


class SupplierPrototype(_WireModel):
    """A supplier to create, or the full replacement of one (update is a PUT: what is left out is cleared).

    ```python
    SupplierPrototype(supplier_name="Greggs", email_address="ap@greggs.test", default_currency="GBP")
    ```
    """

    supplier_name: str
    status: _SupplierStatus = SupplierStatus.ACTIVE
    contact_name: str | None = None
    email_address: str | None = None
    phone: str | None = None
    addresses: list[Address] | None = None
    balance: _Amount | None = None
    default_currency: str | None = None


class Supplier(_WireModel):
    """A supplier in the ledger. Codat's schema requires none of its fields."""

    id: str | None = None
    supplier_name: str | None = None
    contact_name: str | None = None
    email_address: str | None = None
    phone: str | None = None
    addresses: _List[Address] = Field(default_factory=list)
    status: _SupplierStatus | None = None
    balance: _Amount | None = None
    default_currency: str | None = None
    source_modified_date: datetime | None = None


# --- bills ---------------------------------------------------------------------------------------------------


class BillLineItem(_WireModel):
    """One line of a bill. The server computes `total_amount` when it is left out."""

    description: str | None = None
    unit_amount: _Amount | None = None
    quantity: _Amount | None = None
    tax_amount: _Amount | None = None
    total_amount: _Amount | None = None
    account_ref: AccountRef | None = None
    tax_rate_ref: TaxRateRef | None = None
    tracking_refs: list[TrackingRef] | None = None


class _BillFields(_WireModel):
    reference: str | None = None
    supplier_ref: SupplierRef
    issue_date: datetime
    due_date: datetime
    currency: str
    currency_rate: _Amount | None = None
    status: _BillStatus


class BillPrototype(_BillFields):
    """A bill to create, or the replacement of an `Open` bill (update replaces every line item).

    `status` defaults to `Open`, the only status Codat accepts on create and update. Dates without a time
    are sent as midnight (`2026-12-01T00:00:00`), the form Codat's own examples use.

    ```python
    BillPrototype(
        supplier_ref=SupplierRef(id=supplier.id),
        issue_date=date(2026, 12, 1),
        due_date=date(2026, 12, 31),
        currency="GBP",
        line_items=[BillLineItem(description="Pies", quantity=10, unit_amount=Decimal("2.50"),
                                 tax_amount=Decimal("5.00"), account_ref=AccountRef(id="429"))],
    )
    ```
    """

    status: _BillStatus = BillStatus.OPEN
    line_items: list[BillLineItem] | None = None


class Bill(_BillFields):
    """A bill (accounts payable) as the ledger holds it; `amount_due` falls as payments are made."""

    id: str | None = None
    line_items: _List[BillLineItem] = Field(default_factory=list)
    total_amount: _Amount | None = None
    amount_due: _Amount | None = None
    source_modified_date: datetime | None = None


class Attachment(_WireModel):
    """A file attached to a bill; download its bytes with `bills.download_attachment`."""

    id: str | None = None
    name: str | None = None
    content_type: str | None = None
    date_created: datetime | None = None
    file_size: int | None = None
    include_when_sent: bool | None = None
    source_modified_date: datetime | None = None


# --- payments and bank accounts ------------------------------------------------------------------------------


class BillPaymentPrototype(_WireModel):
    """A payment against one bill: `amount` is in the bill's currency, `account_ref` the account paid from.

    ```python
    BillPaymentPrototype(amount=Decimal("150.00"), date=date(2026, 12, 2), account_ref=AccountRef(id=bank.id))
    ```
    """

    amount: _Amount
    date: datetime
    account_ref: AccountRef
    reference: str | None = None
    currency_rate: _Amount | None = None


class BillPayment(_WireModel):
    """A recorded bill payment: the request echoed back with its `id`."""

    id: str | None = None
    amount: _Amount | None = None
    date: datetime | None = None
    reference: str | None = None
    account_ref: AccountRef | None = None
    currency_rate: _Amount | None = None


class BankAccountPrototype(_WireModel):
    """A bank or card account to create in the ledger so bills can be paid from it."""

    name: str
    account_type: _BankAccountType
    account_number: str
    currency: str
    nominal_code: str | None = None
    sort_code: str | None = None


class BankAccount(_WireModel):
    """A bank or card account in the ledger."""

    id: str | None = None
    nominal_code: str | None = None
    name: str | None = None
    account_type: _BankAccountType | None = None
    account_number: str | None = None
    sort_code: str | None = None
    currency: str | None = None
    status: _AccountStatus | None = None
    source_modified_date: datetime | None = None

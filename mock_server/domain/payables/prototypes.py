"""The request bodies of the payables writes, as Codat's SDKs send them.

Lenient where Codat's own clients are: unknown fields are ignored (Codat's API ignores them, and the SDKs
of other versions send fields this one lacks), numbers may arrive as ints, floats or numeric strings (the
SDK sends `1.0` for 1). Dates stay text here; `rules.py` parses them so the error names the field.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from .records import AddressType, BankAccountType, BillStatus, SupplierStatus


class _Body(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_alias=True, validate_by_name=False, extra="ignore", defer_build=True
    )


class Ref(_Body):
    id: str


class SupplierRef(_Body):
    id: str
    supplier_name: str | None = None


class TrackingRef(_Body):
    id: str
    data_type: str
    is_billable: bool | None = None


class LineItemPrototype(_Body):
    description: str | None = None
    unit_amount: Decimal | None = None
    quantity: Decimal | None = None
    tax_amount: Decimal | None = None
    account_ref: Ref | None = None
    total_amount: Decimal | None = None
    tax_rate_ref: Ref | None = None
    tracking_refs: list[TrackingRef] | None = None


class BillPrototype(_Body):
    reference: str | None = None
    supplier_ref: SupplierRef | None = None
    issue_date: str | None = None
    due_date: str | None = None
    currency: str | None = None
    currency_rate: Decimal | None = None
    line_items: list[LineItemPrototype] | None = None
    status: BillStatus | None = None


class BillPaymentPrototype(_Body):
    amount: Decimal | None = None
    date: str | None = None
    reference: str | None = None
    account_ref: Ref | None = None
    currency_rate: Decimal | None = None


class AddressPrototype(_Body):
    type: AddressType | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    postal_code: str | None = None


class SupplierPrototype(_Body):
    supplier_name: str | None = None
    contact_name: str | None = None
    email_address: str | None = None
    phone: str | None = None
    addresses: list[AddressPrototype] | None = None
    status: SupplierStatus | None = None
    balance: Decimal | None = None
    default_currency: str | None = None


class BankAccountPrototype(_Body):
    nominal_code: str | None = None
    name: str | None = None
    account_type: BankAccountType | None = None
    account_number: str | None = None
    sort_code: str | None = None
    currency: str | None = None

"""Validation of payables requests against a ledger and its platform: every problem named, nothing changed.

Each check adds a ValidationItem naming the field (`lineItems.0.accountRef.id`); a request with any item is
refused as a whole with 400, before the ledger is touched. Texts follow the validation messages Codat's
update-bill page lists, in our words; platform rules are those `platforms.py` describes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..errors import BadRequest, ValidationItem
from .dates import DATE_RULE, calendar_key, parse_date
from .money import ZERO
from .platforms import PlatformProfile, TaxRule
from .prototypes import BankAccountPrototype, BillPaymentPrototype, BillPrototype, SupplierPrototype
from .records import (
    AddressRecord,
    AddressType,
    BillRecord,
    BillStatus,
    Ledger,
    LineItemRecord,
    RecordStatus,
    SupplierRecord,
    SupplierStatus,
    TrackingRefRecord,
)

VALIDATOR = "PayablesValidator"
MAX_AMOUNT = Decimal(10) ** 13
"""Amounts are refused from here on: far beyond any invoice, and still exact as a JSON number."""
MAX_REFERENCE = 255
PAYABLE = (BillStatus.OPEN, BillStatus.PARTIALLY_PAID)
_CURRENCY = re.compile(r"\A[A-Za-z]{3}\Z")
_TRACKING_TYPES = ("trackingCategories", "customers")


class Problems:
    """Collects validation items; `raise_if_any` refuses the request with all of them."""

    def __init__(self) -> None:
        self.items: list[ValidationItem] = []

    def add(self, item_id: str, message: str) -> None:
        self.items.append(ValidationItem(item_id, f"{item_id}: {message}", VALIDATOR))

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0].message
            more = f" (and {len(self.items) - 1} more)" if len(self.items) > 1 else ""
            raise BadRequest(f"The request is not valid: {first}{more}", validation=tuple(self.items))


def _amount(value: Decimal | None, item_id: str, problems: Problems, *, default: Decimal | None = ZERO) -> Decimal:
    if value is None:
        return default if default is not None else ZERO
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        problems.add(item_id, f"must be a finite number below {MAX_AMOUNT:,}; got {value}")
        return ZERO
    return value


def _date(text: str | None, item_id: str, problems: Problems) -> datetime | None:
    if text is None:
        problems.add(item_id, "is required")
        return None
    moment = parse_date(text)
    if moment is None:
        problems.add(item_id, f"{DATE_RULE}; got {text!r}")
    return moment


def _currency(text: str | None, item_id: str, problems: Problems, *, required: bool = True) -> str | None:
    if text is None:
        if required:
            problems.add(item_id, "is required")
        return None
    if not _CURRENCY.match(text):
        problems.add(item_id, f"must be a three-letter ISO 4217 code; got {text!r}")
        return None
    return text.upper()


def _rate(value: Decimal | None, item_id: str, problems: Problems) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite() or value <= 0 or value >= MAX_AMOUNT:
        problems.add(item_id, f"must be greater than 0; got {value}")
        return None
    return value


# --- bills --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BillDraft:
    """A bill prototype that passed every rule, with its server-computed totals."""

    reference: str | None
    supplier_id: str
    issue_date: datetime
    due_date: datetime
    currency: str
    currency_rate: Decimal | None
    line_items: tuple[LineItemRecord, ...]
    total_amount: Decimal


def check_bill(
    body: BillPrototype, ledger: Ledger, profile: PlatformProfile, *, replacing: BillRecord | None = None
) -> BillDraft:
    """The bill `body` describes, or BadRequest naming every broken rule (create and update alike)."""
    problems = Problems()
    if replacing is not None and replacing.status is not BillStatus.OPEN:
        problems.add(
            "billId",
            f"bill {replacing.id} is {replacing.status.value}; only an Open bill can be updated "
            "(a paid or part-paid bill is settled in the ledger)",
        )
    if body.status is None:
        problems.add("status", "is required and must be Open")
    elif body.status is not BillStatus.OPEN:
        problems.add("status", f"must be Open; got {body.status.value}")

    supplier = _supplier_ref(body, ledger, problems)
    issue = _date(body.issue_date, "issueDate", problems)
    due = _date(body.due_date, "dueDate", problems)
    late = issue is not None and due is not None and calendar_key(due) < calendar_key(issue)
    if profile.due_not_before_issue and late:
        problems.add("dueDate", f"must not be before issueDate on {profile.name}")
    currency = _currency(body.currency, "currency", problems)
    rate = _rate(body.currency_rate, "currencyRate", problems)
    if profile.bill_currency_follows_supplier and supplier is not None and currency is not None:
        # Zoho Books bills in the supplier's currency whatever the body says, at rate 1 in the base currency.
        currency = supplier.default_currency or ledger.base_currency
        if currency == ledger.base_currency:
            rate = Decimal(1)
    if (
        profile.bill_currency_fixed
        and replacing is not None
        and currency is not None
        and currency != replacing.currency
    ):
        problems.add(
            "currency",
            f"cannot be changed on {profile.name}: bill {replacing.id} is in {replacing.currency}; got {currency}",
        )
    if (
        profile.bill_currency_matches_supplier
        and supplier is not None
        and currency is not None
        and supplier.default_currency is not None
        and currency != supplier.default_currency
    ):
        problems.add(
            "currency",
            f"must be the supplier's currency {supplier.default_currency} on {profile.name}; got {currency}",
        )

    reference = _bill_reference(body.reference, profile, replacing, problems)
    limit = min(profile.reference_max, MAX_REFERENCE)
    if body.reference is not None and len(body.reference) > limit:
        problems.add("reference", f"must be at most {limit} characters on {profile.name}; got {len(body.reference)}")
    if profile.unique_reference_per_supplier and reference and supplier is not None:
        for bill in ledger.bills.values():
            if bill.supplier_id == supplier.id and bill.reference == reference and bill is not replacing:
                problems.add(
                    "reference", f"{reference!r} is already used by bill {bill.id} of this supplier on {profile.name}"
                )
                break

    lines = _line_items(body, ledger, profile, problems)
    total = sum((line.total_amount for line in lines), ZERO)
    if lines and total < 0:
        problems.add("lineItems", f"the line items add up to {total}; a bill's total cannot be negative")
    problems.raise_if_any()
    assert supplier is not None and issue is not None and due is not None and currency is not None
    return BillDraft(reference, supplier.id, issue, due, currency, rate, tuple(lines), total)


def _bill_reference(
    given: str | None, profile: PlatformProfile, replacing: BillRecord | None, problems: Problems
) -> str | None:
    """The reference the bill will carry.

    On update, a missing (or null: the SDKs leave out None fields, so the two cannot differ) reference keeps
    the bill's own, except on Intacct, where it clears it; `""` clears it, except on NetSuite, which refuses.
    """
    if replacing is None:
        return given
    if given is None:
        return None if profile.omitted_reference_clears else replacing.reference
    if given == "" and profile.bill_reference_clear_refused:
        problems.add("reference", f"cannot be cleared on {profile.name}; send the reference to keep it")
    return given


def _supplier_ref(body: BillPrototype, ledger: Ledger, problems: Problems) -> SupplierRecord | None:
    ref = body.supplier_ref
    if ref is None:
        problems.add("supplierRef", "is required")
        return None
    if not ref.id:
        problems.add("supplierRef.id", "is required and cannot be empty")
        return None
    supplier = ledger.suppliers.get(ref.id)
    if supplier is None:
        problems.add("supplierRef.id", f"no supplier with id {ref.id!r}; create the supplier before its bill")
        return None
    if supplier.status is SupplierStatus.ARCHIVED:
        problems.add("supplierRef.id", f"supplier {ref.id} is archived; make it Active before billing it")
        return None
    return supplier


def _line_items(
    body: BillPrototype, ledger: Ledger, profile: PlatformProfile, problems: Problems
) -> list[LineItemRecord]:
    if not body.line_items:
        problems.add("lineItems", "at least one line item is required")
        return []
    if profile.max_line_items is not None and len(body.line_items) > profile.max_line_items:
        problems.add(
            "lineItems",
            f"at most {profile.max_line_items} line items on {profile.name}; got {len(body.line_items)}",
        )
    lines = []
    for i, line in enumerate(body.line_items):
        at = f"lineItems.{i}"
        unit = _amount(line.unit_amount, f"{at}.unitAmount", problems)
        quantity = _amount(line.quantity, f"{at}.quantity", problems, default=Decimal(1))
        tax = _amount(line.tax_amount, f"{at}.taxAmount", problems)
        given_total = (
            _amount(line.total_amount, f"{at}.totalAmount", problems) if line.total_amount is not None else None
        )
        total = given_total if given_total is not None else unit * quantity + tax
        if abs(total) >= MAX_AMOUNT:
            problems.add(f"{at}.totalAmount", f"the line total {total} is too large")
        account_id = None
        if line.account_ref is not None:
            account = ledger.accounts.get(line.account_ref.id)
            if account is None:
                problems.add(
                    f"{at}.accountRef.id", f"no account with id {line.account_ref.id!r} in the chart of accounts"
                )
            elif account.status is not RecordStatus.ACTIVE:
                problems.add(f"{at}.accountRef.id", f"account {account.id} ({account.name}) is archived")
            else:
                account_id = account.id
        tax_id = _tax_rate(line.tax_rate_ref.id if line.tax_rate_ref else None, tax, at, ledger, profile, problems)
        tracking = None
        if line.tracking_refs is not None:
            for j, ref in enumerate(line.tracking_refs):
                if ref.data_type not in _TRACKING_TYPES:
                    problems.add(
                        f"{at}.trackingRefs.{j}.dataType",
                        f"must be one of {', '.join(_TRACKING_TYPES)}; got {ref.data_type!r}",
                    )
            tracking = tuple(TrackingRefRecord(r.id, r.data_type, r.is_billable) for r in line.tracking_refs)
        lines.append(LineItemRecord(line.description, unit, quantity, tax, total, account_id, tax_id, tracking))
    return lines


def _tax_rate(
    tax_id: str | None, tax: Decimal, at: str, ledger: Ledger, profile: PlatformProfile, problems: Problems
) -> str | None:
    item = f"{at}.taxRateRef"
    rule = profile.tax_rule
    if rule is TaxRule.FORBIDDEN:
        if tax_id is not None:
            problems.add(item, f"must be null on {profile.name}: tax goes in taxAmount only")
        return None
    needed = (
        rule is TaxRule.REQUIRED
        or (rule is TaxRule.WITH_TAX_AMOUNT and tax != 0)
        or (rule is TaxRule.WHEN_TAXED and tax != 0)
    )
    if tax_id is None:
        if needed:
            problems.add(
                item, f"is required on {profile.name}" + ("" if rule is TaxRule.REQUIRED else " with a taxAmount")
            )
        return None
    rate = ledger.tax_rates.get(tax_id)
    if rate is None:
        problems.add(f"{item}.id", f"no tax rate with id {tax_id!r}")
        return None
    if rate.status is not RecordStatus.ACTIVE:
        problems.add(f"{item}.id", f"tax rate {tax_id} ({rate.name}) is archived")
        return None
    return tax_id


# --- payments -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaymentDraft:
    amount: Decimal
    date: datetime
    reference: str | None
    account_id: str
    currency_rate: Decimal | None


def check_payment(body: BillPaymentPrototype, bill: BillRecord, ledger: Ledger) -> PaymentDraft:
    """A payment against `bill` that passed every rule, or BadRequest naming each broken one."""
    problems = Problems()
    if bill.status not in PAYABLE:
        problems.add("billId", f"bill {bill.id} is {bill.status.value}; only Open or PartiallyPaid bills can be paid")
    amount = ZERO
    if body.amount is None:
        problems.add("amount", "is required")
    else:
        amount = _amount(body.amount, "amount", problems)
        if amount <= 0:
            problems.add("amount", f"must be greater than 0; got {body.amount}")
        elif bill.status in PAYABLE and amount > bill.amount_due:
            problems.add(
                "amount",
                f"{amount} is more than the {bill.amount_due} {bill.currency} due on bill {bill.id}; "
                "a payment cannot overpay a bill",
            )
    date = _date(body.date, "date", problems)
    rate = _rate(body.currency_rate, "currencyRate", problems)
    account_id = ""
    if body.account_ref is None or not body.account_ref.id:
        problems.add("accountRef.id", "is required: the bank or credit-card account the payment comes from")
    else:
        account = ledger.bank_accounts.get(body.account_ref.id)
        if account is None:
            problems.add(
                "accountRef.id", f"no bank account with id {body.account_ref.id!r} (see mappingOptions/payments)"
            )
        elif account.status is not RecordStatus.ACTIVE:
            problems.add("accountRef.id", f"bank account {account.id} ({account.name}) is archived")
        elif account.currency not in (bill.currency, ledger.base_currency):
            problems.add(
                "accountRef.id",
                f"bank account {account.id} is in {account.currency}; a payment of a {bill.currency} bill comes "
                f"from a {bill.currency} or {ledger.base_currency} account",
            )
        else:
            account_id = account.id
    reference = body.reference
    if reference is not None and len(reference) > MAX_REFERENCE:
        problems.add("reference", f"must be at most {MAX_REFERENCE} characters; got {len(reference)}")
    problems.raise_if_any()
    assert date is not None
    return PaymentDraft(amount, date, reference, account_id, rate)


# --- suppliers ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupplierDraft:
    supplier_name: str
    status: SupplierStatus
    default_currency: str | None
    contact_name: str | None
    addresses: tuple[AddressRecord, ...] | None


def check_supplier(
    body: SupplierPrototype, ledger: Ledger, profile: PlatformProfile, *, replacing: SupplierRecord | None = None
) -> SupplierDraft:
    problems = Problems()
    name = body.supplier_name
    if name is None or not name.strip():
        # QuickBooks Online and FreeAgent fall back to the contact's name; so does the emulator, everywhere.
        name = body.contact_name if body.contact_name and body.contact_name.strip() else None
        if name is None:
            problems.add("supplierName", "is required (or give a contactName to name the supplier after)")
    elif len(name) > 500:
        problems.add("supplierName", f"must be at most 500 characters; got {len(name)}")
    status = body.status
    if status is None and replacing is not None and profile.omitted_supplier_status_activates:
        status = SupplierStatus.ACTIVE  # NetSuite re-activates a supplier updated without a status
    if status is None:
        problems.add("status", "is required: Active or Archived")
    currency = _supplier_currency(body.default_currency, ledger, profile, replacing, problems)
    if replacing is not None:
        if profile.archived_supplier_update_refused and replacing.status is SupplierStatus.ARCHIVED:
            problems.add("supplierId", f"supplier {replacing.id} is archived and cannot be updated on {profile.name}")
        if profile.supplier_currency_fixed and currency is not None and currency != replacing.default_currency:
            problems.add(
                "defaultCurrency",
                f"is fixed when the supplier is created on {profile.name} "
                f"({replacing.default_currency}); got {currency}",
            )
        if profile.supplier_currency_fixed:
            currency = replacing.default_currency
    if name is not None and profile.unique_supplier_names:
        for other in ledger.suppliers.values():
            if other is not replacing and other.supplier_name.casefold() == name.casefold():
                problems.add("supplierName", f"{name!r} is already the name of supplier {other.id} on {profile.name}")
                break
    for i, address in enumerate(body.addresses or []):
        if profile.supplier_country_two_letters and address.country is not None and len(address.country) != 2:
            problems.add(f"addresses.{i}.country", f"must be a 2-letter ISO 3166 code on {profile.name}")
    problems.raise_if_any()
    assert name is not None and status is not None
    contact = None if profile.supplier_contact_name_ignored else body.contact_name
    return SupplierDraft(name, status, currency, contact, _addresses(body, profile))


def _supplier_currency(
    given: str | None,
    ledger: Ledger,
    profile: PlatformProfile,
    replacing: SupplierRecord | None,
    problems: Problems,
) -> str | None:
    if not profile.supplier_has_currency:
        if given is not None:
            _currency(given, "defaultCurrency", problems, required=False)  # still a well-formed code
        return None  # FreeAgent ignores it; suppliers deal in the base currency
    if profile.supplier_currency_null_keeps:
        # Intacct: on update a null (or missing) currency keeps the supplier's, and "" clears it.
        if given == "":
            return None
        if given is None and replacing is not None:
            return replacing.default_currency
    currency = _currency(given, "defaultCurrency", problems, required=False)
    if currency is None and given is None and replacing is None:
        currency = ledger.base_currency
    return currency


def _addresses(body: SupplierPrototype, profile: PlatformProfile) -> tuple[AddressRecord, ...] | None:
    if body.addresses is None:
        return None
    limit = profile.supplier_addresses_max
    kept = body.addresses if limit is None else body.addresses[:limit]
    return tuple(
        AddressRecord(a.type or AddressType.UNKNOWN, a.line1, a.line2, a.city, a.region, a.country, a.postal_code)
        for a in kept
    )


# --- bank accounts ------------------------------------------------------------------------------------------


def check_bank_account(body: BankAccountPrototype) -> str:
    """The account's currency, once every required field is there."""
    problems = Problems()
    if body.name is None or not body.name.strip():
        problems.add("name", "is required")
    if body.account_type is None:
        problems.add("accountType", "is required: Debit (money you hold) or Credit (a card or credit line)")
    if body.account_number is None or not body.account_number.strip():
        problems.add("accountNumber", "is required")
    currency = _currency(body.currency, "currency", problems)
    problems.raise_if_any()
    assert currency is not None
    return currency

"""A pure reference model of one connection's Bill Pay world (suppliers, bills, payments, bank accounts).

Written from the rules in docs/payables.md and docs/decisions.md ("Bill Pay") and the facts in Codat's Bill
Pay reference, independently of the emulator: it imports neither `mock_server` nor `sdk_stub`. It does not
re-derive a seed ledger either; `PayablesLedger.observed` starts from what a client read through the API
right after linking, and from then on the model predicts every write and every listing.

As in `contracts.model`, an operation returns what a correct implementation answers, or raises a refusal:
`Invalid` (400) names the request fields a correct implementation names in `validation.errors[].itemId`
(the implementation may name more; it must name these). A refusal changes nothing in the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .model import Refused

ZERO = Decimal(0)
#: Amounts from here on are refused: Codat's documents give no bound, the emulator's choice (decisions.md).
TOO_LARGE = Decimal(10) ** 13
STATUSES = ("Open", "PartiallyPaid", "Paid", "Void", "Draft")
OUTSTANDING = ("Open", "PartiallyPaid")
_CURRENCY = re.compile(r"[A-Za-z]{3}")
_STANDARD = frozenset({"Open", "PartiallyPaid", "Paid"})


class Invalid(Refused):
    """400, naming `fields` (each must appear among the answer's validation item ids)."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__(400, "invalid: " + ", ".join(fields))
        self.fields = frozenset(fields)  # narrows `Refused.fields`


@dataclass(frozen=True)
class Platform:
    """What the model needs to know of a Bill Pay platform (the table in docs/payables.md)."""

    key: str
    base_currency: str
    statuses: frozenset[str]
    reference_max: int
    tax_rate_ref: str  # "required", "forbidden" (FreeAgent) or "with-tax" (needed with a non-zero taxAmount)
    max_lines: int | None = None
    unique_supplier_names: bool = False
    archived_supplier_frozen: bool = False  # Xero: an archived supplier cannot be updated
    supplier_currency: str = "free"  # "free"; "fixed" at creation (QuickBooks Online); "none" (FreeAgent)
    bill_in_supplier_currency: bool = False  # QuickBooks Online
    archived_supplier_ignored: bool = False  # QuickBooks Online: an archived supplier's update changes nothing
    # unless it re-activates it
    bill_currency_fixed: bool = False  # NetSuite: update-bill cannot change the currency
    reference_clear_refused: bool = False  # NetSuite: update-bill cannot clear the reference with ""


#: The Bill Pay platforms the agreement machine links (a subset of the emulator's eight is enough to hold
#: every kind of per-platform rule the model knows).
BILL_PAY: dict[str, Platform] = {
    "gbol": Platform(
        "gbol",
        "GBP",
        _STANDARD | {"Void", "Draft"},
        255,
        "required",
        unique_supplier_names=True,
        archived_supplier_frozen=True,
    ),
    "qhyg": Platform(
        "qhyg",
        "USD",
        _STANDARD,
        21,
        "required",
        supplier_currency="fixed",
        bill_in_supplier_currency=True,
        archived_supplier_ignored=True,
    ),
    "fbrh": Platform("fbrh", "GBP", _STANDARD, 255, "forbidden", max_lines=40, supplier_currency="none"),
    "akxx": Platform(
        "akxx",
        "USD",
        _STANDARD | {"Void"},
        45,
        "with-tax",
        unique_supplier_names=True,
        bill_currency_fixed=True,
        reference_clear_refused=True,
    ),
}


# --- what a client sends (the model's own plain shapes) -----------------------------------------------------


@dataclass(frozen=True)
class SupplierIn:
    name: str
    status: str = "Active"
    contact_name: str | None = None
    currency: str | None = None


@dataclass(frozen=True)
class LineIn:
    unit: Decimal | None = None
    quantity: Decimal | None = None
    tax: Decimal | None = None
    total: Decimal | None = None
    account_id: str | None = None
    tax_rate_id: str | None = None


@dataclass(frozen=True)
class BillIn:
    supplier_id: str
    currency: str
    lines: tuple[LineIn, ...]
    reference: str | None = None
    status: str = "Open"
    currency_rate: Decimal | None = None


@dataclass(frozen=True)
class PaymentIn:
    amount: Decimal
    account_id: str
    currency_rate: Decimal | None = None


@dataclass(frozen=True)
class BankAccountIn:
    name: str
    account_number: str
    currency: str
    account_type: str = "Debit"


# --- what the ledger holds ----------------------------------------------------------------------------------


@dataclass
class Supplier:
    id: str
    name: str
    status: str
    currency: str | None


@dataclass
class Line:
    total: Decimal
    account_id: str | None
    tax_rate_id: str | None


@dataclass
class Bill:
    id: str
    supplier_id: str
    reference: str | None
    currency: str
    status: str
    lines: list[Line]
    total: Decimal
    due: Decimal


@dataclass
class Option:
    """An account, tax rate or bank account: what bills and payments may refer to."""

    id: str
    status: str
    currency: str | None = None


@dataclass
class PayablesLedger:
    platform: Platform
    suppliers: dict[str, Supplier] = field(default_factory=dict)
    bills: dict[str, Bill] = field(default_factory=dict)
    accounts: dict[str, Option] = field(default_factory=dict)
    tax_rates: dict[str, Option] = field(default_factory=dict)
    bank_accounts: dict[str, Option] = field(default_factory=dict)

    @property
    def base_currency(self) -> str:
        return self.platform.base_currency

    # --- listings --------------------------------------------------------------------------------------

    def list_bills(self, statuses: tuple[str, ...] = OUTSTANDING) -> list[Bill]:
        """list-bills without a query answers the outstanding bills; a `status=` query widens it."""
        return [b for b in self.bills.values() if b.status in statuses]

    def balance(self, supplier_id: str) -> Decimal:
        """A supplier's balance: what its outstanding bills still owe."""
        return sum(
            (b.due for b in self.bills.values() if b.supplier_id == supplier_id and b.status in OUTSTANDING), ZERO
        )

    # --- suppliers -------------------------------------------------------------------------------------

    def expect_supplier(self, body: SupplierIn, replacing: str | None = None) -> Supplier:
        """The supplier a create (or, with `replacing`, a full replace) answers with; id blank on create."""
        current = self.supplier(replacing) if replacing is not None else None
        problems: list[str] = []
        name = body.name if body.name.strip() else (body.contact_name or "")
        if not name.strip():
            problems.append("supplierName")  # neither a name nor a contact to name it after
        currency = body.currency
        if currency is not None:
            if _CURRENCY.fullmatch(currency) is None:
                problems.append("defaultCurrency")
                currency = None
            else:
                currency = currency.upper()
        rules = self.platform
        if rules.supplier_currency == "none":
            currency = None
        elif current is None:
            currency = currency or self.base_currency
        elif rules.supplier_currency == "fixed":
            if currency is not None and currency != current.currency:
                problems.append("defaultCurrency")
            currency = current.currency
        if current is not None and rules.archived_supplier_frozen and current.status == "Archived":
            problems.append("supplierId")
        if rules.unique_supplier_names and name.strip():
            taken = {s.name.casefold() for s in self.suppliers.values() if s is not current}
            if name.casefold() in taken:
                problems.append("supplierName")
        if problems:
            raise Invalid(problems)
        ignored = rules.archived_supplier_ignored and body.status != "Active"
        if current is not None and ignored and current.status == "Archived":
            return current  # accepted, and nothing changes
        return Supplier(current.id if current else "", name, body.status, currency)

    def supplier(self, supplier_id: str) -> Supplier:
        found = self.suppliers.get(supplier_id)
        if found is None:
            raise Refused(404, f"Supplier {supplier_id} not found")
        return found

    def put_supplier(self, supplier: Supplier) -> None:
        self.suppliers[supplier.id] = supplier

    # --- bills -----------------------------------------------------------------------------------------

    def bill(self, bill_id: str) -> Bill:
        found = self.bills.get(bill_id)
        if found is None:
            raise Refused(404, f"Bill {bill_id} not found")
        return found

    def expect_bill(self, body: BillIn, replacing: str | None = None) -> Bill:
        """The bill a create (or an update of `replacing`) answers with: Open, owing all its total."""
        current = self.bill(replacing) if replacing is not None else None
        problems: list[str] = []
        if current is not None and current.status != "Open":
            problems.append("billId")  # only an Open bill can be updated
        if body.status != "Open":
            problems.append("status")
        supplier = self.suppliers.get(body.supplier_id)
        if supplier is None or supplier.status != "Active":
            problems.append("supplierRef.id")
        currency = body.currency.upper() if _CURRENCY.fullmatch(body.currency) else None
        if currency is None or (
            self.platform.bill_in_supplier_currency
            and supplier is not None
            and supplier.currency is not None
            and supplier.currency != currency
        ):
            problems.append("currency")
        if body.currency_rate is not None and not ZERO < body.currency_rate < TOO_LARGE:
            problems.append("currencyRate")
        if body.reference is not None and len(body.reference) > self.platform.reference_max:
            problems.append("reference")
        # On update a missing reference keeps the bill's own (only Intacct clears it, not modelled here);
        # "" clears it, which NetSuite refuses, as it refuses a change of currency.
        reference = body.reference if current is None or body.reference is not None else current.reference
        if current is not None and body.reference == "" and self.platform.reference_clear_refused:
            problems.append("reference")
        if current is not None and self.platform.bill_currency_fixed and currency not in (None, current.currency):
            problems.append("currency")
        lines = [self._line(i, line, problems) for i, line in enumerate(body.lines)]
        if not lines or self.platform.max_lines is not None and len(lines) > self.platform.max_lines:
            problems.append("lineItems")
        total = sum((line.total for line in lines), ZERO)
        if total < 0:
            problems.append("lineItems")
        if problems:
            raise Invalid(problems)
        assert currency is not None
        bill_id = current.id if current else ""
        return Bill(bill_id, body.supplier_id, reference, currency, "Open", lines, total, total)

    def _line(self, i: int, line: LineIn, problems: list[str]) -> Line:
        at = f"lineItems.{i}"

        def amount(value: Decimal | None, name: str, default: Decimal) -> Decimal:
            if value is None:
                return default
            if abs(value) >= TOO_LARGE:
                problems.append(f"{at}.{name}")
                return ZERO
            return value

        unit = amount(line.unit, "unitAmount", ZERO)
        quantity = amount(line.quantity, "quantity", Decimal(1))
        tax = amount(line.tax, "taxAmount", ZERO)
        total = amount(line.total, "totalAmount", ZERO) if line.total is not None else quantity * unit + tax
        if abs(total) >= TOO_LARGE:
            problems.append(f"{at}.totalAmount")  # a computed total is an amount too
        if line.account_id is not None:
            account = self.accounts.get(line.account_id)
            if account is None or account.status != "Active":
                problems.append(f"{at}.accountRef.id")
        rule = self.platform.tax_rate_ref
        if rule == "forbidden":
            if line.tax_rate_id is not None:
                problems.append(f"{at}.taxRateRef")
        elif line.tax_rate_id is None:
            if rule == "required" or tax != 0:
                problems.append(f"{at}.taxRateRef")
        else:
            rate = self.tax_rates.get(line.tax_rate_id)
            if rate is None or rate.status != "Active":
                problems.append(f"{at}.taxRateRef.id")
        tax_rate_id = None if rule == "forbidden" else line.tax_rate_id
        return Line(total, line.account_id, tax_rate_id)

    def put_bill(self, bill: Bill) -> None:
        self.bills[bill.id] = bill

    # --- payments and bank accounts --------------------------------------------------------------------

    def pay(self, bill_id: str, body: PaymentIn) -> Bill:
        """The bill after a payment: `due` down by the amount, PartiallyPaid while anything is left, else Paid."""
        bill = self.bill(bill_id)
        problems: list[str] = []
        payable = bill.status in OUTSTANDING
        if not payable:
            problems.append("billId")
        if body.amount <= 0 or body.amount >= TOO_LARGE or (payable and body.amount > bill.due):
            problems.append("amount")
        account = self.bank_accounts.get(body.account_id)
        if account is None or account.status != "Active" or account.currency not in (bill.currency, self.base_currency):
            problems.append("accountRef.id")
        if body.currency_rate is not None and not ZERO < body.currency_rate < TOO_LARGE:
            problems.append("currencyRate")
        if problems:
            raise Invalid(problems)
        bill.due -= body.amount
        bill.status = "Paid" if bill.due == 0 else "PartiallyPaid"
        return bill

    def expect_bank_account(self, body: BankAccountIn) -> Option:
        problems = [
            name for name, value in (("name", body.name), ("accountNumber", body.account_number)) if not value.strip()
        ]
        if _CURRENCY.fullmatch(body.currency) is None:
            problems.append("currency")
        if problems:
            raise Invalid(problems)
        return Option("", "Active", body.currency.upper())

    def put_bank_account(self, account: Option) -> None:
        self.bank_accounts[account.id] = account

    # --- the rules every state must keep ---------------------------------------------------------------

    def check(self) -> None:
        """Amounts add up and `due` agrees with the status, for every bill the model holds."""
        for bill in self.bills.values():
            check_bill_amounts(bill.status, bill.total, bill.due, [line.total for line in bill.lines])


def check_bill_amounts(status: str, total: Decimal, due: Decimal, line_totals: list[Decimal]) -> None:
    """The invariants of a bill's amounts (the seed ledger's too): they hold of model and implementation alike.

    Lines add up to the total; Open and Draft bills owe it all, PartiallyPaid ones part of it, Paid and Void
    ones nothing (a void bill is not owed: decisions.md's seed ledger, Codat's meaning of Void).
    """
    assert sum(line_totals, ZERO) == total, f"lines {line_totals} do not add up to {total}"
    assert total >= 0, total
    if status in ("Open", "Draft"):
        assert due == total, (status, total, due)
    elif status == "PartiallyPaid":
        assert ZERO < due < total, (status, total, due)
    elif status in ("Paid", "Void"):
        assert due == ZERO, (status, total, due)
    else:
        raise AssertionError(f"unknown bill status {status}")


@dataclass
class PayablesModel:
    """The ledgers of the Bill Pay connections the model has seen linked, by connection id.

    A ledger outlives unlinking (re-linking keeps it) and goes with its connection: the caller checks the
    connection through `CodatModel` first, which answers the 404s and the not-Linked 400.
    """

    ledgers: dict[str, PayablesLedger] = field(default_factory=dict)

    def ledger(self, connection_id: str) -> PayablesLedger:
        return self.ledgers[connection_id]

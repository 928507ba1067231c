"""The ledger a connection gets when it becomes Linked: realistic, and the same for the same connection id.

Everything random comes from `random.Random(connection id)` (or an explicit seed from the control plane),
and every date is relative to `now`, so with `--seed` (fixed ids, manual clock) a run is repeatable byte
for byte. Bills cover every status the platform supports, their line totals add up, and `amountDue`
agrees with the status: Open and Draft owe everything, PartiallyPaid some, Paid and Void nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from .ids import mint
from .money import ZERO, cents
from .platforms import PlatformProfile, TaxRule
from .records import (
    AccountRecord,
    AddressRecord,
    AddressType,
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
)

# (nominal code, name, Codat account type); the last expense account is the archived one.
_EXPENSES = (
    ("429", "General Expenses"),
    ("453", "Office Expenses"),
    ("469", "Rent"),
    ("489", "Telephone & Internet"),
    ("493", "Travel - National"),
    ("400", "Advertising"),
    ("412", "Legal & Professional Fees"),
    ("463", "Computer Software"),
    ("420", "Entertainment (old)"),
)
_OTHER_ACCOUNTS = (
    ("200", "Sales", "Income"),
    ("800", "Accounts Payable", "Liability"),
    ("820", "Sales Tax", "Liability"),
)

# (id when the platform uses codes as ids, name, code, rate %)
_TAX_RATES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "gbol": (
        ("INPUT2", "20% (VAT on Expenses)", "20"),
        ("RRINPUT", "5% (VAT on Expenses)", "5"),
        ("ZERORATEDINPUT", "Zero Rated Expenses", "0"),
        ("EXEMPTEXPENSES", "Exempt Expenses", "0"),
        ("NONE", "No VAT", "0"),
    ),
    "qhyg": (("TAX", "Sales tax", "8.875"), ("NON", "Non-taxable", "0")),
    "fbrh": (("1", "VAT (20%)", "20"), ("2", "VAT (5%)", "5"), ("3", "Zero rate", "0")),
    "akxx": (("CA-S", "CA State", "7.25"), ("CA-E", "CA Exempt", "0")),
    "knfz": (("US-STATE", "State sales tax", "6"), ("US-EXEMPT", "Exempt", "0")),
    "rwuv": (("STD", "Standard Rate", "20"), ("RED", "Reduced Rate", "5"), ("ZERO", "Zero Rate", "0")),
    "pdvj": (("GST", "Goods & Services Tax", "10"), ("FRE", "GST Free", "0")),
    "pqsw": (("TAX", "Sales tax", "7"), ("NON", "Non-taxable", "0")),
}

_SUPPLIERS = (
    ("Northwind Office Supplies", "Ava Patel", "Unit 4, Harbour Road", "Leeds", "LS1 4AB"),
    ("Kestrel Couriers", "Ben Okafor", "18 Mill Lane", "Bristol", "BS1 5TT"),
    ("Greenleaf Cleaning Co", "Chloe Martin", "2 Orchard Way", "York", "YO1 7HH"),
    ("Bluepeak Software", "Dan Reyes", "77 King Street", "Manchester", "M2 4LQ"),
    ("Summit Legal LLP", "Erin Walsh", "9 Temple Row", "Birmingham", "B2 5HG"),
    ("Harbourside Catering", "Finn Doyle", "31 Quay Street", "Cardiff", "CF10 1EA"),
    ("Oakridge Utilities", "Grace Liu", "140 Station Road", "Norwich", "NR1 1DJ"),
    ("Pinecrest Printing", "Hugo Silva", "5 Canal Wharf", "Nottingham", "NG1 7EH"),
)

_LINES = ("Printer paper", "Monthly subscription", "Courier delivery", "Office cleaning", "Consultancy", "Toner")

_COUNTRY = {"GBP": "GB", "USD": "US", "AUD": "AU"}


class _Minter:
    def __init__(self, profile: PlatformProfile, connection_id: str, ledger: Ledger) -> None:
        self.style = profile.id_style
        self.connection_id = connection_id
        self.ledger = ledger

    def next(self) -> str:
        number = self.ledger.next_number
        self.ledger.next_number += 1
        return mint(self.style, self.connection_id, number)


def generate_ledger(
    profile: PlatformProfile, connection_id: str, company_name: str, now: datetime, seed: int | str | None = None
) -> Ledger:
    """A fresh ledger for `connection_id` on `profile`'s platform (deterministic in its arguments)."""
    rng = random.Random(f"{connection_id}/{seed}" if seed is not None else connection_id)
    currency = profile.base_currency
    ledger = Ledger(profile.key, company_name, currency)
    ids = _Minter(profile, connection_id, ledger)

    def modified() -> datetime:
        return now - timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 1439))

    def account_id(code: str) -> str:
        return code if profile.key == "fbrh" else ids.next()  # FreeAgent's account ids are nominal codes

    def nominal(code: str) -> str | None:
        if profile.key == "akxx":
            return None
        return "" if profile.key == "rwuv" else code

    for i, (code, name) in enumerate(_EXPENSES):
        state = RecordStatus.ARCHIVED if i == len(_EXPENSES) - 1 else RecordStatus.ACTIVE
        record = AccountRecord(account_id(code), nominal(code), name, "Expense", currency, state, modified())
        ledger.accounts[record.id] = record
    for code, name, kind in _OTHER_ACCOUNTS:
        record = AccountRecord(account_id(code), nominal(code), name, kind, currency, RecordStatus.ACTIVE, modified())
        ledger.accounts[record.id] = record

    for code, name, rate in _TAX_RATES[profile.key]:
        tax_id = code if profile.key in ("gbol", "fbrh") else ids.next()
        ledger.tax_rates[tax_id] = TaxRateRecord(tax_id, name, code, Decimal(rate), RecordStatus.ACTIVE)
    archived_tax = ids.next()
    ledger.tax_rates[archived_tax] = TaxRateRecord(
        archived_tax, "Old standard rate", "OLD", Decimal("17.5"), RecordStatus.ARCHIVED
    )

    sort_code = "40-47-84" if currency == "GBP" else None
    banks = (
        ("090", "Business Current Account", BankAccountType.DEBIT, RecordStatus.ACTIVE),
        ("091", "Business Credit Card", BankAccountType.CREDIT, RecordStatus.ACTIVE),
        ("092", "Old Savings Account", BankAccountType.DEBIT, RecordStatus.ARCHIVED),
    )
    for code, name, kind, state in banks:
        bank_id = code if profile.key == "fbrh" else ids.next()
        number = "".join(str(rng.randint(0, 9)) for _ in range(8))
        ledger.bank_accounts[bank_id] = BankAccountRecord(
            bank_id, nominal(code), name, kind, number, sort_code, currency, state, modified()
        )

    country = _COUNTRY.get(currency, "GB")
    chosen = rng.sample(_SUPPLIERS, 5)
    for i, (name, contact, line1, city, postcode) in enumerate(chosen):
        supplier_id = ids.next()
        email = f"accounts@{name.split()[0].lower()}.example"
        address = AddressRecord(AddressType.BILLING, line1, None, city, None, country, postcode)
        ledger.suppliers[supplier_id] = SupplierRecord(
            supplier_id,
            name,
            None if profile.supplier_contact_name_ignored else contact,  # NetSuite keeps no contact name
            email,
            f"+44 20 7946 0{rng.randint(100, 999)}",
            (address,),
            SupplierStatus.ARCHIVED if i == len(chosen) - 1 else SupplierStatus.ACTIVE,
            currency if profile.supplier_has_currency else None,
            modified(),
        )

    active_suppliers = [s.id for s in ledger.suppliers.values() if s.status is SupplierStatus.ACTIVE]
    expenses = [a.id for a in ledger.accounts.values() if a.type == "Expense" and a.status is RecordStatus.ACTIVE]
    taxes = [t for t in ledger.tax_rates.values() if t.status is RecordStatus.ACTIVE]
    payer = next(iter(ledger.bank_accounts))
    statuses = [s for s in BillStatus if s in profile.statuses] + [BillStatus.OPEN, BillStatus.OPEN]
    for n, status in enumerate(statuses, start=1):
        lines = []
        for _ in range(rng.randint(1, 3)):
            tax = rng.choice(taxes)
            unit = cents(Decimal(rng.randint(500, 90000)) / 100)
            quantity = Decimal(rng.randint(1, 5))
            tax_amount = cents(unit * quantity * tax.rate / 100)
            line_tax: str | None = None if profile.tax_rule is TaxRule.FORBIDDEN else tax.id
            lines.append(
                LineItemRecord(
                    rng.choice(_LINES),
                    unit,
                    quantity,
                    tax_amount,
                    unit * quantity + tax_amount,
                    rng.choice(expenses),
                    line_tax,
                )
            )
        total = sum((line.total_amount for line in lines), ZERO)
        issued = (now - timedelta(days=rng.randint(5, 60))).replace(hour=0, minute=0, second=0, microsecond=0)
        bill_id = ids.next()
        reference = f"INV-{rng.randint(1000, 9999)}-{n}"[: profile.reference_max]
        due = total
        paid = ZERO
        if status is BillStatus.PARTIALLY_PAID:
            paid = cents(total * Decimal(rng.randint(20, 80)) / 100)
            due = total - paid
        elif status is BillStatus.PAID:
            paid, due = total, ZERO
        elif status is BillStatus.VOID:
            due = ZERO
        stamp = modified()
        ledger.bills[bill_id] = BillRecord(
            bill_id,
            reference,
            rng.choice(active_suppliers),
            issued.replace(tzinfo=None),
            (issued + timedelta(days=30)).replace(tzinfo=None),
            currency,
            Decimal(1),
            tuple(lines),
            status,
            total,
            due,
            stamp,
        )
        if paid > ZERO:
            payment_id = ids.next()
            ledger.payments[payment_id] = BillPaymentRecord(
                payment_id, bill_id, paid, stamp.replace(tzinfo=None), None, payer, Decimal(1), stamp
            )
    return ledger

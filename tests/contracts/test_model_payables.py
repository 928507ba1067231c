"""The Bill Pay reference model on its own: it must say what docs/payables.md and docs/decisions.md say.

The agreement machine (tests/contracts/test_agreement.py) holds the emulator to this model; these tests hold
the model to the written rules, so that the two cannot agree on a mistake unnoticed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.model import Refused
from contracts.model_payables import (
    BILL_PAY,
    STATUSES,
    BankAccountIn,
    Bill,
    BillIn,
    Invalid,
    LineIn,
    Option,
    PayablesLedger,
    PaymentIn,
    Supplier,
    SupplierIn,
    check_bill_amounts,
)


def ledger(platform: str = "gbol") -> PayablesLedger:
    """A small ledger as if observed after linking: two suppliers (one archived), accounts, a bank account."""
    book = PayablesLedger(BILL_PAY[platform])
    currency = book.base_currency if book.platform.supplier_currency != "none" else None
    book.suppliers = {
        "s1": Supplier("s1", "Kettle", "Active", currency),
        "s2": Supplier("s2", "Lamp", "Archived", currency),
    }
    book.accounts = {"a1": Option("a1", "Active"), "a2": Option("a2", "Archived")}
    book.tax_rates = {"t1": Option("t1", "Active"), "t2": Option("t2", "Archived")}
    book.bank_accounts = {
        "b1": Option("b1", "Active", book.base_currency),
        "b2": Option("b2", "Archived", book.base_currency),
        "b3": Option("b3", "Active", "JPY"),
    }
    return book


def refused_fields(call: object) -> frozenset[str]:
    assert callable(call)
    with pytest.raises(Invalid) as raised:
        call()
    return raised.value.fields


def add_bill(book: PayablesLedger, *lines: LineIn, bill_id: str = "bill-1") -> Bill:
    tax = None if book.platform.tax_rate_ref == "forbidden" else "t1"
    lines = lines or (LineIn(unit=Decimal("10.00"), quantity=Decimal(3), tax=Decimal("6.00"), tax_rate_id=tax),)
    bill = book.expect_bill(BillIn("s1", book.base_currency, lines))
    bill.id = bill_id
    book.put_bill(bill)
    return bill


def test_the_server_computes_totals_with_codats_defaults() -> None:
    book = ledger()
    bill = add_bill(
        book,
        LineIn(unit=Decimal("2.50"), quantity=Decimal(4), tax=Decimal("2.00"), tax_rate_id="t1"),  # 12.00
        LineIn(unit=Decimal("7.25"), tax_rate_id="t1"),  # quantity 1, no tax: 7.25
        LineIn(unit=Decimal("99"), total=Decimal("1.75"), tax_rate_id="t1"),  # a given total wins
    )
    assert (bill.total, bill.due, bill.status) == (Decimal("21.00"), Decimal("21.00"), "Open")
    assert [line.total for line in bill.lines] == [Decimal("12.00"), Decimal("7.25"), Decimal("1.75")]


def test_bill_refusals_name_their_fields() -> None:
    book = ledger()
    good = LineIn(unit=Decimal(1), tax_rate_id="t1")
    assert refused_fields(lambda: book.expect_bill(BillIn("s2", "GBP", (good,)))) == {"supplierRef.id"}
    assert refused_fields(lambda: book.expect_bill(BillIn("nope", "GBP", (good,)))) == {"supplierRef.id"}
    assert refused_fields(lambda: book.expect_bill(BillIn("s1", "GBP", ()))) == {"lineItems"}
    assert refused_fields(lambda: book.expect_bill(BillIn("s1", "GB1", (good,)))) == {"currency"}
    assert refused_fields(lambda: book.expect_bill(BillIn("s1", "GBP", (good,), status="Paid"))) == {"status"}
    bad_refs = LineIn(unit=Decimal(1), account_id="a2", tax_rate_id="t2")
    assert refused_fields(lambda: book.expect_bill(BillIn("s1", "GBP", (good, bad_refs)))) == {
        "lineItems.1.accountRef.id",
        "lineItems.1.taxRateRef.id",
    }
    no_rate = LineIn(unit=Decimal(1))
    assert refused_fields(lambda: book.expect_bill(BillIn("s1", "GBP", (no_rate,)))) == {"lineItems.0.taxRateRef"}
    negative = LineIn(unit=Decimal(-5), tax_rate_id="t1")
    assert refused_fields(lambda: book.expect_bill(BillIn("s1", "GBP", (negative,)))) == {"lineItems"}
    huge = LineIn(unit=Decimal(10) ** 13, tax_rate_id="t1")
    assert refused_fields(lambda: book.expect_bill(BillIn("s1", "GBP", (huge,)))) == {"lineItems.0.unitAmount"}
    rate = BillIn("s1", "GBP", (good,), currency_rate=Decimal(0))
    assert refused_fields(lambda: book.expect_bill(rate)) == {"currencyRate"}
    assert not book.bills, "a refusal adds nothing"


def test_per_platform_bill_rules() -> None:
    freeagent = ledger("fbrh")
    with_rate = LineIn(unit=Decimal(1), tax_rate_id="t1")
    assert refused_fields(lambda: freeagent.expect_bill(BillIn("s1", "GBP", (with_rate,)))) == {
        "lineItems.0.taxRateRef"
    }
    too_many = tuple(LineIn(unit=Decimal(1)) for _ in range(41))
    assert refused_fields(lambda: freeagent.expect_bill(BillIn("s1", "GBP", too_many))) == {"lineItems"}
    assert freeagent.expect_bill(BillIn("s1", "GBP", too_many[:40])).total == 40
    qbo = ledger("qhyg")
    line = LineIn(unit=Decimal(1), tax_rate_id="t1")
    assert refused_fields(lambda: qbo.expect_bill(BillIn("s1", "EUR", (line,)))) == {"currency"}  # supplier's: USD
    assert refused_fields(lambda: qbo.expect_bill(BillIn("s1", "USD", (line,), reference="R" * 22))) == {"reference"}
    netsuite = ledger("akxx")
    untaxed = LineIn(unit=Decimal(1))
    assert netsuite.expect_bill(BillIn("s1", "USD", (untaxed,))).total == 1  # no tax, no rate needed
    taxed = LineIn(unit=Decimal(1), tax=Decimal("0.20"))
    assert refused_fields(lambda: netsuite.expect_bill(BillIn("s1", "USD", (taxed,)))) == {"lineItems.0.taxRateRef"}


def test_updates_need_an_open_bill_and_replace_every_line() -> None:
    book = ledger()
    bill = add_bill(book)
    replacement = BillIn("s1", "GBP", (LineIn(unit=Decimal(4), tax_rate_id="t1"),), reference="new")
    updated = book.expect_bill(replacement, replacing=bill.id)
    assert (updated.id, updated.total, updated.due, len(updated.lines), updated.reference) == (
        bill.id,
        4,
        4,
        1,
        "new",
    )
    book.pay(bill.id, PaymentIn(Decimal(1), "b1"))
    assert refused_fields(lambda: book.expect_bill(replacement, replacing=bill.id)) == {"billId"}
    with pytest.raises(Refused) as missing:
        book.expect_bill(replacement, replacing="nope")
    assert missing.value.status == 404


def test_payments_move_a_bill_to_partly_paid_then_paid_and_refusals_change_nothing() -> None:
    book = ledger()
    bill = add_bill(book)  # 36.00
    for amount, account, fields in [
        (Decimal(0), "b1", {"amount"}),
        (Decimal(-1), "b1", {"amount"}),
        (Decimal("36.01"), "b1", {"amount"}),
        (Decimal(1), "b2", {"accountRef.id"}),  # archived
        (Decimal(1), "b3", {"accountRef.id"}),  # neither the bill's nor the base currency
        (Decimal(1), "nope", {"accountRef.id"}),
    ]:
        assert refused_fields(lambda a=amount, acc=account: book.pay(bill.id, PaymentIn(a, acc))) == fields
        assert (bill.status, bill.due) == ("Open", Decimal("36.00"))
    assert book.pay(bill.id, PaymentIn(Decimal("10.00"), "b1")).status == "PartiallyPaid"
    assert bill.due == Decimal("26.00")
    assert book.list_bills() == [bill] and book.balance("s1") == Decimal("26.00")
    assert book.pay(bill.id, PaymentIn(Decimal("26.00"), "b1")).status == "Paid"
    assert (bill.due, book.list_bills(), book.balance("s1")) == (0, [], 0)
    assert book.list_bills(STATUSES) == [bill]
    assert refused_fields(lambda: book.pay(bill.id, PaymentIn(Decimal(1), "b1"))) == {"billId"}


@given(st.lists(st.integers(-500, 5000).map(lambda n: Decimal(n) / 100), max_size=12))
def test_any_run_of_payments_keeps_the_amounts_consistent(amounts: list[Decimal]) -> None:
    book = ledger()
    bill = add_bill(book)
    paid = Decimal(0)
    for amount in amounts:
        before = (bill.status, bill.due)
        try:
            book.pay(bill.id, PaymentIn(amount, "b1"))
        except Invalid:
            assert (bill.status, bill.due) == before
            assert amount <= 0 or amount > before[1] or before[0] == "Paid"
        else:
            paid += amount
        check_bill_amounts(bill.status, bill.total, bill.due, [line.total for line in bill.lines])
        assert bill.total - bill.due == paid


def test_supplier_rules_per_platform() -> None:
    xero = ledger("gbol")
    assert refused_fields(lambda: xero.expect_supplier(SupplierIn("kettle"))) == {"supplierName"}  # taken
    assert refused_fields(lambda: xero.expect_supplier(SupplierIn("Lamp 2"), replacing="s2")) == {"supplierId"}
    assert refused_fields(lambda: xero.expect_supplier(SupplierIn(" "))) == {"supplierName"}
    assert xero.expect_supplier(SupplierIn("", contact_name="Pat")).name == "Pat"
    assert xero.expect_supplier(SupplierIn("New")).currency == "GBP"  # the base currency by default
    assert xero.expect_supplier(SupplierIn("Kettle"), replacing="s1").currency is None  # a PUT clears it
    assert refused_fields(lambda: xero.expect_supplier(SupplierIn("New", currency="EU"))) == {"defaultCurrency"}
    qbo = ledger("qhyg")
    assert qbo.expect_supplier(SupplierIn("kettle")).name == "kettle"  # QuickBooks Online allows the name twice
    assert refused_fields(lambda: qbo.expect_supplier(SupplierIn("K", currency="EUR"), replacing="s1")) == {
        "defaultCurrency"
    }
    assert qbo.expect_supplier(SupplierIn("K"), replacing="s1").currency == "USD"  # fixed at creation
    assert qbo.expect_supplier(SupplierIn("Lamp 2"), replacing="s2").status == "Active"  # archived: updatable
    assert ledger("fbrh").expect_supplier(SupplierIn("New", currency="EUR")).currency is None


def test_bank_accounts() -> None:
    book = ledger()
    assert book.expect_bank_account(BankAccountIn("Float", "123", "EUR")).status == "Active"
    assert refused_fields(lambda: book.expect_bank_account(BankAccountIn(" ", "", "E1"))) == {
        "name",
        "accountNumber",
        "currency",
    }


@pytest.mark.parametrize(
    ("status", "total", "due", "holds"),
    [
        ("Open", "5", "5", True),
        ("Draft", "5", "5", True),
        ("PartiallyPaid", "5", "2", True),
        ("PartiallyPaid", "5", "5", False),
        ("Paid", "5", "0", True),
        ("Paid", "5", "1", False),
        ("Void", "5", "0", True),
        ("Open", "5", "4", False),
    ],
)
def test_amount_due_must_agree_with_the_status(status: str, total: str, due: str, holds: bool) -> None:
    def check() -> None:
        check_bill_amounts(status, Decimal(total), Decimal(due), [Decimal(total)])

    if holds:
        check()
    else:
        with pytest.raises(AssertionError):
            check()
    with pytest.raises(AssertionError):
        check_bill_amounts(status, Decimal(total), Decimal(due), [Decimal(1)])  # lines that do not add up


def test_the_model_is_independent_of_the_emulator() -> None:
    """The point of the model: it is written from the rules, never by calling the emulator's own code."""
    import ast
    from pathlib import Path

    import contracts

    root = Path(contracts.__file__).parent
    for name in ("model.py", "model_payables.py", "agreement.py", "agreement_payables.py"):
        tree = ast.parse((root / name).read_text())
        imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names] + [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ]
        assert not [m for m in imported if m.startswith("mock_server")], (name, imported)

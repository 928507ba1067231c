"""The agreement machine's Bill Pay rules: suppliers, bills, payments and bank accounts against the model.

`BillPayAgreement` extends `CodatAgreement` (companies and connections) with a connection's payables world.
A rule links a company to a Bill Pay platform; the model then reads the seed ledger once through the API
(`observe`) and from there predicts every write, refusal and listing by itself (`contracts.model_payables`).
Bodies are drawn from the model's state, valid more often than not, each with at most one deliberate flaw
(an unknown or archived reference, a bad amount, a wrong status, ...) so that both sides are exercised.

Checks: every answer is the model's (status, amounts as exact `Decimal`, references); every bill read satisfies
`check_bill_amounts` (lines add up, `amountDue` agrees with the status); listings, followed through their
continuation tokens, equal the model's; a refused write changes nothing (the bill is read back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, invariant, precondition, rule

from sdk_stub import (
    AccountRef,
    BankAccountPrototype,
    Bill,
    BillLineItem,
    BillPaymentPrototype,
    BillPrototype,
    Supplier,
    SupplierPrototype,
    SupplierRef,
    TaxRateRef,
)

from .agreement import TENANTS, CodatAgreement, assert_company, assert_connection
from .model import Refused
from .model_payables import (
    BILL_PAY,
    STATUSES,
    ZERO,
    BankAccountIn,
    BillIn,
    Line,
    LineIn,
    Option,
    PayablesLedger,
    PayablesModel,
    PaymentIn,
    SupplierIn,
    check_bill_amounts,
)
from .model_payables import Bill as ModelBill
from .model_payables import Supplier as ModelSupplier

Ref = tuple[str, str, str]  # (tenant, company id, connection id)
ALL_BILLS = "||".join(f"status={status}" for status in STATUSES)
ALL_OPTIONS = "status=Active||status=Archived"
UNKNOWN_ID = "no-such-id-404"
#: Bulk creation fills a ledger past one page of suppliers (100), so listings must follow a token.
PAGE = 100

_cents = st.integers(-2000, 90000).map(lambda n: Decimal(n) / 100)
_quantities = st.none() | st.integers(1, 5).map(Decimal) | st.sampled_from([Decimal("0.5"), Decimal("2.25")])
BILL_FLAWS = ["supplier", "account", "tax", "huge", "no-lines", "status", "currency", "rate", "ref"]
SUPPLIER_FLAWS = ["taken", "blank", "archived"]
BANK_ACCOUNT_FLAWS = ["name", "accountNumber", "EUR", "E1"]


def _flaw(data: st.DataObject, flaws: list[str]) -> str | None:
    """At most one deliberate flaw per body, none about half the time (0, the simplest draw, is none)."""
    n = data.draw(st.integers(0, 2 * len(flaws)), label="flaw")
    return flaws[n - 1] if 1 <= n <= len(flaws) else None


def _ids(options: dict[str, Option], *, active: bool) -> list[str]:
    return [o.id for o in options.values() if (o.status == "Active") == active]


class BillPayAgreement(CodatAgreement):
    """Companies and connections (the base machine) plus Bill Pay on the connections linked to it."""

    ledgers = Bundle("ledgers")

    def __init__(self) -> None:
        super().__init__()
        self.payables = PayablesModel()
        self.filled = False
        self.named = 0

    # --- the connection a payables call is about --------------------------------------------------------

    def gate(self, ref: Ref) -> PayablesLedger:
        """The ledger a payables call reaches, or the refusal: 404s for the company or connection, 404 for a
        platform without Bill Pay, 400 for a connection that is not Linked (in that order)."""
        tenant, company_id, connection_id = ref
        connection = self.model.connection(tenant, company_id, connection_id)
        if connection.platform_key not in BILL_PAY:
            raise Refused(404, f"Datatype bills not supported by platform {connection.platform_key}")
        if connection.status != "Linked":
            raise Refused(400, f"Data connection {connection_id} is not linked")
        return self.payables.ledger(connection_id)

    def after_authorize(self, tenant: str, company_id: str, connection_id: str) -> None:
        connection = self.model.connection(tenant, company_id, connection_id)
        if connection.platform_key in BILL_PAY and connection_id not in self.payables.ledgers:
            self.observe((tenant, company_id, connection_id))

    def observe(self, ref: Ref) -> None:
        """The seed ledger, read once through the API: from here on the model predicts it alone."""
        tenant, company_id, connection_id = ref
        client = self.clients[tenant]
        where = {"company_id": company_id, "connection_id": connection_id}
        platform = BILL_PAY[self.model.connection(*ref).platform_key]
        ledger = PayablesLedger(platform)
        info = client.company_information.get(**where)
        assert info.base_currency == platform.base_currency, info
        for supplier in client.suppliers.iter(**where):
            assert supplier.id and supplier.status in ("Active", "Archived"), supplier
            ledger.suppliers[supplier.id] = ModelSupplier(
                supplier.id, supplier.supplier_name or "", str(supplier.status), supplier.default_currency
            )
        for bill in client.bills.iter(**where, query=ALL_BILLS):
            assert bill.id and str(bill.status) in platform.statuses, bill
            check_bill_amounts(str(bill.status), _d(bill.total_amount), _d(bill.amount_due), _line_totals(bill))
            ledger.bills[bill.id] = ModelBill(
                bill.id,
                bill.supplier_ref.id,
                bill.reference,
                bill.currency,
                str(bill.status),
                _model_lines(bill),
                _d(bill.total_amount),
                _d(bill.amount_due),
            )
        for options in client.bills.iter_mapping_options(**where, status_query=ALL_OPTIONS):
            for account in options.accounts:
                assert account.id is not None
                ledger.accounts[account.id] = Option(account.id, str(account.status), account.currency)
            for rate in options.tax_rates:
                assert rate.id is not None
                ledger.tax_rates[rate.id] = Option(rate.id, str(rate.status))
        for payment_options in client.bill_payments.iter_mapping_options(**where, status_query=ALL_OPTIONS):
            for bank in payment_options.bank_accounts:
                assert bank.id is not None
                ledger.bank_accounts[bank.id] = Option(bank.id, str(bank.status), bank.currency)
        assert ledger.suppliers and ledger.bills and ledger.accounts and ledger.bank_accounts, "an empty seed ledger"
        assert {"Archived"} <= {s.status for s in ledger.suppliers.values()}, "the seed has an archived supplier"
        self.payables.ledgers[connection_id] = ledger

    # --- linking -----------------------------------------------------------------------------------------

    @precondition(lambda self: len(self.payables.ledgers) < 3)
    @rule(
        target=ledgers,
        tenant=st.sampled_from(TENANTS),
        platform=st.sampled_from(sorted(BILL_PAY)),
    )
    def link_bill_pay(self, tenant: str, platform: str) -> Ref:
        """A company linked to a Bill Pay platform: create, connect, authorize (all checked), then observe.

        The connection goes to `ledgers` only, so the base machine's unlink and delete rules leave it to
        `unlink_or_relink` below (other Bill Pay connections reach the base rules' bundle the usual way).
        """
        client = self.clients[tenant]
        expected = self.model.expect_created(f"Bill Pay {platform}", None, None)
        company = client.companies.create(name=expected.name)
        expected.id = company.id
        self.model.add_company(tenant, expected)
        assert_company(company, expected)
        model_connection = self.model.expect_connection(tenant, company.id, platform)
        connection = client.connections.create(company_id=company.id, platform_key=platform)
        model_connection.id = connection.id
        self.model.add_connection(tenant, company.id, model_connection)
        linked = client.connections.update_authorization(
            company_id=company.id, connection_id=connection.id, authorization={"accessToken": "t"}
        )
        assert_connection(linked, self.model.authorize(tenant, company.id, connection.id))
        ref = (tenant, company.id, connection.id)
        self.observe(ref)
        return ref

    @rule(ref=ledgers, go=st.integers(0, 3))
    def unlink_or_relink(self, ref: Ref, go: int) -> None:
        """Sometimes unlink a Bill Pay connection (its calls are refused then), or link it again (its ledger
        is as it was)."""
        tenant, company_id, connection_id = ref
        client = self.clients[tenant].connections
        where = {"company_id": company_id, "connection_id": connection_id}
        if self.model.connection(tenant, company_id, connection_id).status == "Linked":
            if go == 0:
                assert_connection(client.unlink(**where), self.model.unlink(tenant, company_id, connection_id))
        else:
            outcome = self.expect(
                lambda: self.model.authorize(tenant, company_id, connection_id),
                lambda: client.update_authorization(**where, authorization=None),
            )
            if outcome is not None:
                assert_connection(outcome[1], outcome[0])

    # --- suppliers ---------------------------------------------------------------------------------------

    def _draw_supplier(self, data: st.DataObject, ledger: PayablesLedger) -> SupplierIn:
        flaw = _flaw(data, SUPPLIER_FLAWS)
        self.named += 1
        name = f"Supplier {self.named}"  # fresh: no platform refuses it
        if flaw == "taken":
            name = data.draw(st.sampled_from([s.name for s in ledger.suppliers.values()]), label="supplierName")
        elif flaw == "blank":
            name = data.draw(st.sampled_from(["", " "]), label="supplierName")
        return SupplierIn(
            name=name,
            status="Archived" if flaw == "archived" else "Active",
            contact_name=data.draw(st.sampled_from([None, "Pat Jones"]), label="contactName"),
            currency=data.draw(st.sampled_from([None, ledger.base_currency, "EUR", "E1"]), label="defaultCurrency"),
        )

    @rule(ref=ledgers, data=st.data())
    def create_supplier(self, ref: Ref, data: st.DataObject) -> None:
        tenant, company_id, connection_id = ref
        body = self._draw_supplier(data, self.payables.ledger(connection_id))
        outcome = self.expect(
            lambda: self.gate(ref).expect_supplier(body),
            lambda: self.clients[tenant].suppliers.create(
                company_id=company_id, connection_id=connection_id, supplier=_supplier_prototype(body)
            ),
        )
        if outcome is not None:
            expected, supplier = outcome
            expected.id = supplier.id
            self.payables.ledger(connection_id).put_supplier(expected)
            self.assert_supplier(ref, supplier, expected)

    @rule(ref=ledgers, data=st.data())
    def update_supplier(self, ref: Ref, data: st.DataObject) -> None:
        tenant, company_id, connection_id = ref
        ledger = self.payables.ledger(connection_id)
        supplier_id = data.draw(st.sampled_from([*ledger.suppliers, UNKNOWN_ID]), label="supplierId")
        body = self._draw_supplier(data, ledger)
        outcome = self.expect(
            lambda: self.gate(ref).expect_supplier(body, replacing=supplier_id),
            lambda: self.clients[tenant].suppliers.update(
                company_id=company_id,
                connection_id=connection_id,
                supplier_id=supplier_id,
                supplier=_supplier_prototype(body),
            ),
        )
        if outcome is not None:
            expected, supplier = outcome
            ledger.put_supplier(expected)
            self.assert_supplier(ref, supplier, expected)

    @precondition(lambda self: not self.filled)
    @rule(ref=ledgers, go=st.integers(0, 5))
    def fill_suppliers(self, ref: Ref, go: int) -> None:
        """Rarely (go == 0, once a run): enough suppliers that listing them takes a second page."""
        tenant, company_id, connection_id = ref
        try:
            ledger = self.gate(ref)
        except Refused:
            return
        if go != 0:
            return
        self.filled = True
        client = self.clients[tenant]
        for n in range(PAGE + 1 - len(ledger.suppliers)):
            body = SupplierIn(name=f"Bulk supplier {n}")
            expected = ledger.expect_supplier(body)
            supplier = client.suppliers.create(
                company_id=company_id, connection_id=connection_id, supplier=_supplier_prototype(body)
            )
            expected.id = supplier.id
            ledger.put_supplier(expected)

    def assert_supplier(self, ref: Ref, supplier: Supplier, expected: ModelSupplier) -> None:
        assert supplier.id == expected.id
        assert supplier.supplier_name == expected.name
        assert str(supplier.status) == expected.status
        assert supplier.default_currency == expected.currency
        assert supplier.balance == self.payables.ledger(ref[2]).balance(expected.id), (supplier.balance, expected)

    # --- bills -------------------------------------------------------------------------------------------

    def _draw_bill(self, data: st.DataObject, ledger: PayablesLedger) -> BillIn:
        flaw = _flaw(data, BILL_FLAWS)
        active = [s for s in ledger.suppliers.values() if s.status == "Active"]
        suppliers = [s.id for s in active] if flaw != "supplier" else [*ledger.suppliers, UNKNOWN_ID]
        supplier_id = data.draw(st.sampled_from(suppliers), label="supplierRef.id") if suppliers else UNKNOWN_ID
        supplier = ledger.suppliers.get(supplier_id)
        currency = (supplier.currency if supplier else None) or ledger.base_currency
        if flaw == "currency":
            currency = data.draw(st.sampled_from(["EUR", "E1", "EURO"]), label="currency")
        accounts = _ids(ledger.accounts, active=True)
        if flaw == "account":
            accounts = [*_ids(ledger.accounts, active=False), UNKNOWN_ID]
        rates = _ids(ledger.tax_rates, active=True)
        if flaw == "tax":
            rates = [*_ids(ledger.tax_rates, active=False), UNKNOWN_ID]
        lines = []
        for _ in range(0 if flaw == "no-lines" else data.draw(st.integers(1, 3), label="lines")):
            tax = data.draw(st.none() | _cents.filter(lambda c: c >= 0), label="taxAmount")
            forbidden = ledger.platform.tax_rate_ref == "forbidden"
            wants_rate = (not forbidden and (flaw != "tax" or data.draw(st.booleans()))) or flaw == "tax"
            lines.append(
                LineIn(
                    unit=Decimal(10) ** 13 if flaw == "huge" else data.draw(_cents, label="unitAmount"),
                    quantity=data.draw(_quantities, label="quantity"),
                    tax=tax,
                    total=data.draw(st.none() | st.none() | _cents, label="totalAmount"),
                    account_id=data.draw(st.none() | st.sampled_from(accounts), label="accountRef"),
                    tax_rate_id=data.draw(st.sampled_from(rates), label="taxRateRef") if wants_rate else None,
                )
            )
        reference_length = data.draw(st.sampled_from([22, 256] if flaw == "ref" else [0, 5]), label="reference")
        return BillIn(
            supplier_id=supplier_id,
            currency=currency,
            lines=tuple(lines),
            reference=("R" * reference_length) or None,
            status=data.draw(st.sampled_from(["Paid", "Draft"]), label="status") if flaw == "status" else "Open",
            currency_rate=data.draw(st.sampled_from([Decimal(0), Decimal(-1)])) if flaw == "rate" else None,
        )

    @rule(ref=ledgers, data=st.data())
    def create_bill(self, ref: Ref, data: st.DataObject) -> None:
        tenant, company_id, connection_id = ref
        body = self._draw_bill(data, self.payables.ledger(connection_id))
        outcome = self.expect(
            lambda: self.gate(ref).expect_bill(body),
            lambda: self.clients[tenant].bills.create(
                company_id=company_id, connection_id=connection_id, bill=_bill_prototype(body)
            ),
        )
        if outcome is not None:
            expected, bill = outcome
            expected.id = bill.id
            self.payables.ledger(connection_id).put_bill(expected)
            assert_bill(bill, expected)

    @rule(ref=ledgers, data=st.data())
    def update_bill(self, ref: Ref, data: st.DataObject) -> None:
        tenant, company_id, connection_id = ref
        ledger = self.payables.ledger(connection_id)
        # Mostly an Open bill (the only kind that can be updated); otherwise any bill, or one that does not exist.
        open_bills = [b.id for b in ledger.bills.values() if b.status == "Open"]
        if open_bills and data.draw(st.integers(0, 3), label="pick an Open bill") > 0:
            bill_id = data.draw(st.sampled_from(open_bills), label="billId")
        else:
            bill_id = data.draw(st.sampled_from([*ledger.bills, UNKNOWN_ID]), label="billId")
        body = self._draw_bill(data, ledger)
        outcome = self.expect(
            lambda: self.gate(ref).expect_bill(body, replacing=bill_id),
            lambda: self.clients[tenant].bills.update(
                company_id=company_id, connection_id=connection_id, bill_id=bill_id, bill=_bill_prototype(body)
            ),
        )
        if outcome is None:
            self.read_back(ref, bill_id)
        else:
            expected, bill = outcome
            ledger.put_bill(expected)
            assert_bill(bill, expected)

    def read_back(self, ref: Ref, bill_id: str) -> None:
        """After a refusal: the bill (if the model knows it and can read it) is exactly as it was."""
        tenant, company_id, connection_id = ref
        try:
            expected = self.gate(ref).bills.get(bill_id)
        except Refused:
            return
        if expected is not None:
            got = list(
                self.clients[tenant].bills.iter(
                    company_id=company_id, connection_id=connection_id, query=f"id={bill_id}"
                )
            )
            assert len(got) == 1, got
            assert_bill(got[0], expected)

    # --- payments and bank accounts ------------------------------------------------------------------------

    @rule(ref=ledgers, data=st.data())
    def pay_bill(self, ref: Ref, data: st.DataObject) -> None:
        tenant, company_id, connection_id = ref
        ledger = self.payables.ledger(connection_id)
        # Mostly an outstanding bill; otherwise any bill (paid, void, ...) or one that does not exist.
        outstanding = [b.id for b in ledger.list_bills()]
        if outstanding and data.draw(st.integers(0, 3), label="pick outstanding") > 0:
            bill_id = data.draw(st.sampled_from(outstanding), label="billId")
        else:
            bill_id = data.draw(st.sampled_from([*ledger.bills, UNKNOWN_ID]), label="billId")
        due = ledger.bills[bill_id].due if bill_id in ledger.bills else Decimal(1)
        # Part, all, a cent; then the refusals: a cent too much, nothing, a negative amount.
        amounts = [(due / 2).quantize(Decimal("0.01")), due, Decimal("0.01"), due + Decimal("0.01"), ZERO, -due]
        amount = amounts[data.draw(st.integers(0, len(amounts) - 1), label="amount")]
        usable = [
            a.id for a in ledger.bank_accounts.values() if a.status == "Active" and a.currency == ledger.base_currency
        ]
        good = usable and data.draw(st.integers(0, 3), label="pick usable account") > 0
        accounts = usable if good else [*ledger.bank_accounts, UNKNOWN_ID]
        body = PaymentIn(amount, data.draw(st.sampled_from(accounts), label="accountRef.id"))
        outcome = self.expect(
            lambda: self.gate(ref).pay(bill_id, body),
            lambda: self.clients[tenant].bill_payments.create(
                company_id=company_id,
                connection_id=connection_id,
                bill_id=bill_id,
                payment=BillPaymentPrototype(
                    amount=body.amount, date=datetime(2026, 11, 30), account_ref=AccountRef(id=body.account_id)
                ),
            ),
        )
        if outcome is not None:
            _, payment = outcome
            assert payment.amount == body.amount and payment.account_ref is not None
            assert payment.account_ref.id == body.account_id
        # Paid or refused, the bill must now read as the model holds it.
        self.read_back(ref, bill_id)

    @rule(ref=ledgers, data=st.data(), account_type=st.sampled_from(["Debit", "Credit"]))
    def create_bank_account(self, ref: Ref, data: st.DataObject, account_type: str) -> None:
        tenant, company_id, connection_id = ref
        ledger = self.payables.ledger(connection_id)
        flaw = _flaw(data, BANK_ACCOUNT_FLAWS)
        body = BankAccountIn(
            " " if flaw == "name" else "Float",
            "" if flaw == "accountNumber" else "12345678",
            flaw if flaw in ("EUR", "E1") else ledger.base_currency,
            account_type,
        )
        outcome = self.expect(
            lambda: self.gate(ref).expect_bank_account(body),
            lambda: self.clients[tenant].bank_accounts.create(
                company_id=company_id,
                connection_id=connection_id,
                bank_account=BankAccountPrototype(
                    name=body.name,
                    account_type=body.account_type,
                    account_number=body.account_number,
                    currency=body.currency,
                ),
            ),
        )
        if outcome is not None:
            expected, account = outcome
            assert account.id and str(account.status) == "Active" and account.currency == expected.currency
            expected.id = account.id
            ledger.put_bank_account(expected)

    # --- listings ----------------------------------------------------------------------------------------

    @rule(ref=ledgers)
    def list_payables(self, ref: Ref) -> None:
        """Bills (outstanding, and all), suppliers and bank accounts, page by page, equal the model's."""
        tenant, company_id, connection_id = ref
        client = self.clients[tenant]
        where = {"company_id": company_id, "connection_id": connection_id}
        outcome = self.expect(
            lambda: self.gate(ref),
            lambda: _walk(lambda token: client.bills.list(**where, continuation_token=token)),
        )
        if outcome is None:
            return
        ledger, outstanding = outcome
        _same_bills(outstanding, ledger.list_bills())
        everything = _walk(lambda token: client.bills.list(**where, query=ALL_BILLS, continuation_token=token))
        _same_bills(everything, ledger.list_bills(STATUSES))
        suppliers = _walk(lambda token: client.suppliers.list(**where, continuation_token=token))
        assert sorted(s.id or "" for s in suppliers) == sorted(ledger.suppliers)
        for supplier in suppliers:
            assert supplier.id is not None
            self.assert_supplier(ref, supplier, ledger.suppliers[supplier.id])
        banks = [
            bank
            for page in client.bill_payments.iter_mapping_options(**where, status_query=ALL_OPTIONS)
            for bank in page.bank_accounts
        ]
        assert {b.id: (str(b.status), b.currency) for b in banks} == {
            a.id: (a.status, a.currency) for a in ledger.bank_accounts.values()
        }

    @rule(ref=CodatAgreement.connections)
    def list_bills_on_any_connection(self, ref: Ref) -> None:
        """Any connection: Bill Pay answers only where the platform has it and the connection is Linked."""
        tenant, company_id, connection_id = ref
        outcome = self.expect(
            lambda: self.gate(ref),
            lambda: list(self.clients[tenant].bills.iter(company_id=company_id, connection_id=connection_id)),
        )
        if outcome is not None:
            _same_bills(outcome[1], outcome[0].list_bills())

    @invariant()
    def the_models_bills_add_up(self) -> None:
        for ledger in self.payables.ledgers.values():
            ledger.check()


def _d(value: Decimal | None) -> Decimal:
    assert value is not None, "an amount the model expects is missing"
    return value


def _line_totals(bill: Bill) -> list[Decimal]:
    return [_d(line.total_amount) for line in bill.line_items]


def _model_lines(bill: Bill) -> list[Line]:
    return [
        Line(
            _d(line.total_amount),
            line.account_ref.id if line.account_ref else None,
            line.tax_rate_ref.id if line.tax_rate_ref else None,
        )
        for line in bill.line_items
    ]


def assert_bill(bill: Bill, expected: ModelBill) -> None:
    """A bill as read equals the model's, and its own amounts are consistent."""
    check_bill_amounts(str(bill.status), _d(bill.total_amount), _d(bill.amount_due), _line_totals(bill))
    assert bill.id == expected.id
    assert str(bill.status) == expected.status, (bill.status, expected)
    assert bill.supplier_ref.id == expected.supplier_id
    assert bill.currency == expected.currency
    assert bill.reference == expected.reference
    assert (bill.total_amount, bill.amount_due) == (expected.total, expected.due), (bill, expected)
    got_lines = _model_lines(bill)
    assert got_lines == expected.lines, (got_lines, expected.lines)


def _same_bills(got: list[Bill], expected: list[ModelBill]) -> None:
    assert sorted(b.id or "" for b in got) == sorted(b.id for b in expected), "the listing is not the model's"
    by_id = {b.id: b for b in expected}
    for bill in got:
        assert bill.id is not None
        assert_bill(bill, by_id[bill.id])


def _walk(fetch: Callable[[str | None], Any]) -> list[Any]:
    """Every record of a token-paged listing, checking the paging: tokens never repeat, records never do."""
    results: list[Any] = []
    seen: set[str] = set()
    for page in _pages(fetch):
        assert page.results or page.next_token is None, "an empty page that is not the last"
        results.extend(page.results)
        if page.next_token is not None:
            assert page.next_token not in seen, "a continuation token handed out twice"
            seen.add(page.next_token)
    ids = [r.id for r in results]
    assert len(ids) == len(set(ids)), "a record listed twice"
    return results


def _pages(fetch: Callable[[str | None], Any]) -> Iterator[Any]:
    token: str | None = None
    for _ in range(100):  # far more pages than any run makes; a server that never ends paging fails here
        page = fetch(token)
        yield page
        token = page.next_token
        if token is None:
            return
    raise AssertionError("listing did not end within 100 pages")


def _supplier_prototype(body: SupplierIn) -> SupplierPrototype:
    return SupplierPrototype(
        supplier_name=body.name, status=body.status, contact_name=body.contact_name, default_currency=body.currency
    )


def _bill_prototype(body: BillIn) -> BillPrototype:
    return BillPrototype(
        supplier_ref=SupplierRef(id=body.supplier_id),
        issue_date=datetime(2026, 11, 1),
        due_date=datetime(2026, 12, 1),
        currency=body.currency,
        currency_rate=body.currency_rate,
        reference=body.reference,
        status=body.status,
        line_items=[
            BillLineItem(
                description="agreement",
                unit_amount=line.unit,
                quantity=line.quantity,
                tax_amount=line.tax,
                total_amount=line.total,
                account_ref=AccountRef(id=line.account_id) if line.account_id else None,
                tax_rate_ref=TaxRateRef(id=line.tax_rate_id) if line.tax_rate_id else None,
            )
            for line in body.lines
        ],
    )

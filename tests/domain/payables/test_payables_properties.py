"""Properties of the Bill Pay domain: payments keep the books straight, seeding is deterministic, paging is exact."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.domain.clock import ManualClock, seeded_ids
from mock_server.domain.errors import BadRequest
from mock_server.domain.payables.generation import generate_ledger
from mock_server.domain.payables.paging import page_of
from mock_server.domain.payables.platforms import PROFILES
from mock_server.domain.payables.prototypes import BillPaymentPrototype, BillPrototype
from mock_server.domain.payables.records import BillStatus
from mock_server.domain.payables.service import PayablesService
from mock_server.domain.store import Store

NOW = datetime(2026, 3, 1, tzinfo=UTC)
TENANT = "properties"


def _service(platform: str = "gbol") -> tuple[PayablesService, str, str]:
    store = Store(clock=ManualClock(NOW), ids=seeded_ids(7))
    company = store.create_company(TENANT, name="Props Ltd")
    connection = store.create_connection(TENANT, company.id, platform)
    store.authorize(TENANT, company.id, connection.id)
    return PayablesService(store, max_attachment_bytes=1024), company.id, connection.id


amounts = st.decimals(min_value=Decimal("-50"), max_value=Decimal("400"), places=2, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=12))
def test_payments_reduce_amount_due_and_never_overpay(payments: list[Decimal]) -> None:
    service, company_id, connection_id = _service()
    s = service.session(TENANT, company_id, connection_id)
    supplier = next(x.id for x in s.ledger.suppliers.values() if x.status.value == "Active")
    line = {"unitAmount": 250, "quantity": 1, "taxAmount": 50, "taxRateRef": {"id": "INPUT2"}}
    body = BillPrototype.model_validate(
        {
            "supplierRef": {"id": supplier},
            "issueDate": "2026-01-01",
            "dueDate": "2026-02-01",
            "currency": "GBP",
            "status": "Open",
            "lineItems": [line],
        }
    )
    bill_id = service.create_bill(s, body)["id"]
    account = next(iter(s.ledger.bank_accounts))
    accepted = Decimal(0)
    for amount in payments:
        before = s.ledger.bills[bill_id]
        payment = BillPaymentPrototype.model_validate(
            {"amount": str(amount), "date": "2026-01-15", "accountRef": {"id": account}}
        )
        try:
            service.pay_bill(s, bill_id, payment)
        except BadRequest:
            assert s.ledger.bills[bill_id] == before, "a refused payment changed the bill"
            assert amount <= 0 or amount > before.amount_due or before.status is BillStatus.PAID
            continue
        assert 0 < amount <= before.amount_due
        accepted += amount
    bill = s.ledger.bills[bill_id]
    assert bill.total_amount == Decimal(300)
    assert bill.amount_due == bill.total_amount - accepted
    assert bill.amount_due >= 0
    expected = (
        BillStatus.OPEN if accepted == 0 else BillStatus.PAID if bill.amount_due == 0 else BillStatus.PARTIALLY_PAID
    )
    assert bill.status is expected
    paid_here = sum((p.amount for p in s.ledger.payments.values() if p.bill_id == bill_id), Decimal(0))
    assert paid_here == accepted


@pytest.mark.parametrize("platform", sorted(PROFILES))
def test_seeding_is_deterministic_per_connection(platform: str) -> None:
    profile = PROFILES[platform]
    a = generate_ledger(profile, "c1", "Acme", NOW)
    assert a == generate_ledger(profile, "c1", "Acme", NOW)
    assert a != generate_ledger(profile, "c2", "Acme", NOW)
    assert a != generate_ledger(profile, "c1", "Acme", NOW, seed=1)
    ids = [*a.accounts, *a.bank_accounts, *a.suppliers, *a.bills, *a.payments]
    assert len(ids) == len(set(ids))
    assert {b.status for b in a.bills.values()} == set(profile.statuses)


@given(st.integers(min_value=0, max_value=450), st.integers(min_value=1, max_value=120))
def test_paging_returns_every_item_once(count: int, size: int) -> None:
    items = list(range(count))
    seen: list[int] = []
    token = None
    while True:
        page = page_of(items, token, "scope", page_size=size)
        seen += page.results
        token = page.continuation_token
        if token is None:
            break
    assert seen == items


line_amounts = st.decimals(min_value=Decimal("-1000"), max_value=Decimal("100000"), places=2, allow_nan=False)
lines = st.lists(
    st.fixed_dictionaries(
        {"unitAmount": line_amounts, "quantity": st.integers(min_value=-2, max_value=20), "taxAmount": line_amounts},
        optional={"totalAmount": line_amounts},
    ),
    min_size=0,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(lines)
def test_a_bill_is_created_with_the_sum_of_its_lines_or_refused_unchanged(raw_lines: list[dict[str, object]]) -> None:
    service, company_id, connection_id = _service("fbrh")  # FreeAgent: no tax rate to pick
    s = service.session(TENANT, company_id, connection_id)
    supplier = next(x.id for x in s.ledger.suppliers.values() if x.status.value == "Active")
    body = BillPrototype.model_validate(
        {
            "supplierRef": {"id": supplier},
            "issueDate": "2026-01-01",
            "dueDate": "2026-02-01",
            "currency": "GBP",
            "status": "Open",
            "lineItems": [{k: str(v) for k, v in line.items()} for line in raw_lines],
        }
    )
    expected = sum(
        (
            Decimal(str(line["totalAmount"]))
            if "totalAmount" in line
            else Decimal(str(line["unitAmount"])) * Decimal(str(line["quantity"])) + Decimal(str(line["taxAmount"]))
            for line in raw_lines
        ),
        Decimal(0),
    )
    before = dict(s.ledger.bills)
    try:
        created = service.create_bill(s, body)
    except BadRequest as refusal:
        assert s.ledger.bills == before, "a refused bill changed the ledger"
        items = {item.item_id for item in refusal.validation}
        assert not raw_lines or expected < 0, items
        return
    assert raw_lines and expected >= 0
    bill = s.ledger.bills[created["id"]]
    assert bill.total_amount == bill.amount_due == expected
    assert bill.status is BillStatus.OPEN

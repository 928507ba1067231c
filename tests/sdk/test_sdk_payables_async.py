"""Bill Pay on the async client: every method sends the request its sync twin sends and returns the same result;
the async iterators follow continuation tokens the same way; errors and retries behave alike."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from payables_fake import BANK_BODY as BANK
from payables_fake import BILL_BODY, canned, parse_multipart
from sdk_fake import API_KEY, BASE_URL, FakeCodat, FakeTime

from sdk_stub import (
    AccountRef,
    AsyncCodatClient,
    BadRequestError,
    BillPaymentPrototype,
    BillPrototype,
    BillStatus,
    CodatClient,
    NotFoundError,
    SupplierPrototype,
    SupplierRef,
)

pytestmark = pytest.mark.anyio

C, K = "8a210b68-6988-11ed-a1eb-0242ac120002", "2e9d2c44-f675-40ba-8049-353bfcb5e171"
IDS = {"company_id": C, "connection_id": K}
BILL = BillPrototype(
    supplier_ref=SupplierRef(id="s-1"),
    issue_date=date(2026, 12, 1),
    due_date=date(2026, 12, 31),
    currency="GBP",
    line_items=[{"quantity": 2, "unit_amount": "1.25", "tax_amount": "0.50", "account_ref": {"id": "429"}}],
)
PAYMENT = BillPaymentPrototype(amount=Decimal("1.5"), date=date(2026, 12, 2), account_ref=AccountRef(id="bank"))

#: (group, method, arguments): one call of every payables method.
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("company_information", "get", IDS),
    ("bills", "get_mapping_options", {**IDS, "continuation_token": "t", "status_query": "status=Archived"}),
    ("bill_payments", "get_mapping_options", {**IDS, "status_query": "status=Active"}),
    ("bills", "list", {**IDS, "query": "status=Paid", "continuation_token": "t"}),
    ("bills", "create", {**IDS, "bill": BILL, "idempotency_key": "k1"}),
    ("bills", "update", {**IDS, "bill_id": "b/1", "bill": BILL, "idempotency_key": "k2"}),
    ("bills", "upload_attachment", {**IDS, "bill_id": "b1", "content": b"\x00\xff PDF", "file_name": "x.pdf"}),
    ("bills", "list_attachments", {**IDS, "bill_id": "b1"}),
    ("bills", "download_attachment", {**IDS, "bill_id": "b1", "attachment_id": "a1"}),
    ("bill_payments", "create", {**IDS, "bill_id": "b1", "payment": PAYMENT, "idempotency_key": "k3"}),
    ("suppliers", "list", {**IDS, "query": "status=Active"}),
    ("suppliers", "create", {**IDS, "supplier": SupplierPrototype(supplier_name="S"), "idempotency_key": "k4"}),
    ("suppliers", "update", {**IDS, "supplier_id": "s 1", "supplier": {"supplierName": "T", "status": "Archived"}}),
    ("bank_accounts", "create", {**IDS, "bank_account": BANK, "idempotency_key": "k5"}),
]


def _comparable(request: httpx.Request) -> tuple[Any, ...]:
    # Multipart boundaries are random, so bodies are compared part by part.
    headers = {k: v for k, v in request.headers.items() if k not in {"content-type", "content-length"}}
    if request.headers.get("Content-Type", "").startswith("multipart/"):
        return request.method, str(request.url), headers, parse_multipart(request)
    return request.method, str(request.url), headers, request.headers.get("Content-Type"), request.content


def _recorder() -> tuple[list[httpx.Request], Callable[[httpx.Request], httpx.Response]]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return canned(request)

    return seen, handle


@pytest.mark.parametrize(("group", "method", "kwargs"), CALLS, ids=[f"{g}.{m}" for g, m, _ in CALLS])
async def test_every_method_sends_what_its_sync_twin_sends(group: str, method: str, kwargs: dict[str, Any]) -> None:
    sync_seen, sync_handler = _recorder()
    async_seen, async_handler = _recorder()
    with (
        httpx.Client(transport=httpx.MockTransport(sync_handler)) as http,
        CodatClient(API_KEY, base_url=BASE_URL, http_client=http, retry=None) as codat,
    ):
        expected = getattr(getattr(codat, group), method)(**kwargs)
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(async_handler)) as ahttp,
        AsyncCodatClient(API_KEY, base_url=BASE_URL, http_client=ahttp, retry=None) as acodat,
    ):
        bound = getattr(getattr(acodat, group), method)
        assert inspect.iscoroutinefunction(bound)
        got = await bound(**kwargs)
    assert [_comparable(r) for r in async_seen] == [_comparable(r) for r in sync_seen]
    assert len(sync_seen) == 1
    assert got == expected


async def test_both_clients_have_the_same_payables_methods() -> None:
    sync, async_ = CodatClient("k"), AsyncCodatClient("k")
    groups = ("company_information", "suppliers", "bills", "bill_payments", "bank_accounts")
    for group in groups:
        sync_methods = {n for n in dir(getattr(sync, group)) if not n.startswith("_")}
        async_methods = {n for n in dir(getattr(async_, group)) if not n.startswith("_")}
        assert sync_methods == async_methods, group
        for name in sync_methods:
            sync_params = inspect.signature(getattr(getattr(sync, group), name)).parameters
            async_params = inspect.signature(getattr(getattr(async_, group), name)).parameters
            assert list(sync_params) == list(async_params), f"{group}.{name}"
    tabled = {(g, m) for g, m, _ in CALLS} | {
        ("suppliers", "iter"),
        ("bills", "iter"),
        ("bills", "iter_mapping_options"),
        ("bill_payments", "iter_mapping_options"),
    }
    assert {(g, n) for g in groups for n in dir(getattr(sync, g)) if not n.startswith("_")} == tabled
    sync.close()
    await async_.aclose()


# -- against the stateful fake -----------------------------------------------------------------------------


async def _linked(aclient: AsyncCodatClient, fake: FakeCodat) -> dict[str, str]:
    company = await aclient.companies.create(name="Async Ltd")
    connection = await aclient.connections.create(company_id=company.id, platform_key="qhyg")
    fake.link(company.id, connection.id)
    return {"company_id": company.id, "connection_id": connection.id}


async def test_async_bill_pay_flow(aclient: AsyncCodatClient, fake: FakeCodat) -> None:
    ids = await _linked(aclient, fake)
    info = await aclient.company_information.get(**ids)
    assert info.company_name == "Async Ltd"
    fake.payables.page_size = 2
    created = [await aclient.suppliers.create(**ids, supplier={"supplierName": f"S{n}"}) for n in range(5)]
    fake.requests.clear()
    walked = [s.id async for s in aclient.suppliers.iter(**ids)]
    assert walked == [s.id for s in created] and len(fake.requests) == 3

    bill = await aclient.bills.create(
        **ids, bill=BILL.model_copy(update={"supplier_ref": SupplierRef(id=str(created[0].id))})
    )
    assert bill.id is not None and bill.total_amount == Decimal("3.00")
    attachment = await aclient.bills.upload_attachment(**ids, bill_id=bill.id, content=b"\r\n\x00", file_name="a.png")
    assert attachment.content_type == "image/png" and attachment.id is not None
    assert [a.id for a in await aclient.bills.list_attachments(**ids, bill_id=bill.id)] == [attachment.id]
    content = await aclient.bills.download_attachment(**ids, bill_id=bill.id, attachment_id=attachment.id)
    assert content == b"\r\n\x00"

    pages = [page async for page in aclient.bill_payments.iter_mapping_options(**ids)]
    [bank] = [a for page in pages for a in page.bank_accounts]
    assert bank.id is not None
    pay = {"amount": 1, "date": "2026-12-02", "accountRef": {"id": bank.id}}
    await aclient.bill_payments.create(**ids, bill_id=bill.id, payment=pay, idempotency_key="once")
    await aclient.bill_payments.create(**ids, bill_id=bill.id, payment=pay, idempotency_key="once")  # replayed
    [partly] = [b async for b in aclient.bills.iter(**ids)]
    assert (partly.status, partly.amount_due) == (BillStatus.PARTIALLY_PAID, Decimal(2))
    with pytest.raises(BadRequestError, match="amount"):
        await aclient.bill_payments.create(**ids, bill_id=bill.id, payment={**pay, "amount": 0})
    option_pages = [p async for p in aclient.bills.iter_mapping_options(**ids)]
    assert [a.id for p in option_pages for a in p.accounts] == ["429", "453", "800"]


async def test_async_iter_stops_when_the_server_repeats_a_token(aclient: AsyncCodatClient, fake: FakeCodat) -> None:
    ids = await _linked(aclient, fake)
    fake.requests.clear()
    looping = {"results": [BILL_BODY], "pagination": {"continuationToken": "again"}}
    fake.enqueue(httpx.Response(200, json=looping), httpx.Response(200, json=looping))
    assert len([b async for b in aclient.bills.iter(**ids)]) == 2
    assert len(fake.requests) == 2


async def test_async_errors_and_idempotent_retries(
    aclient: AsyncCodatClient, fake: FakeCodat, fake_time: FakeTime
) -> None:
    with pytest.raises(NotFoundError, match="No company was found"):
        await aclient.bills.list(**IDS)
    ids = await _linked(aclient, fake)
    fake.requests.clear()
    fake.enqueue(httpx.ReadTimeout("slow"))
    account = await aclient.bank_accounts.create(**ids, bank_account=BANK, idempotency_key="bank-once")
    assert account.name == "Ops" and len(fake.requests) == 2 and fake_time.sleeps == [0.5]

"""Properties of the Bill Pay client: token walks yield every result exactly once and always end; models and
request bodies survive a trip over the wire by Codat's names; amounts go out exactly or not at all."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sdk_fake import API_KEY, BASE_URL

from sdk_stub import (
    AsyncCodatClient,
    BankAccount,
    Bill,
    BillMappingOptions,
    BillPayment,
    BillPaymentPrototype,
    BillPrototype,
    CodatClient,
    Supplier,
    SupplierPrototype,
)
from sdk_stub._base import wire_decoder
from sdk_stub._payables_models import wire_amount
from sdk_stub._payables_operations import prototype_body

IDS = {"company_id": "c", "connection_id": "k"}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- token walks ------------------------------------------------------------------------------------------------

PAGES = st.lists(st.lists(st.integers(0, 10**6), max_size=4), min_size=1, max_size=8)
TOKEN_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12)


@st.composite
def paged_listing(draw: st.DrawFn) -> tuple[list[list[int]], list[str]]:
    """Pages of results (some possibly empty) and the distinct opaque tokens that lead from one to the next."""
    pages = draw(PAGES)
    tokens = draw(st.lists(TOKEN_TEXT, min_size=len(pages) - 1, max_size=len(pages) - 1, unique=True))
    return pages, tokens


def _serve(pages: list[list[int]], tokens: list[str], seen: list[httpx.Request]) -> httpx.MockTransport:
    where = {None: 0, **{token: n + 1 for n, token in enumerate(tokens)}}

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        index = where[request.url.params.get("continuationToken")]
        pagination = {"continuationToken": tokens[index]} if index < len(tokens) else {}
        results = [{"supplierName": str(value)} for value in pages[index]]
        return httpx.Response(200, json={"results": results, "pagination": pagination})

    return httpx.MockTransport(handle)


def _check_walk(pages: list[list[int]], tokens: list[str], walked: list[str], seen: list[httpx.Request]) -> None:
    assert walked == [str(value) for page in pages for value in page]
    assert [r.url.params.get("continuationToken") for r in seen] == [None, *tokens]
    assert all(r.url.params.get("query") == "status=Active" for r in seen)


@SETTINGS
@given(paged_listing())
def test_iter_yields_every_result_exactly_once_for_any_page_split(listing: tuple[list[list[int]], list[str]]) -> None:
    pages, tokens = listing
    seen: list[httpx.Request] = []
    with (
        httpx.Client(transport=_serve(pages, tokens, seen)) as http,
        CodatClient(API_KEY, base_url=BASE_URL, http_client=http, retry=None) as codat,
    ):
        walked = [str(s.supplier_name) for s in codat.suppliers.iter(**IDS, query="status=Active")]
    _check_walk(pages, tokens, walked, seen)


@settings(SETTINGS, max_examples=30)
@given(paged_listing())
def test_async_iter_yields_every_result_exactly_once_for_any_page_split(
    listing: tuple[list[list[int]], list[str]],
) -> None:
    pages, tokens = listing
    seen: list[httpx.Request] = []

    async def walk() -> list[str]:
        async with (
            httpx.AsyncClient(transport=_serve(pages, tokens, seen)) as http,
            AsyncCodatClient(API_KEY, base_url=BASE_URL, http_client=http, retry=None) as codat,
        ):
            return [str(s.supplier_name) async for s in codat.suppliers.iter(**IDS, query="status=Active")]

    _check_walk(pages, tokens, asyncio.run(walk()), seen)


@SETTINGS
@given(st.lists(st.sampled_from(["a", "b", "c", ""]) | st.none(), min_size=1, max_size=20))
def test_iter_always_ends_whatever_tokens_the_server_hands_out(answers: list[str | None]) -> None:
    """A server that repeats tokens (or never stops) cannot make the walk loop: it stops at the first token it
    has already followed, so it makes at most one request more than there are distinct tokens."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        token = answers[min(len(seen), len(answers)) - 1]
        pagination = {} if token is None else {"continuationToken": token}
        return httpx.Response(200, json={"results": [{"supplierName": str(len(seen))}], "pagination": pagination})

    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as http,
        CodatClient(API_KEY, base_url=BASE_URL, http_client=http, retry=None) as codat,
    ):
        walked = list(codat.suppliers.iter(**IDS))
    followed = [r.url.params.get("continuationToken") for r in seen]
    assert len(walked) == len(seen) <= len({"a", "b", "c"}) + 1
    assert len(set(followed[1:])) == len(followed[1:])  # no token is followed twice
    assert "" not in followed  # an empty token ends the walk


# -- amounts ----------------------------------------------------------------------------------------------------

SHORT_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**10), max_value=10**10)


@given(SHORT_DECIMALS)
def test_an_amount_with_few_digits_goes_out_exactly(value: Decimal) -> None:
    sent = json.loads(json.dumps(wire_amount(value)))
    assert Decimal(str(sent)) == value


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_an_amount_goes_out_exactly_or_is_refused(value: Decimal) -> None:
    try:
        sent = wire_amount(value)
    except ValueError as exc:
        assert "significant digits" in str(exc)
        return
    assert Decimal(json.dumps(sent)) == value


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_amounts_are_refused(value: Decimal) -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        wire_amount(value)


# -- models by wire names ---------------------------------------------------------------------------------------

TEXT = st.text(max_size=12)
OPT_TEXT = st.none() | TEXT
AMOUNTS = st.none() | SHORT_DECIMALS.map(wire_amount)
DATES = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda value: value.replace(microsecond=0).isoformat()
)


def _wire(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Wire bodies where every field may also be absent."""
    return st.fixed_dictionaries({}, optional=fields)


LINE = _wire(
    description=OPT_TEXT,
    unitAmount=AMOUNTS,
    quantity=AMOUNTS,
    taxAmount=AMOUNTS,
    totalAmount=AMOUNTS,
    accountRef=_wire(id=TEXT),
    taxRateRef=_wire(id=TEXT),
    trackingRefs=st.none()
    | st.lists(
        _wire(id=TEXT, dataType=st.sampled_from(["trackingCategories", "customers", "x"]), isBillable=st.booleans())
    ),
)
BILL_REQUIRED = {
    "supplierRef": st.fixed_dictionaries({"id": TEXT}, optional={"supplierName": OPT_TEXT}),
    "issueDate": DATES,
    "dueDate": DATES,
    "currency": st.sampled_from(["GBP", "USD", "XXX"]),
    "status": st.sampled_from(["Open", "PartiallyPaid", "Paid", "Void", "Draft", "Unknown", "Scheduled"]),
}
BILL_OPTIONAL = {"reference": OPT_TEXT, "currencyRate": AMOUNTS, "lineItems": st.none() | st.lists(LINE, max_size=3)}
BILLS = st.fixed_dictionaries(
    BILL_REQUIRED,
    optional={**BILL_OPTIONAL, "id": TEXT, "totalAmount": AMOUNTS, "amountDue": AMOUNTS, "sourceModifiedDate": DATES},
)
ADDRESS = _wire(type=st.sampled_from(["Billing", "Delivery", "Unknown", "Postal"]), line1=OPT_TEXT, postalCode=OPT_TEXT)
SUPPLIERS = _wire(
    id=TEXT,
    supplierName=TEXT,
    contactName=OPT_TEXT,
    emailAddress=OPT_TEXT,
    addresses=st.none() | st.lists(ADDRESS, max_size=2),
    status=st.sampled_from(["Active", "Archived", "Unknown", "Deleted"]),
    balance=AMOUNTS,
    defaultCurrency=OPT_TEXT,
)
PAYMENTS = _wire(
    id=TEXT, amount=AMOUNTS, date=DATES, reference=OPT_TEXT, accountRef=_wire(id=TEXT), currencyRate=AMOUNTS
)
BANK_ACCOUNTS = _wire(
    id=TEXT,
    name=OPT_TEXT,
    accountType=st.sampled_from(["Credit", "Debit", "Unknown", "Savings"]),
    accountNumber=OPT_TEXT,
    status=st.sampled_from(["Active", "Archived"]),
)
OPTIONS = _wire(
    accounts=st.lists(_wire(id=TEXT, nominalCode=OPT_TEXT, type=OPT_TEXT, status=st.sampled_from(["Active", "X"]))),
    taxRates=st.lists(_wire(id=TEXT, effectiveTaxRate=AMOUNTS)),
    pagination=_wire(continuationToken=TEXT),
)
UNKNOWN = st.dictionaries(st.sampled_from(["newField", "anotherOne"]), st.integers() | TEXT, max_size=2)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        [
            (Bill, BILLS),
            (Supplier, SUPPLIERS),
            (BillPayment, PAYMENTS),
            (BankAccount, BANK_ACCOUNTS),
            (BillMappingOptions, OPTIONS),
        ]
    ).flatmap(lambda pair: st.tuples(st.just(pair[0]), pair[1], UNKNOWN))
)
def test_a_model_read_by_wire_names_writes_back_the_same_model(
    case: tuple[type[Any], dict[str, Any], dict[str, Any]],
) -> None:
    model, body, extra = case
    read = wire_decoder(model)
    first = read(json.dumps({**body, **extra}).encode())
    written = first.model_dump_json(by_alias=True)
    assert read(written.encode()) == first
    # Every key written is a declared wire name or an unknown field kept as it came: no snake_case reaches the wire.
    assert set(json.loads(written)) <= {field.alias for field in model.model_fields.values()} | set(extra)
    assert first.model_extra == extra


BILL_PROTOTYPES = st.fixed_dictionaries(
    {**BILL_REQUIRED, "status": st.just("Open"), "supplierRef": st.fixed_dictionaries({"id": TEXT})},
    optional=BILL_OPTIONAL,
)


@settings(max_examples=60, deadline=None)
@given(BILL_PROTOTYPES)
def test_a_bill_prototype_survives_the_trip_to_the_server(body: dict[str, Any]) -> None:
    prototype = BillPrototype.model_validate(body)
    sent = json.loads(json.dumps(prototype_body(BillPrototype, prototype)))
    assert BillPrototype.model_validate(sent) == prototype
    assert all(value is not None for value in sent.values())
    assert set(sent) <= {field.alias for field in BillPrototype.model_fields.values()}


@settings(max_examples=40, deadline=None)
@given(
    SHORT_DECIMALS.filter(lambda d: d > 0),
    DATES,
    TEXT,
    st.none() | SHORT_DECIMALS.filter(lambda d: d > 0),
)
def test_a_payment_prototype_survives_the_trip_to_the_server(
    amount: Decimal, when: str, account: str, rate: Decimal | None
) -> None:
    prototype = BillPaymentPrototype(amount=amount, date=when, account_ref={"id": account}, currency_rate=rate)
    sent = json.loads(json.dumps(prototype_body(BillPaymentPrototype, prototype)))
    assert BillPaymentPrototype.model_validate(sent) == prototype
    assert Decimal(str(sent["amount"])) == amount


@given(_wire(contactName=OPT_TEXT, phone=OPT_TEXT, addresses=st.lists(ADDRESS, max_size=2)), TEXT)
def test_a_supplier_prototype_sends_only_fields_with_values(extra: dict[str, Any], name: str) -> None:
    sent = prototype_body(SupplierPrototype, {"supplierName": name, **extra})
    assert sent["supplierName"] == name and sent["status"] == "Active"
    assert {k for k, v in extra.items() if v is not None} | {"supplierName", "status"} == set(sent)

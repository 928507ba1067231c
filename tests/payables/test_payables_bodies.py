"""The Bill Pay writes read their bodies by the same rule as every Codat operation (docs/decisions.md).

An unknown field, at the top or nested, is ignored: the record is what it would be without it, and the field is
named in `X-Codat-Mock-Ignored-Fields` and in the journal's `ignoredFields`. Under strict bodies (the tenant's
`strictBodies`, or `--strict-bodies`) the same body is a Codat 400 naming the field, and nothing changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from payables_helpers import BillPay, link
from starlette.testclient import TestClient

from mock_server.http.bodies import IGNORED_FIELDS_HEADER

ERROR_KEYS = {"statusCode", "service", "error", "correlationId", "validation", "canBeRetried", "detailedErrorCode"}

#: One write: send a valid body with `extra` merged into it.
Send = Callable[[BillPay, dict[str, Any]], httpx.Response]


def _ignored(response: httpx.Response) -> list[str]:
    value = response.headers.get(IGNORED_FIELDS_HEADER)
    return [] if value is None else [unquote(part) for part in value.split(",")]


def _supplier_body() -> dict[str, Any]:
    return {"supplierName": f"Kettle {uuid.uuid4().hex[:8]}", "status": "Active", "defaultCurrency": "USD"}


def _bank_account_body() -> dict[str, Any]:
    return {"name": "Spare", "accountType": "Debit", "accountNumber": "12345678", "currency": "USD"}


def create_supplier(bp: BillPay, extra: dict[str, Any]) -> httpx.Response:
    return bp.call("POST", "/suppliers", json={**_supplier_body(), **extra})


def update_supplier(bp: BillPay, extra: dict[str, Any]) -> httpx.Response:
    made = bp.call("POST", "/suppliers", json=_supplier_body()).json()
    return bp.call("PUT", f"/suppliers/{made['id']}", json={**_supplier_body(), **extra})


def create_bill(bp: BillPay, extra: dict[str, Any]) -> httpx.Response:
    return bp.call("POST", "/bills", json={**bp.bill_body(), **extra})


def update_bill(bp: BillPay, extra: dict[str, Any]) -> httpx.Response:
    bill = bp.create_bill()
    return bp.call("PUT", f"/bills/{bill['id']}", json={**bp.bill_body(reference="PO-2"), **extra})


def create_bill_payment(bp: BillPay, extra: dict[str, Any]) -> httpx.Response:
    bill = bp.create_bill()
    return bp.pay(bill["id"], 1, **extra)


def create_bank_account(bp: BillPay, extra: dict[str, Any]) -> httpx.Response:
    return bp.call("POST", "/bankAccounts", json={**_bank_account_body(), **extra})


WRITES: dict[str, Send] = {
    "create-supplier": create_supplier,
    "update-supplier": update_supplier,
    "create-bill": create_bill,
    "update-bill": update_bill,
    "create-bill-payment": create_bill_payment,
    "create-bank-account": create_bank_account,
}


@pytest.fixture
def qbo(client: TestClient) -> BillPay:
    return link(client, f"bodies-{uuid.uuid4().hex}", "qhyg")


def _strict(bp: BillPay) -> None:
    chosen = bp.http.put("/_mock/settings", json={"strictBodies": True}, headers=bp.auth)
    assert chosen.status_code == 200 and chosen.json()["strictBodies"] is True, chosen.text


def _journal(bp: BillPay, operation: str) -> list[dict[str, Any]]:
    found = bp.http.get("/_mock/journal", params={"operationId": operation}, headers=bp.auth)
    assert found.status_code == 200, found.text
    entries: list[dict[str, Any]] = found.json()["entries"]
    return entries


def _ledger(bp: BillPay) -> tuple[Any, ...]:
    suppliers = bp.get("/suppliers", params={"query": "status!=Unknown"}).json()["results"]
    return (bp.all_bills(), suppliers, bp.bank_accounts())


@pytest.mark.parametrize("operation", sorted(WRITES))
def test_an_unknown_field_is_ignored_and_named(qbo: BillPay, operation: str) -> None:
    response = WRITES[operation](qbo, {"colour": "red"})
    assert response.status_code in (200, 201), response.text
    assert _ignored(response) == ["colour"]
    assert "colour" not in response.json()
    assert _journal(qbo, operation)[-1]["ignoredFields"] == ["colour"]


@pytest.mark.parametrize("operation", sorted(WRITES))
def test_a_known_body_names_nothing(qbo: BillPay, operation: str) -> None:
    response = WRITES[operation](qbo, {})
    assert response.status_code in (200, 201), response.text
    assert IGNORED_FIELDS_HEADER not in response.headers
    assert _journal(qbo, operation)[-1]["ignoredFields"] == []


@pytest.mark.parametrize("operation", sorted(WRITES))
def test_strict_bodies_refuse_the_unknown_field_naming_it(qbo: BillPay, operation: str) -> None:
    _strict(qbo)
    # The updates and the payment first make the record they write to, with a known body (accepted).
    response = WRITES[operation](qbo, {"colour": "red"})
    assert response.status_code == 400, response.text
    error = response.json()
    assert set(error) == ERROR_KEYS and error["statusCode"] == 400
    assert [item["itemId"] for item in error["validation"]["errors"]] == ["colour"]
    assert IGNORED_FIELDS_HEADER not in response.headers


def test_a_refused_create_changes_nothing(qbo: BillPay) -> None:
    _strict(qbo)
    before = _ledger(qbo)
    for operation in ("create-supplier", "create-bill", "create-bank-account"):
        assert WRITES[operation](qbo, {"colour": "red"}).status_code == 400
    assert _ledger(qbo) == before


def test_a_refused_update_changes_nothing(qbo: BillPay) -> None:
    bill = qbo.create_bill()
    _strict(qbo)
    before = qbo.bill(bill["id"])
    body = {**qbo.bill_body(reference="PO-9"), "colour": "red"}
    assert qbo.call("PUT", f"/bills/{bill['id']}", json=body).status_code == 400
    assert qbo.bill(bill["id"]) == before


def test_nested_unknown_fields_are_named_by_their_path(qbo: BillPay) -> None:
    body = qbo.bill_body()
    body["supplierRef"] = {**body["supplierRef"], "colour": "red"}
    body["lineItems"] = [{**body["lineItems"][0], "accountRef": {**body["lineItems"][0]["accountRef"], "x": 1}}]
    response = qbo.call("POST", "/bills", json=body)
    assert response.status_code == 201, response.text
    assert sorted(_ignored(response)) == ["lineItems.0.accountRef.x", "supplierRef.colour"]
    _strict(qbo)
    refused = qbo.call("POST", "/bills", json=body)
    assert refused.status_code == 400
    assert sorted(e["itemId"] for e in refused.json()["validation"]["errors"]) == [
        "lineItems.0.accountRef.x",
        "supplierRef.colour",
    ]


def test_a_replayed_write_names_the_ignored_fields_again(qbo: BillPay) -> None:
    body = {**_bank_account_body(), "colour": "red"}
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    first = qbo.call("POST", "/bankAccounts", json=body, headers=headers)
    again = qbo.call("POST", "/bankAccounts", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert _ignored(first) == _ignored(again) == ["colour"]


def test_no_body_reads_as_an_empty_object_on_every_write(qbo: BillPay) -> None:
    # Codat marks each of these bodies optional: no body is `{}`, answered with the fields the record needs.
    for operation in ("create-supplier", "create-bank-account", "create-bill"):
        path = {"create-supplier": "/suppliers", "create-bank-account": "/bankAccounts", "create-bill": "/bills"}
        response = qbo.call("POST", path[operation])
        assert response.status_code == 400, response.text
        assert response.json()["validation"]["errors"], operation


_KNOWN = {"supplierName", "contactName", "emailAddress", "phone", "addresses", "status", "balance", "defaultCurrency"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    extras=st.dictionaries(
        st.text(max_size=10).filter(lambda name: name not in _KNOWN),
        st.none() | st.integers() | st.text(max_size=4) | st.lists(st.booleans(), max_size=2),
        max_size=4,
    )
)
def test_extra_fields_change_nothing_but_the_header(qbo: BillPay, extras: dict[str, Any]) -> None:
    """For any unknown fields: the supplier is the one made without them, and the header names exactly them."""
    body = _supplier_body()
    plain = qbo.call("POST", "/suppliers", json=body)
    with_extras = qbo.call("POST", "/suppliers", json={**body, "supplierName": body["supplierName"] + "x", **extras})
    assert plain.status_code == with_extras.status_code == 201, with_extras.text
    made, made_plain = with_extras.json(), plain.json()
    assert made["supplierName"] == made_plain["supplierName"] + "x"
    skip = {"id", "supplierName"}
    assert {k: v for k, v in made.items() if k not in skip} == {k: v for k, v in made_plain.items() if k not in skip}
    assert sorted(_ignored(with_extras)) == sorted(extras)

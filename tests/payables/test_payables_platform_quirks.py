"""Per-platform quirks of update-bill and the supplier writes (Codat's per-platform notes, ../shared/reference).

NetSuite refuses to change a bill's currency or clear its reference and re-activates a supplier updated
without a status; Intacct clears an omitted reference, keeps one supplier address and treats a null
currency as "keep"; Zoho Books bills in the supplier's currency whatever the body says. Each refusal is
a Codat 400 naming the field, and changes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from payables_helpers import BillPay, link
from starlette.testclient import TestClient

ERROR_KEYS = {"statusCode", "service", "error", "correlationId", "validation", "canBeRetried", "detailedErrorCode"}
ADDRESSES = [
    {"type": "Billing", "line1": "1 First St", "city": "Leeds", "country": "GB"},
    {"type": "Delivery", "line1": "2 Second St", "city": "York", "country": "GB"},
    {"type": "Unknown", "line1": "3 Third St", "city": "Hull", "country": "GB"},
]


def _linked(client: TestClient, platform: str) -> BillPay:
    return link(client, f"quirks-{uuid.uuid4().hex}", platform)


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS and body["statusCode"] == 400
    assert field in [item["itemId"] for item in body["validation"]["errors"]], body
    assert field in body["error"]


def _update(bp: BillPay, bill_id: str, body: dict[str, Any]) -> Any:
    return bp.call("PUT", f"/bills/{bill_id}", json=body)


def _without(body: dict[str, Any], field: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != field}


# --- update-bill ---------------------------------------------------------------------------------------------


def test_netsuite_refuses_changing_a_bills_currency(client: TestClient) -> None:
    netsuite = _linked(client, "akxx")
    bill = netsuite.create_bill()
    before = netsuite.all_bills()
    _refused(_update(netsuite, bill["id"], netsuite.bill_body(currency="EUR")), "currency")
    assert netsuite.all_bills() == before, "a refused update changed the ledger"
    same = _update(netsuite, bill["id"], netsuite.bill_body(currency=bill["currency"].lower(), reference="PO-2"))
    assert same.status_code == 200, same.text
    # Elsewhere the currency can change (Xero: any currency the body names).
    xero = _linked(client, "gbol")
    xero_bill = xero.create_bill()
    changed = _update(xero, xero_bill["id"], xero.bill_body(currency="EUR"))
    assert changed.status_code == 200 and changed.json()["currency"] == "EUR", changed.text


def test_netsuite_refuses_clearing_a_bills_reference(client: TestClient) -> None:
    netsuite = _linked(client, "akxx")
    bill = netsuite.create_bill(reference="NS-1")
    before = netsuite.all_bills()
    _refused(_update(netsuite, bill["id"], netsuite.bill_body(reference="")), "reference")
    assert netsuite.all_bills() == before
    kept = _update(netsuite, bill["id"], _without(netsuite.bill_body(), "reference"))
    assert kept.status_code == 200 and kept.json()["reference"] == "NS-1", kept.text


def test_intacct_clears_an_omitted_reference(client: TestClient) -> None:
    intacct = _linked(client, "knfz")
    bill = intacct.create_bill(reference="INT-1")
    cleared = _update(intacct, bill["id"], _without(intacct.bill_body(), "reference"))
    assert cleared.status_code == 200, cleared.text
    assert cleared.json().get("reference") is None
    assert intacct.bill(bill["id"]).get("reference") is None


@pytest.mark.parametrize("platform", ["gbol", "qhyg", "fbrh", "akxx", "rwuv"])
def test_other_platforms_keep_an_omitted_reference_and_clear_an_empty_one(client: TestClient, platform: str) -> None:
    bp = _linked(client, platform)
    bill = bp.create_bill(reference="KEEP-1")
    for body in (_without(bp.bill_body(), "reference"), bp.bill_body(reference=None)):
        kept = _update(bp, bill["id"], body)
        assert kept.status_code == 200 and kept.json()["reference"] == "KEEP-1", kept.text
    if platform != "akxx":  # NetSuite refuses "" (above)
        cleared = _update(bp, bill["id"], bp.bill_body(reference=""))
        assert cleared.status_code == 200 and cleared.json()["reference"] == "", cleared.text


def _zoho_supplier(zoho: BillPay, currency: str) -> dict[str, Any]:
    body = {"supplierName": f"Zoho {uuid.uuid4().hex[:12]}", "status": "Active", "defaultCurrency": currency}
    created = zoho.call("POST", "/suppliers", json=body)
    assert created.status_code == 201, created.text
    supplier: dict[str, Any] = created.json()
    return supplier


def test_zoho_bill_currency_follows_the_supplier(client: TestClient) -> None:
    zoho = _linked(client, "rwuv")
    usd = _zoho_supplier(zoho, "USD")
    bill = zoho.create_bill(supplierRef={"id": usd["id"]}, currency="EUR", currencyRate=0.9)
    assert bill["currency"] == "USD" and bill["currencyRate"] == 0.9
    gbp = _zoho_supplier(zoho, "GBP")  # the base currency: the rate is forced to 1
    moved = _update(zoho, bill["id"], zoho.bill_body(supplierRef={"id": gbp["id"]}, currency="JPY", currencyRate=150))
    assert moved.status_code == 200, moved.text
    assert moved.json()["currency"] == "GBP" and moved.json()["currencyRate"] == 1
    # Elsewhere the body's currency stands (NetSuite has no such rule).
    netsuite = _linked(client, "akxx")
    assert netsuite.create_bill(currency="CAD")["currency"] == "CAD"


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    supplier_currency=st.sampled_from(["GBP", "USD", "EUR", "JPY", "CHF"]),
    body_currency=st.from_regex(r"\A[A-Za-z]{3}\Z"),
    rate=st.one_of(st.none(), st.decimals(min_value="0.01", max_value="1000", places=2)),
)
def test_zoho_bills_are_always_in_their_suppliers_currency(
    client: TestClient, supplier_currency: str, body_currency: str, rate: Any
) -> None:
    zoho = link(client, "quirks-zoho-property", "rwuv")  # one tenant and company per run is plenty
    supplier = _zoho_supplier(zoho, supplier_currency)
    body = zoho.bill_body(supplierRef={"id": supplier["id"]}, currency=body_currency, reference=None)
    body["currencyRate"] = None if rate is None else float(rate)
    created = zoho.call("POST", "/bills", json=body)
    assert created.status_code == 201, created.text
    bill = created.json()
    assert bill["currency"] == supplier_currency
    if supplier_currency == "GBP":
        assert bill["currencyRate"] == 1
    else:
        assert bill.get("currencyRate") == (None if rate is None else float(rate))


# --- suppliers -----------------------------------------------------------------------------------------------


def test_intacct_keeps_only_the_first_address(client: TestClient) -> None:
    intacct = _linked(client, "knfz")
    body = {"supplierName": "Three Homes Inc", "status": "Active", "addresses": ADDRESSES}
    created = intacct.call("POST", "/suppliers", json=body)
    assert created.status_code == 201, created.text
    assert [a["line1"] for a in created.json()["addresses"]] == ["1 First St"]
    updated = intacct.call("PUT", f"/suppliers/{created.json()['id']}", json={**body, "addresses": ADDRESSES[1:]})
    assert updated.status_code == 200, updated.text
    assert [a["line1"] for a in updated.json()["addresses"]] == ["2 Second St"]
    listed = next(s for s in intacct.get("/suppliers").json()["results"] if s["id"] == created.json()["id"])
    assert len(listed["addresses"]) == 1
    xero = _linked(client, "gbol")
    kept = xero.call("POST", "/suppliers", json=body)
    assert kept.status_code == 201 and len(kept.json()["addresses"]) == 3, kept.text


def test_intacct_null_currency_keeps_it_and_empty_clears_it(client: TestClient) -> None:
    intacct = _linked(client, "knfz")
    created = intacct.call(
        "POST", "/suppliers", json={"supplierName": "Cur Inc", "status": "Active", "defaultCurrency": "EUR"}
    )
    assert created.status_code == 201, created.text
    path = f"/suppliers/{created.json()['id']}"
    kept = intacct.call("PUT", path, json={"supplierName": "Cur Inc", "status": "Active", "defaultCurrency": None})
    assert kept.status_code == 200 and kept.json()["defaultCurrency"] == "EUR", kept.text
    cleared = intacct.call("PUT", path, json={"supplierName": "Cur Inc", "status": "Active", "defaultCurrency": ""})
    assert cleared.status_code == 200 and cleared.json().get("defaultCurrency") is None, cleared.text
    # Elsewhere "" is not a currency code.
    xero = _linked(client, "gbol")
    supplier = xero.active_supplier()
    body = {"supplierName": supplier["supplierName"], "status": "Active", "defaultCurrency": ""}
    _refused(xero.call("PUT", f"/suppliers/{supplier['id']}", json=body), "defaultCurrency")


def test_netsuite_reactivates_a_supplier_updated_without_a_status(client: TestClient) -> None:
    netsuite = _linked(client, "akxx")
    archived = next(s for s in netsuite.get("/suppliers").json()["results"] if s["status"] == "Archived")
    revived = netsuite.call("PUT", f"/suppliers/{archived['id']}", json={"supplierName": archived["supplierName"]})
    assert revived.status_code == 200 and revived.json()["status"] == "Active", revived.text
    # Elsewhere the status is required.
    qbo = _linked(client, "qhyg")
    supplier = qbo.active_supplier()
    before = qbo.get("/suppliers").json()
    _refused(qbo.call("PUT", f"/suppliers/{supplier['id']}", json={"supplierName": "No Status"}), "status")
    assert qbo.get("/suppliers").json() == before
    # And a create still needs one, on NetSuite too.
    _refused(netsuite.call("POST", "/suppliers", json={"supplierName": "New Without Status"}), "status")


def test_netsuite_ignores_the_contact_name(client: TestClient) -> None:
    netsuite = _linked(client, "akxx")
    body = {"supplierName": "Contactless LLC", "contactName": "Pat Smith", "status": "Active"}
    created = netsuite.call("POST", "/suppliers", json=body)
    assert created.status_code == 201 and created.json().get("contactName") is None, created.text
    assert all(s.get("contactName") is None for s in netsuite.get("/suppliers").json()["results"])
    xero = _linked(client, "gbol")
    assert xero.call("POST", "/suppliers", json=body).json()["contactName"] == "Pat Smith"


def test_zoho_a_suppliers_new_currency_moves_its_bills(client: TestClient) -> None:
    zoho = _linked(client, "rwuv")
    supplier = _zoho_supplier(zoho, "USD")
    first = zoho.create_bill(supplierRef={"id": supplier["id"]}, currency="USD", currencyRate=1.25, reference="Z-A")
    second = zoho.create_bill(supplierRef={"id": supplier["id"]}, currency="USD", reference="Z-B")
    other = zoho.create_bill(reference="Z-C")  # another supplier's bill stays as it is
    body = {"supplierName": supplier["supplierName"], "status": "Active", "defaultCurrency": "EUR"}
    assert zoho.call("PUT", f"/suppliers/{supplier['id']}", json=body).status_code == 200
    assert {zoho.bill(b["id"])["currency"] for b in (first, second)} == {"EUR"}
    assert zoho.bill(first["id"])["currencyRate"] == 1.25
    assert zoho.bill(other["id"]) == other
    body["defaultCurrency"] = "GBP"  # the base currency: rate 1
    assert zoho.call("PUT", f"/suppliers/{supplier['id']}", json=body).status_code == 200
    assert [zoho.bill(first["id"])[k] for k in ("currency", "currencyRate")] == ["GBP", 1]
    # Elsewhere a supplier's currency leaves its bills alone.
    xero = _linked(client, "gbol")
    created = xero.call(
        "POST", "/suppliers", json={"supplierName": "Move Not", "status": "Active", "defaultCurrency": "USD"}
    )
    bill = xero.create_bill(supplierRef={"id": created.json()["id"]}, currency="USD")
    body = {"supplierName": "Move Not", "status": "Active", "defaultCurrency": "EUR"}
    assert xero.call("PUT", f"/suppliers/{created.json()['id']}", json=body).status_code == 200
    assert xero.bill(bill["id"])["currency"] == "USD"


def test_qbo_ignores_changes_to_an_archived_supplier_unless_it_is_reactivated(client: TestClient) -> None:
    qbo = _linked(client, "qhyg")
    archived = next(s for s in qbo.get("/suppliers").json()["results"] if s["status"] == "Archived")
    ignored = qbo.call("PUT", f"/suppliers/{archived['id']}", json={"supplierName": "Renamed", "status": "Archived"})
    assert ignored.status_code == 200 and ignored.json() == archived, ignored.text
    revived = qbo.call("PUT", f"/suppliers/{archived['id']}", json={"supplierName": "Renamed", "status": "Active"})
    assert revived.status_code == 200, revived.text
    assert revived.json()["supplierName"] == "Renamed" and revived.json()["status"] == "Active"
    # Zoho Books applies the changes and the supplier stays archived.
    zoho = _linked(client, "rwuv")
    archived = next(s for s in zoho.get("/suppliers").json()["results"] if s["status"] == "Archived")
    changed = zoho.call("PUT", f"/suppliers/{archived['id']}", json={"supplierName": "Renamed Z", "status": "Archived"})
    assert changed.status_code == 200 and changed.json()["supplierName"] == "Renamed Z", changed.text


def test_a_dataset_not_synced_409_can_be_simulated_with_a_fault_rule(client: TestClient) -> None:
    bp = _linked(client, "gbol")
    for operation, path in (("list-bills", "/bills"), ("list-suppliers", "/suppliers")):
        rule = {"operationId": operation, "status": 409, "message": "The data set has not been requested.", "count": 1}
        added = bp.http.post("/_mock/faults", json=rule, headers=bp.auth)
        assert added.status_code == 201, added.text
        conflict = bp.get(path)
        assert conflict.status_code == 409, conflict.text
        body = conflict.json()
        assert set(body) == ERROR_KEYS and body["statusCode"] == 409
        assert body["error"] == "The data set has not been requested."
        assert bp.get(path).status_code == 200  # count 1: the next call is answered as usual

"""Bill Pay on the sync client: the request each method sends, what it returns, token paging, idempotency, errors."""

from __future__ import annotations

import inspect
import uuid
from datetime import date, datetime
from decimal import Decimal

import httpx
import pydantic
import pytest
from payables_fake import parse_multipart
from sdk_fake import FakeCodat, FakeTime

from sdk_stub import (
    AccountRef,
    AccountStatus,
    Attachment,
    BadRequestError,
    BankAccountPrototype,
    BankAccountType,
    Bill,
    BillLineItem,
    BillPaymentPrototype,
    BillPrototype,
    BillStatus,
    CodatAPIError,
    CodatClient,
    CodatResponseError,
    CodatTransportError,
    ContinuationPage,
    NotFoundError,
    Supplier,
    SupplierPrototype,
    SupplierRef,
    SupplierStatus,
)


def _path(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii").split("?", 1)[0]


def _params(request: httpx.Request) -> list[tuple[str, str]]:
    return list(request.url.params.multi_items())


@pytest.fixture
def ids(client: CodatClient, fake: FakeCodat) -> dict[str, str]:
    """A company with a linked Xero connection: the `company_id`/`connection_id` every payables call takes."""
    company = client.companies.create(name="Greggs Ltd")
    connection = client.connections.create(company_id=company.id, platform_key="gbol")
    fake.link(company.id, connection.id)
    fake.requests.clear()
    return {"company_id": company.id, "connection_id": connection.id}


def _prefix(ids: dict[str, str]) -> str:
    return f"/companies/{ids['company_id']}/connections/{ids['connection_id']}/payables"


def _supplier(client: CodatClient, ids: dict[str, str], name: str = "Pie Co") -> Supplier:
    return client.suppliers.create(**ids, supplier=SupplierPrototype(supplier_name=name, default_currency="GBP"))


def _bill(supplier_id: str, *lines: BillLineItem, reference: str | None = "INV-1") -> BillPrototype:
    return BillPrototype(
        reference=reference,
        supplier_ref=SupplierRef(id=supplier_id),
        issue_date=date(2026, 12, 1),
        due_date=datetime(2026, 12, 31, 17, 30),
        currency="GBP",
        line_items=list(lines)
        or [
            BillLineItem(
                description="Pies",
                quantity=Decimal(10),
                unit_amount=Decimal("2.50"),
                tax_amount=Decimal("5.00"),
                account_ref=AccountRef(id="429"),
            )
        ],
    )


# -- company information and mapping options ------------------------------------------------------------------


def test_company_information(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    info = client.company_information.get(**ids)
    assert (fake.last.method, _path(fake.last)) == ("GET", _prefix(ids) + "/info")
    assert fake.last.content == b""
    assert (info.company_name, info.base_currency) == ("Greggs Ltd", "GBP")


def test_bill_mapping_options_sends_token_and_status_query(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    options = client.bills.get_mapping_options(**ids)
    assert (fake.last.method, _path(fake.last), _params(fake.last)) == (
        "GET",
        _prefix(ids) + "/mappingOptions/bills",
        [],
    )
    assert {a.id for a in options.accounts} == {"429", "453", "800"}  # active ones by default
    assert [r.id for r in options.tax_rates] == ["INPUT2"]
    assert options.tax_rates[0].effective_tax_rate == Decimal(20)
    assert all(a.status is AccountStatus.ACTIVE for a in options.accounts)
    assert options.next_token is None

    fake.payables.page_size = 2
    first = client.bills.get_mapping_options(**ids, status_query="status=Active||status=Archived")
    assert _params(fake.last) == [("statusQuery", "status=Active||status=Archived")]
    assert first.next_token is not None
    client.bills.get_mapping_options(**ids, continuation_token=first.next_token, status_query="status=Archived")
    assert _params(fake.last) == [("continuationToken", first.next_token), ("statusQuery", "status=Archived")]


def test_iter_mapping_options_yields_every_page(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    fake.payables.page_size = 1
    pages = list(client.bills.iter_mapping_options(**ids, status_query="status=Active||status=Archived"))
    assert [a.id for page in pages for a in page.accounts] == ["429", "453", "800", "499"]
    assert [r.id for page in pages for r in page.tax_rates] == ["INPUT2", "OLD"]
    assert len(fake.requests) == 4
    assert all(("statusQuery", "status=Active||status=Archived") in _params(r) for r in fake.requests)

    payment_pages = list(client.bill_payments.iter_mapping_options(**ids, status_query="status=Archived"))
    assert [a.account_number for page in payment_pages for a in page.bank_accounts] == ["10000002"]


def test_payment_mapping_options(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    options = client.bill_payments.get_mapping_options(**ids)
    assert (fake.last.method, _path(fake.last)) == ("GET", _prefix(ids) + "/mappingOptions/payments")
    [account] = options.bank_accounts
    assert (account.account_number, account.sort_code, account.account_type) == (
        "10000001",
        "040004",
        BankAccountType.DEBIT,
    )


# -- suppliers ------------------------------------------------------------------------------------------------


def test_create_supplier_sends_wire_names_and_only_given_fields(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    supplier = client.suppliers.create(
        **ids,
        supplier=SupplierPrototype(
            supplier_name="Pie Co",
            email_address="ap@pie.test",
            addresses=[{"type": "Billing", "line1": "1 Crust St", "postal_code": "NE1 1AA", "country": "GB"}],
            default_currency="GBP",
        ),
    )
    assert (fake.last.method, _path(fake.last)) == ("POST", _prefix(ids) + "/suppliers")
    assert fake.last.headers["Content-Type"] == "application/json"
    assert "Idempotency-Key" not in fake.last.headers
    assert fake.last_json() == {
        "supplierName": "Pie Co",
        "status": "Active",
        "emailAddress": "ap@pie.test",
        "addresses": [{"type": "Billing", "line1": "1 Crust St", "country": "GB", "postalCode": "NE1 1AA"}],
        "defaultCurrency": "GBP",
    }
    assert isinstance(supplier, Supplier)
    assert supplier.id is not None and supplier.status is SupplierStatus.ACTIVE
    assert supplier.addresses[0].postal_code == "NE1 1AA"


def test_prototypes_may_be_given_as_mappings_in_either_spelling(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    client.suppliers.create(**ids, supplier={"supplierName": "A", "default_currency": "USD", "status": "Archived"})
    assert fake.last_json() == {"supplierName": "A", "status": "Archived", "defaultCurrency": "USD"}


def test_an_invalid_prototype_fails_before_anything_is_sent(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    with pytest.raises(pydantic.ValidationError, match="supplierName|supplier_name"):
        client.suppliers.create(**ids, supplier={"emailAddress": "x@y.test"})
    with pytest.raises(ValueError, match="significant digits"):
        client.bill_payments.create(
            **ids,
            bill_id="b1",
            payment=BillPaymentPrototype(
                amount=Decimal("0.12345678901234567890"), date=date(2026, 1, 1), account_ref=AccountRef(id="a")
            ),
        )
    assert fake.requests == []


def test_update_supplier_puts_the_full_replacement_without_an_idempotency_key(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    supplier = _supplier(client, ids)
    assert supplier.id is not None
    updated = client.suppliers.update(
        **ids, supplier_id=supplier.id, supplier=SupplierPrototype(supplier_name="Pie Co Ltd", phone="0191")
    )
    assert (fake.last.method, _path(fake.last)) == ("PUT", f"{_prefix(ids)}/suppliers/{supplier.id}")
    assert fake.last_json() == {"supplierName": "Pie Co Ltd", "status": "Active", "phone": "0191"}
    assert (updated.supplier_name, updated.phone, updated.default_currency) == ("Pie Co Ltd", "0191", None)
    # Codat declares no Idempotency-Key on update-supplier, so the method offers none.
    assert "idempotency_key" not in inspect.signature(client.suppliers.update).parameters


def test_ids_are_one_encoded_path_segment(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    with pytest.raises(NotFoundError):
        client.suppliers.update(**ids, supplier_id="a/b?c", supplier=SupplierPrototype(supplier_name="x"))
    assert _path(fake.last) == f"{_prefix(ids)}/suppliers/a%2Fb%3Fc"
    with pytest.raises(NotFoundError):
        client.bills.download_attachment(**ids, bill_id="..", attachment_id="x y")
    assert _path(fake.last) == f"{_prefix(ids)}/bills/%2E%2E/attachments/x%20y/download"
    for bad in ({"bill_id": ""}, {"bill_id": "b", "attachment_id": ""}):
        with pytest.raises(ValueError, match="must be a non-empty string"):
            client.bills.download_attachment(**ids, **{"bill_id": "b", "attachment_id": "a", **bad})


def test_list_suppliers_sends_token_then_query(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    page = client.suppliers.list(**ids)
    assert (fake.last.method, _path(fake.last), _params(fake.last)) == ("GET", _prefix(ids) + "/suppliers", [])
    assert isinstance(page, ContinuationPage) and page.results == [] and page.next_token is None
    with pytest.raises(BadRequestError, match="continuation token 'abc' is not valid"):  # the fake's tokens are its own
        client.suppliers.list(**ids, query="status=Active", continuation_token="abc")
    assert _params(fake.last) == [("continuationToken", "abc"), ("query", "status=Active")]


def test_iter_suppliers_follows_tokens_until_none(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    names = [f"Supplier {n}" for n in range(7)]
    for name in names:
        _supplier(client, ids, name)
    fake.payables.page_size = 3
    fake.requests.clear()
    walked = client.suppliers.iter(**ids, query="status=Active")
    assert fake.requests == []  # lazy
    assert [s.supplier_name for s in walked] == names
    assert len(fake.requests) == 3
    assert _params(fake.requests[0]) == [("query", "status=Active")]
    for later in fake.requests[1:]:
        assert later.url.params["query"] == "status=Active"
        assert later.url.params["continuationToken"]
    assert len({r.url.params.get("continuationToken") for r in fake.requests}) == 3


def test_iter_stops_when_the_server_repeats_a_token(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    def page(names: list[str], token: str | None) -> httpx.Response:
        pagination = {} if token is None else {"continuationToken": token}
        return httpx.Response(200, json={"results": [{"supplierName": n} for n in names], "pagination": pagination})

    fake.enqueue(page(["a"], "t1"), page(["b"], "t2"), page(["c"], "t1"), page(["never"], None))
    assert [s.supplier_name for s in client.suppliers.iter(**ids)] == ["a", "b", "c"]
    assert len(fake.requests) == 3


def test_iter_follows_an_empty_page_that_carries_a_token(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    fake.enqueue(
        httpx.Response(200, json={"results": [], "pagination": {"continuationToken": "t"}}),
        httpx.Response(200, json={"results": [{"supplierName": "late"}], "pagination": {"continuationToken": ""}}),
    )
    assert [s.supplier_name for s in client.suppliers.iter(**ids)] == ["late"]
    assert len(fake.requests) == 2  # an empty token counts as none


# -- bills ----------------------------------------------------------------------------------------------------


def test_create_bill_sends_decimals_as_numbers_and_dates_as_iso(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    supplier = _supplier(client, ids)
    assert supplier.id is not None
    key = str(uuid.uuid4())
    bill = client.bills.create(**ids, bill=_bill(supplier.id), idempotency_key=key)
    assert (fake.last.method, _path(fake.last)) == ("POST", _prefix(ids) + "/bills")
    assert fake.last.headers["Idempotency-Key"] == key
    assert fake.last_json() == {
        "reference": "INV-1",
        "supplierRef": {"id": supplier.id},
        "issueDate": "2026-12-01T00:00:00",
        "dueDate": "2026-12-31T17:30:00",
        "currency": "GBP",
        "status": "Open",
        "lineItems": [
            {
                "description": "Pies",
                "unitAmount": 2.5,
                "quantity": 10,
                "taxAmount": 5,
                "accountRef": {"id": "429"},
            }
        ],
    }
    assert isinstance(bill, Bill)
    assert bill.status is BillStatus.OPEN
    assert (bill.total_amount, bill.amount_due) == (Decimal(30), Decimal(30))
    assert bill.supplier_ref.supplier_name == "Pie Co"
    assert bill.issue_date == datetime(2026, 12, 1)
    assert bill.line_items[0].total_amount == Decimal(30)


def test_update_bill_replaces_it_with_an_optional_idempotency_key(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    supplier = _supplier(client, ids)
    assert supplier.id is not None
    bill = client.bills.create(**ids, bill=_bill(supplier.id))
    assert bill.id is not None
    line = BillLineItem(description="Pasties", quantity=1, unit_amount=Decimal("3.10"), tax_amount=Decimal("0.62"))
    updated = client.bills.update(**ids, bill_id=bill.id, bill=_bill(supplier.id, line, reference=None))
    assert (fake.last.method, _path(fake.last)) == ("PUT", f"{_prefix(ids)}/bills/{bill.id}")
    assert "Idempotency-Key" not in fake.last.headers
    assert "reference" not in fake.last_json()
    assert fake.last_json()["lineItems"] == [
        {"description": "Pasties", "unitAmount": 3.1, "quantity": 1, "taxAmount": 0.62}
    ]
    assert updated.total_amount == Decimal("3.72")
    client.bills.update(**ids, bill_id=bill.id, bill=_bill(supplier.id), idempotency_key="k-1")
    assert fake.last.headers["Idempotency-Key"] == "k-1"


def test_list_bills_and_iter(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    supplier = _supplier(client, ids)
    assert supplier.id is not None
    created = [client.bills.create(**ids, bill=_bill(supplier.id, reference=f"R{n}")) for n in range(5)]
    fake.payables.page_size = 2
    page = client.bills.list(**ids)
    assert (fake.last.method, _path(fake.last), _params(fake.last)) == ("GET", _prefix(ids) + "/bills", [])
    assert [b.reference for b in page.results] == ["R0", "R1"] and page.next_token
    fake.requests.clear()
    assert [b.id for b in client.bills.iter(**ids, query="status=Open")] == [b.id for b in created]
    assert len(fake.requests) == 3


def test_attachments_upload_list_and_download_byte_exact(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    supplier = _supplier(client, ids)
    assert supplier.id is not None
    bill = client.bills.create(**ids, bill=_bill(supplier.id))
    assert bill.id is not None
    content = bytes(range(256)) * 4 + b"\r\n--not-a-boundary\r\n"
    attachment = client.bills.upload_attachment(**ids, bill_id=bill.id, content=content, file_name="invoice.pdf")
    upload = fake.last
    assert (upload.method, _path(upload)) == ("POST", f"{_prefix(ids)}/bills/{bill.id}/attachments")
    assert upload.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert parse_multipart(upload) == {"file": ("invoice.pdf", "application/pdf", content)}
    assert isinstance(attachment, Attachment)
    assert (attachment.name, attachment.content_type, attachment.file_size) == ("invoice.pdf", "application/pdf", 1044)

    client.bills.upload_attachment(**ids, bill_id=bill.id, content=b"a,b\n", file_name="lines", content_type="text/csv")
    assert parse_multipart(fake.last)["file"] == ("lines", "text/csv", b"a,b\n")
    client.bills.upload_attachment(**ids, bill_id=bill.id, content=b"", file_name="unknown.zzz-none")
    assert parse_multipart(fake.last)["file"] == ("unknown.zzz-none", "application/octet-stream", b"")

    listed = client.bills.list_attachments(**ids, bill_id=bill.id)
    assert (fake.last.method, _path(fake.last)) == ("GET", f"{_prefix(ids)}/bills/{bill.id}/attachments")
    assert [a.name for a in listed] == ["invoice.pdf", "lines", "unknown.zzz-none"]
    assert listed[0] == attachment

    assert attachment.id is not None
    downloaded = client.bills.download_attachment(**ids, bill_id=bill.id, attachment_id=attachment.id)
    # The file, or the JSON ErrorMessage of an error answer.
    assert fake.last.headers["Accept"] == "application/octet-stream, application/json"
    assert _path(fake.last) == f"{_prefix(ids)}/bills/{bill.id}/attachments/{attachment.id}/download"
    assert downloaded == content


def test_upload_refuses_non_bytes_and_empty_names(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    with pytest.raises(TypeError, match="bytes"):
        client.bills.upload_attachment(**ids, bill_id="b", content="text", file_name="a.txt")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="file_name"):
        client.bills.upload_attachment(**ids, bill_id="b", content=b"x", file_name="")
    assert fake.requests == []


def test_a_download_error_is_still_a_typed_error(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    with pytest.raises(NotFoundError, match="Attachment a not found"):
        client.bills.download_attachment(**ids, bill_id="b", attachment_id="a")


# -- payments and bank accounts -------------------------------------------------------------------------------


def test_partial_then_full_payment(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    supplier = _supplier(client, ids)
    assert supplier.id is not None
    bill = client.bills.create(**ids, bill=_bill(supplier.id))
    assert bill.id is not None
    bank = client.bank_accounts.create(
        **ids,
        bank_account=BankAccountPrototype(
            name="Payments", account_type="Debit", account_number="12345678", sort_code="040004", currency="GBP"
        ),
        idempotency_key="bank-1",
    )
    assert (fake.last.method, _path(fake.last)) == ("POST", _prefix(ids) + "/bankAccounts")
    assert fake.last.headers["Idempotency-Key"] == "bank-1"
    assert fake.last_json() == {
        "name": "Payments",
        "accountType": "Debit",
        "accountNumber": "12345678",
        "currency": "GBP",
        "sortCode": "040004",
    }
    assert (bank.account_type, bank.status) == (BankAccountType.DEBIT, AccountStatus.ACTIVE)
    assert bank.id is not None

    payment = client.bill_payments.create(
        **ids,
        bill_id=bill.id,
        payment=BillPaymentPrototype(
            amount=Decimal("12.34"), date=date(2026, 12, 2), account_ref=AccountRef(id=bank.id), reference="P1"
        ),
        idempotency_key="pay-1",
    )
    assert (fake.last.method, _path(fake.last)) == ("POST", f"{_prefix(ids)}/bills/{bill.id}/payment")
    assert fake.last.headers["Idempotency-Key"] == "pay-1"
    assert fake.last_json() == {
        "amount": 12.34,
        "date": "2026-12-02T00:00:00",
        "accountRef": {"id": bank.id},
        "reference": "P1",
    }
    assert payment.id is not None and payment.amount == Decimal("12.34")
    assert payment.account_ref is not None and payment.account_ref.id == bank.id

    [open_bill] = client.bills.list(**ids).results
    assert (open_bill.status, open_bill.amount_due) == (BillStatus.PARTIALLY_PAID, Decimal("17.66"))

    with pytest.raises(BadRequestError) as refused:
        client.bill_payments.create(
            **ids,
            bill_id=bill.id,
            payment={"amount": 20, "date": "2026-12-03", "accountRef": {"id": bank.id}},
        )
    assert [item.item_id for item in refused.value.validation_errors] == ["amount"]

    client.bill_payments.create(
        **ids, bill_id=bill.id, payment={"amount": "17.66", "date": "2026-12-03", "account_ref": {"id": bank.id}}
    )
    assert client.bills.list(**ids).results == []
    [paid] = client.bills.list(**ids, query="status=Paid").results
    assert (paid.status, paid.amount_due) == (BillStatus.PAID, Decimal(0))


def test_a_repeated_idempotency_key_gets_the_first_answer(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    supplier = _supplier(client, ids)
    assert supplier.id is not None
    first = client.bills.create(**ids, bill=_bill(supplier.id), idempotency_key="same")
    again = client.bills.create(**ids, bill=_bill(supplier.id), idempotency_key="same")
    assert again == first
    assert len(client.bills.list(**ids).results) == 1
    with pytest.raises(CodatAPIError) as conflict:
        client.bills.create(**ids, bill=_bill(supplier.id, reference="other"), idempotency_key="same")
    assert conflict.value.status_code == 422
    with pytest.raises(ValueError, match="idempotency_key"):
        client.bills.create(**ids, bill=_bill(supplier.id), idempotency_key="")


# -- errors and retries ---------------------------------------------------------------------------------------


def test_payables_on_a_connection_that_is_not_linked(client: CodatClient, fake: FakeCodat) -> None:
    company = client.companies.create(name="Acme")
    connection = client.connections.create(company_id=company.id, platform_key="gbol")
    with pytest.raises(BadRequestError, match=f"Data connection {connection.id} is not linked") as caught:
        client.bills.list(company_id=company.id, connection_id=connection.id)
    assert caught.value.error_message is not None and caught.value.error_message.status_code == 400
    with pytest.raises(NotFoundError, match="Data connection nope not found"):
        client.company_information.get(company_id=company.id, connection_id="nope")


def test_a_bad_continuation_token_is_a_bad_request(client: CodatClient, ids: dict[str, str]) -> None:
    with pytest.raises(BadRequestError, match="continuation token"):
        client.bills.list(**ids, continuation_token="not-a-token")


def test_an_unexpected_success_body_is_a_response_error(
    client: CodatClient, fake: FakeCodat, ids: dict[str, str]
) -> None:
    fake.enqueue(httpx.Response(201, json={"id": "b", "status": "Open"}))
    with pytest.raises(CodatResponseError, match="create-bill: unexpected 201 response: supplierRef"):
        client.bills.create(**ids, bill=_bill("s"))
    fake.enqueue(httpx.Response(200, json={"results": []}))
    with pytest.raises(CodatResponseError, match="list-bill-attachments"):
        client.bills.list_attachments(**ids, bill_id="b")


def test_unknown_fields_and_enum_values_are_kept(client: CodatClient, fake: FakeCodat, ids: dict[str, str]) -> None:
    body = {
        "supplierRef": {"id": "s"},
        "issueDate": "2026-12-01T00:00:00",
        "dueDate": "2026-12-31",
        "currency": "GBP",
        "status": "Scheduled",
        "amountDue": 1.5,
        "lineItems": None,
        "brandNew": {"x": 1},
    }
    fake.enqueue(httpx.Response(200, json={"results": [body], "pagination": {}}))
    [bill] = client.bills.list(**ids).results
    assert bill.status == "Scheduled" and not isinstance(bill.status, BillStatus)
    assert bill.line_items == [] and bill.id is None
    assert bill.model_extra == {"brandNew": {"x": 1}}


def test_writes_with_an_idempotency_key_are_retried_after_connection_errors(
    client: CodatClient, fake: FakeCodat, fake_time: FakeTime, ids: dict[str, str]
) -> None:
    supplier = _supplier(client, ids)
    fake.requests.clear()
    fake.enqueue(httpx.ConnectError("reset"))
    bill = client.bills.create(**ids, bill=_bill(str(supplier.id)), idempotency_key="retry-me")
    assert len(fake.requests) == 2 and fake.requests[0].content == fake.requests[1].content
    assert bill.id is not None
    assert fake_time.sleeps == [0.5]

    fake.requests.clear()
    fake.enqueue(httpx.ConnectError("reset"))
    with pytest.raises(CodatTransportError):
        client.bills.create(**ids, bill=_bill(str(supplier.id)))  # no key: it may have happened
    assert len(fake.requests) == 1


def test_a_503_upload_is_resent_with_the_same_multipart_body(
    client: CodatClient, fake: FakeCodat, fake_time: FakeTime, ids: dict[str, str]
) -> None:
    supplier = _supplier(client, ids)
    bill = client.bills.create(**ids, bill=_bill(str(supplier.id)))
    fake.requests.clear()
    fake.enqueue(httpx.Response(503, headers={"Retry-After": "1"}))
    client.bills.upload_attachment(**ids, bill_id=str(bill.id), content=b"%PDF-1.7", file_name="a.pdf")
    assert len(fake.requests) == 2
    assert parse_multipart(fake.requests[0]) == parse_multipart(fake.requests[1])
    assert parse_multipart(fake.requests[1])["file"][2] == b"%PDF-1.7"
    assert fake_time.sleeps == [1.0]

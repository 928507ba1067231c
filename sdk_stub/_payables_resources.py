"""The Bill Pay resource groups (`client.suppliers`, `.bills`, `.bill_payments`, `.bank_accounts`,
`.company_information`) as sync and async twins.

Same shape as `_resources`: a pure builder describes each call as an `Operation`, and the twins only send
it. Every path is under `/companies/{companyId}/connections/{connectionId}/payables`. Listings are paged by
an opaque continuation token rather than by page number; `iter` follows the tokens.
"""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any, Protocol, TypeVar

import pydantic

from ._base import IDEMPOTENCY_KEY, Operation, segment, wire_decoder
from ._payables_models import (
    Attachment,
    BankAccount,
    BankAccountPrototype,
    Bill,
    BillMappingOptions,
    BillPayment,
    BillPaymentPrototype,
    BillPrototype,
    CompanyInformation,
    ContinuationPage,
    PaymentMappingOptions,
    Supplier,
    SupplierPrototype,
)
from ._resources import _AsyncSender, _connection_path, _Sender

__all__ = [
    "AsyncBankAccounts",
    "AsyncBillPayments",
    "AsyncBills",
    "AsyncCompanyInformationResource",
    "AsyncSuppliers",
    "BankAccounts",
    "BillPayments",
    "Bills",
    "CompanyInformationResource",
    "Suppliers",
]

T = TypeVar("T")
P = TypeVar("P", bound="_TokenPaged")
M = TypeVar("M", bound=pydantic.BaseModel)

#: A file's type when nothing better is known.
_OCTET_STREAM = "application/octet-stream"
#: What a download accepts: the file's bytes, whatever their type, or the JSON ErrorMessage every error answer
#: carries (a download refused as not found is still a JSON 404).
_DOWNLOAD_ACCEPT = f"{_OCTET_STREAM}, application/json"


class _TokenPaged(Protocol):
    @property
    def next_token(self) -> str | None: ...


# --- pure builders -----------------------------------------------------------------------------------------

_read_company_information = wire_decoder(CompanyInformation)
_read_bill_options = wire_decoder(BillMappingOptions)
_read_payment_options = wire_decoder(PaymentMappingOptions)
_read_bill = wire_decoder(Bill)
_read_bill_page = wire_decoder(ContinuationPage[Bill])
_read_supplier = wire_decoder(Supplier)
_read_supplier_page = wire_decoder(ContinuationPage[Supplier])
_read_bill_payment = wire_decoder(BillPayment)
_read_bank_account = wire_decoder(BankAccount)
_read_attachment = wire_decoder(Attachment)
#: A name for the bare-array answer: inside the resource classes `list` is a method.
Attachments = list[Attachment]
_attachments = pydantic.TypeAdapter(Attachments)


def _read_attachments(content: bytes) -> Attachments:
    # list-bill-attachments answers with a bare array, not a `{results}` envelope.
    return _attachments.validate_json(content, by_alias=True, by_name=False)


def _read_bytes(content: bytes) -> bytes:
    return content


def _payables_path(company_id: str, connection_id: str) -> str:
    return f"{_connection_path(company_id, connection_id)}/payables"


def _bill_path(company_id: str, connection_id: str, bill_id: str) -> str:
    return f"{_payables_path(company_id, connection_id)}/bills/{segment(bill_id, 'bill_id')}"


def _token_params(continuation_token: str | None, **filters: str | None) -> tuple[tuple[str, str], ...]:
    """The token first, then the filters Codat names, only those given."""
    given = (("continuationToken", continuation_token), *filters.items())
    return tuple((key, value) for key, value in given if value is not None)


def _idempotency(key: str | None) -> tuple[tuple[str, str], ...]:
    if key is None:
        return ()
    if not isinstance(key, str) or not key:
        raise ValueError(f"idempotency_key must be a non-empty string, got {key!r}")
    return ((IDEMPOTENCY_KEY, key),)


def _body(model: type[M], value: M | Mapping[str, Any]) -> dict[str, object]:
    """The JSON body for a prototype: wire names, and only the fields that hold a value.

    A mapping is validated into the prototype first (camelCase or snake_case keys), so a missing required
    field fails here, before anything is sent. `None` is never sent, as in the rest of the client: a full
    replacement (PUT) clears what it leaves out anyway.
    """
    prototype = value if isinstance(value, model) else model.model_validate(value)
    return prototype.model_dump(mode="json", by_alias=True, exclude_none=True)


def _get_company_information(company_id: str, connection_id: str) -> Operation[CompanyInformation]:
    path = f"{_payables_path(company_id, connection_id)}/info"
    return Operation("get-company-information", "GET", path, _read_company_information)


def _get_bill_options(
    company_id: str, connection_id: str, continuation_token: str | None, status_query: str | None
) -> Operation[BillMappingOptions]:
    path = f"{_payables_path(company_id, connection_id)}/mappingOptions/bills"
    params = _token_params(continuation_token, statusQuery=status_query)
    return Operation("get-mapping-options-bills", "GET", path, _read_bill_options, params)


def _get_payment_options(
    company_id: str, connection_id: str, continuation_token: str | None, status_query: str | None
) -> Operation[PaymentMappingOptions]:
    path = f"{_payables_path(company_id, connection_id)}/mappingOptions/payments"
    params = _token_params(continuation_token, statusQuery=status_query)
    return Operation("get-mapping-options-payments", "GET", path, _read_payment_options, params)


def _list_bills(
    company_id: str, connection_id: str, query: str | None, continuation_token: str | None
) -> Operation[ContinuationPage[Bill]]:
    path = f"{_payables_path(company_id, connection_id)}/bills"
    return Operation("list-bills", "GET", path, _read_bill_page, _token_params(continuation_token, query=query))


def _create_bill(
    company_id: str, connection_id: str, bill: BillPrototype | Mapping[str, Any], idempotency_key: str | None
) -> Operation[Bill]:
    path = f"{_payables_path(company_id, connection_id)}/bills"
    body = _body(BillPrototype, bill)
    return Operation("create-bill", "POST", path, _read_bill, body=body, headers=_idempotency(idempotency_key))


def _update_bill(
    company_id: str,
    connection_id: str,
    bill_id: str,
    bill: BillPrototype | Mapping[str, Any],
    idempotency_key: str | None,
) -> Operation[Bill]:
    path = _bill_path(company_id, connection_id, bill_id)
    body = _body(BillPrototype, bill)
    return Operation("update-bill", "PUT", path, _read_bill, body=body, headers=_idempotency(idempotency_key))


def _upload_attachment(
    company_id: str, connection_id: str, bill_id: str, content: bytes, file_name: str, content_type: str | None
) -> Operation[Attachment]:
    if not isinstance(content, bytes):
        raise TypeError(f"content must be bytes, got {type(content).__name__}")
    if not isinstance(file_name, str) or not file_name:
        raise ValueError(f"file_name must be a non-empty string, got {file_name!r}")
    media_type = content_type or mimetypes.guess_type(file_name)[0] or _OCTET_STREAM
    path = f"{_bill_path(company_id, connection_id, bill_id)}/attachments"
    files = {"file": (file_name, content, media_type)}
    return Operation("upload-bill-attachment", "POST", path, _read_attachment, files=files)


def _list_attachments(company_id: str, connection_id: str, bill_id: str) -> Operation[Attachments]:
    path = f"{_bill_path(company_id, connection_id, bill_id)}/attachments"
    return Operation("list-bill-attachments", "GET", path, _read_attachments)


def _download_attachment(company_id: str, connection_id: str, bill_id: str, attachment_id: str) -> Operation[bytes]:
    attachment = segment(attachment_id, "attachment_id")
    path = f"{_bill_path(company_id, connection_id, bill_id)}/attachments/{attachment}/download"
    headers = (("Accept", _DOWNLOAD_ACCEPT),)
    return Operation("download-bill-attachment", "GET", path, _read_bytes, headers=headers)


def _create_bill_payment(
    company_id: str,
    connection_id: str,
    bill_id: str,
    payment: BillPaymentPrototype | Mapping[str, Any],
    idempotency_key: str | None,
) -> Operation[BillPayment]:
    path = f"{_bill_path(company_id, connection_id, bill_id)}/payment"
    body = _body(BillPaymentPrototype, payment)
    headers = _idempotency(idempotency_key)
    return Operation("create-bill-payment", "POST", path, _read_bill_payment, body=body, headers=headers)


def _list_suppliers(
    company_id: str, connection_id: str, query: str | None, continuation_token: str | None
) -> Operation[ContinuationPage[Supplier]]:
    path = f"{_payables_path(company_id, connection_id)}/suppliers"
    params = _token_params(continuation_token, query=query)
    return Operation("list-suppliers", "GET", path, _read_supplier_page, params)


def _create_supplier(
    company_id: str,
    connection_id: str,
    supplier: SupplierPrototype | Mapping[str, Any],
    idempotency_key: str | None,
) -> Operation[Supplier]:
    path = f"{_payables_path(company_id, connection_id)}/suppliers"
    body = _body(SupplierPrototype, supplier)
    headers = _idempotency(idempotency_key)
    return Operation("create-supplier", "POST", path, _read_supplier, body=body, headers=headers)


def _update_supplier(
    company_id: str, connection_id: str, supplier_id: str, supplier: SupplierPrototype | Mapping[str, Any]
) -> Operation[Supplier]:
    path = f"{_payables_path(company_id, connection_id)}/suppliers/{segment(supplier_id, 'supplier_id')}"
    return Operation("update-supplier", "PUT", path, _read_supplier, body=_body(SupplierPrototype, supplier))


def _create_bank_account(
    company_id: str,
    connection_id: str,
    bank_account: BankAccountPrototype | Mapping[str, Any],
    idempotency_key: str | None,
) -> Operation[BankAccount]:
    path = f"{_payables_path(company_id, connection_id)}/bankAccounts"
    body = _body(BankAccountPrototype, bank_account)
    headers = _idempotency(idempotency_key)
    return Operation("create-bank-account", "POST", path, _read_bank_account, body=body, headers=headers)


def walk_tokens(fetch: Callable[[str | None], P]) -> Iterator[P]:
    """Every page of a token-paged listing: the first without a token, then each with the token before it.

    The walk ends when a page carries no token. It also ends when the server hands back a token it has
    already given, so a misbehaving server cannot make an iterator loop forever. An empty page with a token
    is followed: a filtered listing may legitimately have one.
    """
    seen: set[str] = set()
    token: str | None = None
    while True:
        page = fetch(token)
        yield page
        token = page.next_token
        if token is None or token in seen:
            return
        seen.add(token)


async def async_walk_tokens(fetch: Callable[[str | None], Awaitable[P]]) -> AsyncIterator[P]:
    """`walk_tokens` for an async fetch."""
    seen: set[str] = set()
    token: str | None = None
    while True:
        page = await fetch(token)
        yield page
        token = page.next_token
        if token is None or token in seen:
            return
        seen.add(token)


# --- sync twins --------------------------------------------------------------------------------------------


class CompanyInformationResource:
    """`client.company_information`: the ledger's company name and base currency.

    ```python
    info = client.company_information.get(company_id=company.id, connection_id=connection.id)
    print(info.company_name, info.base_currency)
    ```
    """

    def __init__(self, client: _Sender) -> None:
        self._client = client

    def get(self, *, company_id: str, connection_id: str) -> CompanyInformation:
        """Fetch the company information of a linked connection (`GET …/payables/info`)."""
        return self._client._request(_get_company_information(company_id, connection_id))


class Suppliers:
    """`client.suppliers`: list, create and replace the suppliers in a connection's ledger.

    ```python
    supplier = client.suppliers.create(
        company_id=company.id,
        connection_id=connection.id,
        supplier=SupplierPrototype(supplier_name="Greggs", default_currency="GBP"),
        idempotency_key=str(uuid.uuid4()),
    )
    for each in client.suppliers.iter(company_id=company.id, connection_id=connection.id, query="status=Active"):
        print(each.id, each.supplier_name)
    ```
    """

    def __init__(self, client: _Sender) -> None:
        self._client = client

    def list(
        self,
        *,
        company_id: str,
        connection_id: str,
        query: str | None = None,
        continuation_token: str | None = None,
    ) -> ContinuationPage[Supplier]:
        """Fetch one page of suppliers (`GET …/payables/suppliers`); pass the previous page's `next_token`
        as `continuation_token` for the next one. `query` is Codat's query language."""
        return self._client._request(_list_suppliers(company_id, connection_id, query, continuation_token))

    def iter(self, *, company_id: str, connection_id: str, query: str | None = None) -> Iterator[Supplier]:
        """Every matching supplier, fetching pages lazily and following continuation tokens until none is left."""
        for page in walk_tokens(
            lambda token: self.list(
                company_id=company_id, connection_id=connection_id, query=query, continuation_token=token
            )
        ):
            yield from page.results

    def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        supplier: SupplierPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> Supplier:
        """Create a supplier (`POST …/payables/suppliers`, 201). A repeated `idempotency_key` gets the first
        answer back instead of a second supplier."""
        return self._client._request(_create_supplier(company_id, connection_id, supplier, idempotency_key))

    def update(
        self,
        *,
        company_id: str,
        connection_id: str,
        supplier_id: str,
        supplier: SupplierPrototype | Mapping[str, Any],
    ) -> Supplier:
        """Replace a supplier (`PUT …/payables/suppliers/{supplierId}`): fields left out are cleared."""
        return self._client._request(_update_supplier(company_id, connection_id, supplier_id, supplier))


class Bills:
    """`client.bills`: bills, their attachments, and the accounts and tax rates to code them with.

    ```python
    options = client.bills.get_mapping_options(company_id=company.id, connection_id=connection.id)
    bill = client.bills.create(company_id=company.id, connection_id=connection.id, bill=prototype)
    client.bills.upload_attachment(
        company_id=company.id, connection_id=connection.id, bill_id=bill.id,
        content=pdf_bytes, file_name="invoice.pdf",
    )
    for each in client.bills.iter(company_id=company.id, connection_id=connection.id):
        print(each.id, each.status, each.amount_due)  # Open and PartiallyPaid bills unless `query` says otherwise
    ```
    """

    def __init__(self, client: _Sender) -> None:
        self._client = client

    def list(
        self,
        *,
        company_id: str,
        connection_id: str,
        query: str | None = None,
        continuation_token: str | None = None,
    ) -> ContinuationPage[Bill]:
        """Fetch one page of bills (`GET …/payables/bills`). Without `query` Codat returns the outstanding
        (`Open` and `PartiallyPaid`) bills."""
        return self._client._request(_list_bills(company_id, connection_id, query, continuation_token))

    def iter(self, *, company_id: str, connection_id: str, query: str | None = None) -> Iterator[Bill]:
        """Every matching bill, fetching pages lazily and following continuation tokens until none is left."""
        for page in walk_tokens(
            lambda token: self.list(
                company_id=company_id, connection_id=connection_id, query=query, continuation_token=token
            )
        ):
            yield from page.results

    def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        bill: BillPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> Bill:
        """Create an `Open` bill (`POST …/payables/bills`, 201); the server computes the totals."""
        return self._client._request(_create_bill(company_id, connection_id, bill, idempotency_key))

    def update(
        self,
        *,
        company_id: str,
        connection_id: str,
        bill_id: str,
        bill: BillPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> Bill:
        """Replace an `Open` bill and all of its line items (`PUT …/payables/bills/{billId}`)."""
        return self._client._request(_update_bill(company_id, connection_id, bill_id, bill, idempotency_key))

    def upload_attachment(
        self,
        *,
        company_id: str,
        connection_id: str,
        bill_id: str,
        content: bytes,
        file_name: str,
        content_type: str | None = None,
    ) -> Attachment:
        """Attach a file to a bill (`POST …/bills/{billId}/attachments`, multipart part `file`, 201).

        `content_type` defaults to the type `file_name`'s extension suggests, else `application/octet-stream`.
        """
        operation = _upload_attachment(company_id, connection_id, bill_id, content, file_name, content_type)
        return self._client._request(operation)

    def list_attachments(self, *, company_id: str, connection_id: str, bill_id: str) -> Attachments:
        """The files attached to a bill (`GET …/bills/{billId}/attachments`)."""
        return self._client._request(_list_attachments(company_id, connection_id, bill_id))

    def download_attachment(self, *, company_id: str, connection_id: str, bill_id: str, attachment_id: str) -> bytes:
        """The bytes of one attachment (`GET …/attachments/{attachmentId}/download`)."""
        return self._client._request(_download_attachment(company_id, connection_id, bill_id, attachment_id))

    def get_mapping_options(
        self,
        *,
        company_id: str,
        connection_id: str,
        continuation_token: str | None = None,
        status_query: str | None = None,
    ) -> BillMappingOptions:
        """One page of the accounts and tax rates bill lines can use (`GET …/mappingOptions/bills`).

        Active ones by default; `status_query` (for example `status=Active||status=Archived`) says otherwise.
        """
        operation = _get_bill_options(company_id, connection_id, continuation_token, status_query)
        return self._client._request(operation)

    def iter_mapping_options(
        self, *, company_id: str, connection_id: str, status_query: str | None = None
    ) -> Iterator[BillMappingOptions]:
        """Every page of bill mapping options, following continuation tokens until none is left."""
        yield from walk_tokens(
            lambda token: self.get_mapping_options(
                company_id=company_id, connection_id=connection_id, continuation_token=token, status_query=status_query
            )
        )


class BillPayments:
    """`client.bill_payments`: pay bills, and the accounts they can be paid from.

    ```python
    payment = client.bill_payments.create(
        company_id=company.id,
        connection_id=connection.id,
        bill_id=bill.id,
        payment=BillPaymentPrototype(amount=Decimal("50.00"), date=date.today(), account_ref=AccountRef(id=bank.id)),
        idempotency_key=str(uuid.uuid4()),
    )
    ```
    """

    def __init__(self, client: _Sender) -> None:
        self._client = client

    def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        bill_id: str,
        payment: BillPaymentPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> BillPayment:
        """Record a payment against one bill (`POST …/bills/{billId}/payment`, 201); a partial amount leaves
        the bill `PartiallyPaid`."""
        operation = _create_bill_payment(company_id, connection_id, bill_id, payment, idempotency_key)
        return self._client._request(operation)

    def get_mapping_options(
        self,
        *,
        company_id: str,
        connection_id: str,
        continuation_token: str | None = None,
        status_query: str | None = None,
    ) -> PaymentMappingOptions:
        """One page of the accounts bills can be paid from (`GET …/mappingOptions/payments`); active ones
        unless `status_query` says otherwise."""
        operation = _get_payment_options(company_id, connection_id, continuation_token, status_query)
        return self._client._request(operation)

    def iter_mapping_options(
        self, *, company_id: str, connection_id: str, status_query: str | None = None
    ) -> Iterator[PaymentMappingOptions]:
        """Every page of payment mapping options, following continuation tokens until none is left."""
        yield from walk_tokens(
            lambda token: self.get_mapping_options(
                company_id=company_id, connection_id=connection_id, continuation_token=token, status_query=status_query
            )
        )


class BankAccounts:
    """`client.bank_accounts`: add the account your product pays from to the ledger.

    ```python
    bank = client.bank_accounts.create(
        company_id=company.id,
        connection_id=connection.id,
        bank_account=BankAccountPrototype(name="Payments", account_type="Debit", account_number="12345678",
                                          sort_code="040004", currency="GBP"),
    )
    ```
    """

    def __init__(self, client: _Sender) -> None:
        self._client = client

    def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        bank_account: BankAccountPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> BankAccount:
        """Create a bank or card account (`POST …/payables/bankAccounts`, 201)."""
        operation = _create_bank_account(company_id, connection_id, bank_account, idempotency_key)
        return self._client._request(operation)


# --- async twins -------------------------------------------------------------------------------------------


class AsyncCompanyInformationResource:
    """`client.company_information` of an `AsyncCodatClient`: `CompanyInformationResource`, awaited."""

    def __init__(self, client: _AsyncSender) -> None:
        self._client = client

    async def get(self, *, company_id: str, connection_id: str) -> CompanyInformation:
        """Fetch the company information of a linked connection."""
        return await self._client._request(_get_company_information(company_id, connection_id))


class AsyncSuppliers:
    """`client.suppliers` of an `AsyncCodatClient`: the same methods as `Suppliers`, awaited."""

    def __init__(self, client: _AsyncSender) -> None:
        self._client = client

    async def list(
        self,
        *,
        company_id: str,
        connection_id: str,
        query: str | None = None,
        continuation_token: str | None = None,
    ) -> ContinuationPage[Supplier]:
        """Fetch one page of suppliers; see `Suppliers.list`."""
        return await self._client._request(_list_suppliers(company_id, connection_id, query, continuation_token))

    async def iter(self, *, company_id: str, connection_id: str, query: str | None = None) -> AsyncIterator[Supplier]:
        """Every matching supplier, following continuation tokens until none is left."""
        async for page in async_walk_tokens(
            lambda token: self.list(
                company_id=company_id, connection_id=connection_id, query=query, continuation_token=token
            )
        ):
            for supplier in page.results:
                yield supplier

    async def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        supplier: SupplierPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> Supplier:
        """Create a supplier (201)."""
        return await self._client._request(_create_supplier(company_id, connection_id, supplier, idempotency_key))

    async def update(
        self,
        *,
        company_id: str,
        connection_id: str,
        supplier_id: str,
        supplier: SupplierPrototype | Mapping[str, Any],
    ) -> Supplier:
        """Replace a supplier: fields left out are cleared."""
        return await self._client._request(_update_supplier(company_id, connection_id, supplier_id, supplier))


class AsyncBills:
    """`client.bills` of an `AsyncCodatClient`: the same methods as `Bills`, awaited."""

    def __init__(self, client: _AsyncSender) -> None:
        self._client = client

    async def list(
        self,
        *,
        company_id: str,
        connection_id: str,
        query: str | None = None,
        continuation_token: str | None = None,
    ) -> ContinuationPage[Bill]:
        """Fetch one page of bills; see `Bills.list`."""
        return await self._client._request(_list_bills(company_id, connection_id, query, continuation_token))

    async def iter(self, *, company_id: str, connection_id: str, query: str | None = None) -> AsyncIterator[Bill]:
        """Every matching bill, following continuation tokens until none is left."""
        async for page in async_walk_tokens(
            lambda token: self.list(
                company_id=company_id, connection_id=connection_id, query=query, continuation_token=token
            )
        ):
            for bill in page.results:
                yield bill

    async def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        bill: BillPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> Bill:
        """Create an `Open` bill (201)."""
        return await self._client._request(_create_bill(company_id, connection_id, bill, idempotency_key))

    async def update(
        self,
        *,
        company_id: str,
        connection_id: str,
        bill_id: str,
        bill: BillPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> Bill:
        """Replace an `Open` bill and all of its line items."""
        return await self._client._request(_update_bill(company_id, connection_id, bill_id, bill, idempotency_key))

    async def upload_attachment(
        self,
        *,
        company_id: str,
        connection_id: str,
        bill_id: str,
        content: bytes,
        file_name: str,
        content_type: str | None = None,
    ) -> Attachment:
        """Attach a file to a bill (multipart part `file`, 201); see `Bills.upload_attachment`."""
        operation = _upload_attachment(company_id, connection_id, bill_id, content, file_name, content_type)
        return await self._client._request(operation)

    async def list_attachments(self, *, company_id: str, connection_id: str, bill_id: str) -> Attachments:
        """The files attached to a bill."""
        return await self._client._request(_list_attachments(company_id, connection_id, bill_id))

    async def download_attachment(
        self, *, company_id: str, connection_id: str, bill_id: str, attachment_id: str
    ) -> bytes:
        """The bytes of one attachment."""
        return await self._client._request(_download_attachment(company_id, connection_id, bill_id, attachment_id))

    async def get_mapping_options(
        self,
        *,
        company_id: str,
        connection_id: str,
        continuation_token: str | None = None,
        status_query: str | None = None,
    ) -> BillMappingOptions:
        """One page of the accounts and tax rates bill lines can use."""
        operation = _get_bill_options(company_id, connection_id, continuation_token, status_query)
        return await self._client._request(operation)

    async def iter_mapping_options(
        self, *, company_id: str, connection_id: str, status_query: str | None = None
    ) -> AsyncIterator[BillMappingOptions]:
        """Every page of bill mapping options, following continuation tokens until none is left."""
        async for page in async_walk_tokens(
            lambda token: self.get_mapping_options(
                company_id=company_id, connection_id=connection_id, continuation_token=token, status_query=status_query
            )
        ):
            yield page


class AsyncBillPayments:
    """`client.bill_payments` of an `AsyncCodatClient`: the same methods as `BillPayments`, awaited."""

    def __init__(self, client: _AsyncSender) -> None:
        self._client = client

    async def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        bill_id: str,
        payment: BillPaymentPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> BillPayment:
        """Record a payment against one bill (201)."""
        operation = _create_bill_payment(company_id, connection_id, bill_id, payment, idempotency_key)
        return await self._client._request(operation)

    async def get_mapping_options(
        self,
        *,
        company_id: str,
        connection_id: str,
        continuation_token: str | None = None,
        status_query: str | None = None,
    ) -> PaymentMappingOptions:
        """One page of the accounts bills can be paid from."""
        operation = _get_payment_options(company_id, connection_id, continuation_token, status_query)
        return await self._client._request(operation)

    async def iter_mapping_options(
        self, *, company_id: str, connection_id: str, status_query: str | None = None
    ) -> AsyncIterator[PaymentMappingOptions]:
        """Every page of payment mapping options, following continuation tokens until none is left."""
        async for page in async_walk_tokens(
            lambda token: self.get_mapping_options(
                company_id=company_id, connection_id=connection_id, continuation_token=token, status_query=status_query
            )
        ):
            yield page


class AsyncBankAccounts:
    """`client.bank_accounts` of an `AsyncCodatClient`: the same methods as `BankAccounts`, awaited."""

    def __init__(self, client: _AsyncSender) -> None:
        self._client = client

    async def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        bank_account: BankAccountPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> BankAccount:
        """Create a bank or card account (201)."""
        operation = _create_bank_account(company_id, connection_id, bank_account, idempotency_key)
        return await self._client._request(operation)

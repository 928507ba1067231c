"""The Bill Pay calls described as `Operation`s, and the walk over token-paged listings: the I/O-free part that
the sync and async resource twins in `_payables_resources` share.

Every path is under `/companies/{companyId}/connections/{connectionId}/payables`. Listings are paged by an
opaque continuation token rather than by page number.
"""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

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
from ._resources import _connection_path

__all__ = [
    "BILL_OPTIONS",
    "BILLS",
    "PAYMENT_OPTIONS",
    "SUPPLIERS",
    "Attachments",
    "TokenPaged",
    "async_walk_tokens",
    "create_bank_account",
    "create_bill",
    "create_bill_payment",
    "create_supplier",
    "download_attachment",
    "get_company_information",
    "list_attachments",
    "prototype_body",
    "update_bill",
    "update_supplier",
    "upload_attachment",
    "walk_tokens",
]

T = TypeVar("T")
P = TypeVar("P", bound="_TokenPage")
M = TypeVar("M", bound=pydantic.BaseModel)

#: A file's type when nothing better is known.
_OCTET_STREAM = "application/octet-stream"
#: What a download accepts: the file's bytes, whatever their type, or the JSON ErrorMessage every error answer
#: carries (a download refused as not found is still a JSON 404).
_DOWNLOAD_ACCEPT = f"{_OCTET_STREAM}, application/json"


class _TokenPage(Protocol):
    @property
    def next_token(self) -> str | None: ...


# --- paths, parameters, headers and bodies -----------------------------------------------------------------

_read_company_information = wire_decoder(CompanyInformation)
_read_bill = wire_decoder(Bill)
_read_supplier = wire_decoder(Supplier)
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


def _idempotency(key: str | None) -> tuple[tuple[str, str], ...]:
    if key is None:
        return ()
    if not isinstance(key, str) or not key:
        raise ValueError(f"idempotency_key must be a non-empty string, got {key!r}")
    return ((IDEMPOTENCY_KEY, key),)


def prototype_body(model: type[M], value: M | Mapping[str, Any]) -> dict[str, object]:
    """The JSON body for a prototype: wire names, and only the fields that hold a value.

    A mapping is validated into the prototype first (camelCase or snake_case keys), so a missing required
    field fails here, before anything is sent. `None` is never sent, as in the rest of the client: a full
    replacement (PUT) clears what it leaves out anyway.
    """
    prototype = value if isinstance(value, model) else model.model_validate(value)
    return prototype.model_dump(mode="json", by_alias=True, exclude_none=True)


# --- token-paged reads -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenPaged(Generic[P]):
    """One token-paged read under `…/payables`: its operationId, path below `payables`, page type, and the
    name of the one filter it takes (Codat's `query` for records, `statusQuery` for mapping options)."""

    name: str
    path: str
    decode: Callable[[bytes], P]
    filter: str

    def operation(
        self, company_id: str, connection_id: str, continuation_token: str | None, filter_value: str | None
    ) -> Operation[P]:
        """The call for one page: the token first, then the filter, only those given."""
        path = f"{_payables_path(company_id, connection_id)}/{self.path}"
        given = (("continuationToken", continuation_token), (self.filter, filter_value))
        params = tuple((key, value) for key, value in given if value is not None)
        return Operation(self.name, "GET", path, self.decode, params)


SUPPLIERS = TokenPaged("list-suppliers", "suppliers", wire_decoder(ContinuationPage[Supplier]), "query")
BILLS = TokenPaged("list-bills", "bills", wire_decoder(ContinuationPage[Bill]), "query")
BILL_OPTIONS = TokenPaged(
    "get-mapping-options-bills", "mappingOptions/bills", wire_decoder(BillMappingOptions), "statusQuery"
)
PAYMENT_OPTIONS = TokenPaged(
    "get-mapping-options-payments", "mappingOptions/payments", wire_decoder(PaymentMappingOptions), "statusQuery"
)


class _Trail:
    """The tokens of one walk: the walk ends when a page carries no token, or one the server already gave."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def after(self, page: _TokenPage) -> str | None:
        token = page.next_token
        if token is None or token in self._seen:
            return None
        self._seen.add(token)
        return token


def walk_tokens(fetch: Callable[[str | None], P]) -> Iterator[P]:
    """Every page of a token-paged listing: the first without a token, then each with the token before it.

    The walk ends when a page carries no token. It also ends when the server hands back a token it has
    already given, so a misbehaving server cannot make an iterator loop forever. An empty page with a token
    is followed: a filtered listing may legitimately have one.
    """
    trail, page = _Trail(), fetch(None)
    yield page
    while (token := trail.after(page)) is not None:
        page = fetch(token)
        yield page


async def async_walk_tokens(fetch: Callable[[str | None], Awaitable[P]]) -> AsyncIterator[P]:
    """`walk_tokens` for an async fetch."""
    trail, page = _Trail(), await fetch(None)
    yield page
    while (token := trail.after(page)) is not None:
        page = await fetch(token)
        yield page


# --- the other calls ---------------------------------------------------------------------------------------


def _write(
    name: str,
    method: str,
    path: str,
    decode: Callable[[bytes], T],
    prototype: tuple[type[M], M | Mapping[str, Any]],
    idempotency_key: str | None = None,
) -> Operation[T]:
    """A call that sends a prototype as its JSON body, with an `Idempotency-Key` when one is given."""
    body = prototype_body(*prototype)
    return Operation(name, method, path, decode, body=body, headers=_idempotency(idempotency_key))


def get_company_information(company_id: str, connection_id: str) -> Operation[CompanyInformation]:
    path = f"{_payables_path(company_id, connection_id)}/info"
    return Operation("get-company-information", "GET", path, _read_company_information)


def create_bill(
    company_id: str, connection_id: str, bill: BillPrototype | Mapping[str, Any], idempotency_key: str | None
) -> Operation[Bill]:
    path = f"{_payables_path(company_id, connection_id)}/bills"
    return _write("create-bill", "POST", path, _read_bill, (BillPrototype, bill), idempotency_key)


def update_bill(
    company_id: str,
    connection_id: str,
    bill_id: str,
    bill: BillPrototype | Mapping[str, Any],
    idempotency_key: str | None,
) -> Operation[Bill]:
    path = _bill_path(company_id, connection_id, bill_id)
    return _write("update-bill", "PUT", path, _read_bill, (BillPrototype, bill), idempotency_key)


def upload_attachment(
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


def list_attachments(company_id: str, connection_id: str, bill_id: str) -> Operation[Attachments]:
    path = f"{_bill_path(company_id, connection_id, bill_id)}/attachments"
    return Operation("list-bill-attachments", "GET", path, _read_attachments)


def download_attachment(company_id: str, connection_id: str, bill_id: str, attachment_id: str) -> Operation[bytes]:
    attachment = segment(attachment_id, "attachment_id")
    path = f"{_bill_path(company_id, connection_id, bill_id)}/attachments/{attachment}/download"
    headers = (("Accept", _DOWNLOAD_ACCEPT),)
    return Operation("download-bill-attachment", "GET", path, _read_bytes, headers=headers)


def create_bill_payment(
    company_id: str,
    connection_id: str,
    bill_id: str,
    payment: BillPaymentPrototype | Mapping[str, Any],
    idempotency_key: str | None,
) -> Operation[BillPayment]:
    path = f"{_bill_path(company_id, connection_id, bill_id)}/payment"
    prototype = (BillPaymentPrototype, payment)
    return _write("create-bill-payment", "POST", path, _read_bill_payment, prototype, idempotency_key)


def create_supplier(
    company_id: str, connection_id: str, supplier: SupplierPrototype | Mapping[str, Any], idempotency_key: str | None
) -> Operation[Supplier]:
    path = f"{_payables_path(company_id, connection_id)}/suppliers"
    return _write("create-supplier", "POST", path, _read_supplier, (SupplierPrototype, supplier), idempotency_key)


def update_supplier(
    company_id: str, connection_id: str, supplier_id: str, supplier: SupplierPrototype | Mapping[str, Any]
) -> Operation[Supplier]:
    path = f"{_payables_path(company_id, connection_id)}/suppliers/{segment(supplier_id, 'supplier_id')}"
    return _write("update-supplier", "PUT", path, _read_supplier, (SupplierPrototype, supplier))


def create_bank_account(
    company_id: str,
    connection_id: str,
    bank_account: BankAccountPrototype | Mapping[str, Any],
    idempotency_key: str | None,
) -> Operation[BankAccount]:
    path = f"{_payables_path(company_id, connection_id)}/bankAccounts"
    prototype = (BankAccountPrototype, bank_account)
    return _write("create-bank-account", "POST", path, _read_bank_account, prototype, idempotency_key)

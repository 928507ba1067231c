"""The async twins of the Bill Pay resource groups in `_payables_resources`: the same methods, awaited."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Generic, TypeVar

from . import _payables_operations as ops
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
from ._payables_operations import (
    BILL_OPTIONS,
    BILLS,
    PAYMENT_OPTIONS,
    SUPPLIERS,
    Attachments,
    TokenPaged,
    async_walk_tokens,
)
from ._resources import _AsyncSender

__all__ = [
    "AsyncBankAccounts",
    "AsyncBillPayments",
    "AsyncBills",
    "AsyncCompanyInformationResource",
    "AsyncSuppliers",
]

R = TypeVar("R")
Options = TypeVar("Options", BillMappingOptions, PaymentMappingOptions)


# --- the shared walks, awaited ---------------------------------------------------------------------------


class _AsyncResource:
    def __init__(self, client: _AsyncSender) -> None:
        self._client = client


class _AsyncListing(_AsyncResource, Generic[R]):
    """`_payables_resources._Listing`, awaited."""

    _pages: TokenPaged[ContinuationPage[R]]

    async def _page(
        self, company_id: str, connection_id: str, query: str | None, token: str | None
    ) -> ContinuationPage[R]:
        return await self._client._request(self._pages.operation(company_id, connection_id, token, query))

    async def iter(self, *, company_id: str, connection_id: str, query: str | None = None) -> AsyncIterator[R]:
        """Every matching record, following continuation tokens until none is left."""
        async for page in async_walk_tokens(lambda token: self._page(company_id, connection_id, query, token)):
            for record in page.results:
                yield record


class _AsyncWithMappingOptions(_AsyncResource, Generic[Options]):
    """`_payables_resources._WithMappingOptions`, awaited."""

    _options: TokenPaged[Options]

    async def _options_page(
        self, company_id: str, connection_id: str, token: str | None, status_query: str | None
    ) -> Options:
        return await self._client._request(self._options.operation(company_id, connection_id, token, status_query))

    async def iter_mapping_options(
        self, *, company_id: str, connection_id: str, status_query: str | None = None
    ) -> AsyncIterator[Options]:
        """Every page of mapping options, following continuation tokens until none is left."""
        async for page in async_walk_tokens(
            lambda token: self._options_page(company_id, connection_id, token, status_query)
        ):
            yield page


# --- async twins -------------------------------------------------------------------------------------------


class AsyncCompanyInformationResource(_AsyncResource):
    """`client.company_information` of an `AsyncCodatClient`: `CompanyInformationResource`, awaited."""

    async def get(self, *, company_id: str, connection_id: str) -> CompanyInformation:
        """Fetch the company information of a linked connection."""
        return await self._client._request(ops.get_company_information(company_id, connection_id))


class AsyncSuppliers(_AsyncListing[Supplier]):
    """`client.suppliers` of an `AsyncCodatClient`: the same methods as `Suppliers`, awaited."""

    _pages = SUPPLIERS

    async def list(
        self,
        *,
        company_id: str,
        connection_id: str,
        query: str | None = None,
        continuation_token: str | None = None,
    ) -> ContinuationPage[Supplier]:
        """Fetch one page of suppliers; see `Suppliers.list`."""
        return await self._page(company_id, connection_id, query, continuation_token)

    async def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        supplier: SupplierPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> Supplier:
        """Create a supplier (201)."""
        return await self._client._request(ops.create_supplier(company_id, connection_id, supplier, idempotency_key))

    async def update(
        self,
        *,
        company_id: str,
        connection_id: str,
        supplier_id: str,
        supplier: SupplierPrototype | Mapping[str, Any],
    ) -> Supplier:
        """Replace a supplier: fields left out are cleared."""
        return await self._client._request(ops.update_supplier(company_id, connection_id, supplier_id, supplier))


class AsyncBills(_AsyncListing[Bill], _AsyncWithMappingOptions[BillMappingOptions]):
    """`client.bills` of an `AsyncCodatClient`: the same methods as `Bills`, awaited."""

    _pages = BILLS
    _options = BILL_OPTIONS

    async def list(
        self,
        *,
        company_id: str,
        connection_id: str,
        query: str | None = None,
        continuation_token: str | None = None,
    ) -> ContinuationPage[Bill]:
        """Fetch one page of bills; see `Bills.list`."""
        return await self._page(company_id, connection_id, query, continuation_token)

    async def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        bill: BillPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> Bill:
        """Create an `Open` bill (201)."""
        return await self._client._request(ops.create_bill(company_id, connection_id, bill, idempotency_key))

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
        return await self._client._request(ops.update_bill(company_id, connection_id, bill_id, bill, idempotency_key))

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
        operation = ops.upload_attachment(company_id, connection_id, bill_id, content, file_name, content_type)
        return await self._client._request(operation)

    async def list_attachments(self, *, company_id: str, connection_id: str, bill_id: str) -> Attachments:
        """The files attached to a bill."""
        return await self._client._request(ops.list_attachments(company_id, connection_id, bill_id))

    async def download_attachment(
        self, *, company_id: str, connection_id: str, bill_id: str, attachment_id: str
    ) -> bytes:
        """The bytes of one attachment."""
        return await self._client._request(ops.download_attachment(company_id, connection_id, bill_id, attachment_id))

    async def get_mapping_options(
        self,
        *,
        company_id: str,
        connection_id: str,
        continuation_token: str | None = None,
        status_query: str | None = None,
    ) -> BillMappingOptions:
        """One page of the accounts and tax rates bill lines can use."""
        return await self._options_page(company_id, connection_id, continuation_token, status_query)


class AsyncBillPayments(_AsyncWithMappingOptions[PaymentMappingOptions]):
    """`client.bill_payments` of an `AsyncCodatClient`: the same methods as `BillPayments`, awaited."""

    _options = PAYMENT_OPTIONS

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
        operation = ops.create_bill_payment(company_id, connection_id, bill_id, payment, idempotency_key)
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
        return await self._options_page(company_id, connection_id, continuation_token, status_query)


class AsyncBankAccounts(_AsyncResource):
    """`client.bank_accounts` of an `AsyncCodatClient`: the same methods as `BankAccounts`, awaited."""

    async def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        bank_account: BankAccountPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> BankAccount:
        """Create a bank or card account (201)."""
        operation = ops.create_bank_account(company_id, connection_id, bank_account, idempotency_key)
        return await self._client._request(operation)

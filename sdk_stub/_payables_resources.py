"""The Bill Pay resource groups (`client.suppliers`, `.bills`, `.bill_payments`, `.bank_accounts`,
`.company_information`), sync; `_payables_async_resources` holds their async twins.

Same shape as `_resources`: each call is described once, I/O-free, in `_payables_operations`, and the twins
only send it. The walks over token-paged listings (`iter`, `iter_mapping_options`) live once per twin, in the
small generic bases below.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
    walk_tokens,
)
from ._resources import _Sender

__all__ = ["BankAccounts", "BillPayments", "Bills", "CompanyInformationResource", "Suppliers"]

R = TypeVar("R")
Options = TypeVar("Options", BillMappingOptions, PaymentMappingOptions)


# --- the shared walks --------------------------------------------------------------------------------------


class _Resource:
    def __init__(self, client: _Sender) -> None:
        self._client = client


class _Listing(_Resource, Generic[R]):
    """`iter` over a token-paged listing of records; the subclass names the read (`_pages`) and documents `list`."""

    _pages: TokenPaged[ContinuationPage[R]]

    def _page(self, company_id: str, connection_id: str, query: str | None, token: str | None) -> ContinuationPage[R]:
        return self._client._request(self._pages.operation(company_id, connection_id, token, query))

    def iter(self, *, company_id: str, connection_id: str, query: str | None = None) -> Iterator[R]:
        """Every matching record, fetching pages lazily and following continuation tokens until none is left."""
        for page in walk_tokens(lambda token: self._page(company_id, connection_id, query, token)):
            yield from page.results


class _WithMappingOptions(_Resource, Generic[Options]):
    """`iter_mapping_options`; the subclass names the read (`_options`) and documents `get_mapping_options`."""

    _options: TokenPaged[Options]

    def _options_page(
        self, company_id: str, connection_id: str, token: str | None, status_query: str | None
    ) -> Options:
        return self._client._request(self._options.operation(company_id, connection_id, token, status_query))

    def iter_mapping_options(
        self, *, company_id: str, connection_id: str, status_query: str | None = None
    ) -> Iterator[Options]:
        """Every page of mapping options, following continuation tokens until none is left."""
        yield from walk_tokens(lambda token: self._options_page(company_id, connection_id, token, status_query))


# --- sync twins --------------------------------------------------------------------------------------------


class CompanyInformationResource(_Resource):
    """`client.company_information`: the ledger's company name and base currency.

    ```python
    info = client.company_information.get(company_id=company.id, connection_id=connection.id)
    print(info.company_name, info.base_currency)
    ```
    """

    def get(self, *, company_id: str, connection_id: str) -> CompanyInformation:
        """Fetch the company information of a linked connection (`GET …/payables/info`)."""
        return self._client._request(ops.get_company_information(company_id, connection_id))


class Suppliers(_Listing[Supplier]):
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

    _pages = SUPPLIERS

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
        return self._page(company_id, connection_id, query, continuation_token)

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
        return self._client._request(ops.create_supplier(company_id, connection_id, supplier, idempotency_key))

    def update(
        self,
        *,
        company_id: str,
        connection_id: str,
        supplier_id: str,
        supplier: SupplierPrototype | Mapping[str, Any],
    ) -> Supplier:
        """Replace a supplier (`PUT …/payables/suppliers/{supplierId}`): fields left out are cleared."""
        return self._client._request(ops.update_supplier(company_id, connection_id, supplier_id, supplier))


class Bills(_Listing[Bill], _WithMappingOptions[BillMappingOptions]):
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

    _pages = BILLS
    _options = BILL_OPTIONS

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
        return self._page(company_id, connection_id, query, continuation_token)

    def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        bill: BillPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> Bill:
        """Create an `Open` bill (`POST …/payables/bills`, 201); the server computes the totals."""
        return self._client._request(ops.create_bill(company_id, connection_id, bill, idempotency_key))

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
        return self._client._request(ops.update_bill(company_id, connection_id, bill_id, bill, idempotency_key))

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
        operation = ops.upload_attachment(company_id, connection_id, bill_id, content, file_name, content_type)
        return self._client._request(operation)

    def list_attachments(self, *, company_id: str, connection_id: str, bill_id: str) -> Attachments:
        """The files attached to a bill (`GET …/bills/{billId}/attachments`)."""
        return self._client._request(ops.list_attachments(company_id, connection_id, bill_id))

    def download_attachment(self, *, company_id: str, connection_id: str, bill_id: str, attachment_id: str) -> bytes:
        """The bytes of one attachment (`GET …/attachments/{attachmentId}/download`)."""
        return self._client._request(ops.download_attachment(company_id, connection_id, bill_id, attachment_id))

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
        return self._options_page(company_id, connection_id, continuation_token, status_query)


class BillPayments(_WithMappingOptions[PaymentMappingOptions]):
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

    _options = PAYMENT_OPTIONS

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
        operation = ops.create_bill_payment(company_id, connection_id, bill_id, payment, idempotency_key)
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
        return self._options_page(company_id, connection_id, continuation_token, status_query)


class BankAccounts(_Resource):
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

    def create(
        self,
        *,
        company_id: str,
        connection_id: str,
        bank_account: BankAccountPrototype | Mapping[str, Any],
        idempotency_key: str | None = None,
    ) -> BankAccount:
        """Create a bank or card account (`POST …/payables/bankAccounts`, 201)."""
        operation = ops.create_bank_account(company_id, connection_id, bank_account, idempotency_key)
        return self._client._request(operation)

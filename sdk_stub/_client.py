"""`CodatClient` and `AsyncCodatClient`: the I/O twins over the shared core in `_base`."""

from __future__ import annotations

from types import TracebackType
from typing import Self, TypeVar

import httpx

from ._base import DEFAULT_BASE_URL, DEFAULT_USER_AGENT, BaseClient, Operation
from ._payables_async_resources import (
    AsyncBankAccounts,
    AsyncBillPayments,
    AsyncBills,
    AsyncCompanyInformationResource,
    AsyncSuppliers,
)
from ._payables_resources import BankAccounts, BillPayments, Bills, CompanyInformationResource, Suppliers
from ._resources import AsyncCompanies, AsyncConnections, AsyncIntegrations, Companies, Connections, Integrations
from ._retry import DEFAULT_RETRY, RetryPolicy
from ._webhooks import AsyncWebhooks, Webhooks

__all__ = ["AsyncCodatClient", "CodatClient"]

T = TypeVar("T")


class CodatClient(BaseClient):
    """A synchronous client for the Codat API (companies, connections, integrations, and Bill Pay).

    ```python
    from sdk_stub import CodatClient

    with CodatClient("my-api-key", base_url="http://localhost:8000") as codat:
        company = codat.companies.create(name="Acme Ltd")
        connection = codat.connections.create(company_id=company.id, platform_key="qhyg")
        print(connection.link_url)
    ```

    - `api_key`: the key from the Codat Portal; it is base64-encoded into `Authorization: Basic …`.
    - `base_url`: every request goes to `base_url` + the operation's path (the emulator is just another URL).
    - `timeout`: seconds, applied to every request (an injected client's own timeout is overridden).
    - `retry`: a `RetryPolicy`, or `None` for a single attempt.
    - `http_client`: an `httpx.Client` to send through (a `starlette.testclient.TestClient`, a client with an
      `httpx.MockTransport`, one with your proxies). The caller keeps ownership: `close()` leaves it open.
    - `user_agent`: the `User-Agent` header.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        http_client: httpx.Client | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        super().__init__(api_key, base_url=base_url, timeout=timeout, retry=retry, user_agent=user_agent)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)
        self.companies = Companies(self)
        self.connections = Connections(self)
        self.integrations = Integrations(self)
        # Bill Pay (Sync for Payables), on a linked connection.
        self.company_information = CompanyInformationResource(self)
        self.suppliers = Suppliers(self)
        self.bills = Bills(self)
        self.bill_payments = BillPayments(self)
        self.bank_accounts = BankAccounts(self)
        self.webhooks = Webhooks(self)

    def _request(self, operation: Operation[T]) -> T:
        request = self._build_request(self._http, operation)
        state = self._start_retries(request)
        while True:
            try:
                # auth=None: the Authorization header built here must win over any auth the injected client has.
                response = self._http.send(request, auth=None)
            except httpx.RequestError as exc:
                delay = state.after_error(exc)
                if delay is None:
                    raise self._transport_error(request, exc, state.attempts) from exc
            else:
                delay = state.after_response(response.status_code, response.headers.get("Retry-After"))
                if delay is None:
                    return self._result(operation, response)
                response.close()
            self._retry.sleep(delay)

    def close(self) -> None:
        """Close the HTTP client if this client created it; an injected one is left to its owner."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncCodatClient(BaseClient):
    """An asynchronous client for the Codat API; the same API as `CodatClient`, awaited.

    ```python
    from sdk_stub import AsyncCodatClient

    async with AsyncCodatClient("my-api-key", base_url="http://localhost:8000") as codat:
        company = await codat.companies.create(name="Acme Ltd")
        async for connection in codat.connections.iter(company_id=company.id):
            print(connection.status)
    ```

    `http_client` takes an `httpx.AsyncClient` (for example one over `httpx.ASGITransport(app)` to talk to an
    ASGI app in-process); it is not closed by `aclose()`. Retry waits use `RetryPolicy.async_sleep`.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        http_client: httpx.AsyncClient | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
    ) -> None:
        super().__init__(api_key, base_url=base_url, timeout=timeout, retry=retry, user_agent=user_agent)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)
        self.companies = AsyncCompanies(self)
        self.connections = AsyncConnections(self)
        self.integrations = AsyncIntegrations(self)
        self.company_information = AsyncCompanyInformationResource(self)
        self.suppliers = AsyncSuppliers(self)
        self.bills = AsyncBills(self)
        self.bill_payments = AsyncBillPayments(self)
        self.bank_accounts = AsyncBankAccounts(self)
        self.webhooks = AsyncWebhooks(self)

    async def _request(self, operation: Operation[T]) -> T:
        request = self._build_request(self._http, operation)
        state = self._start_retries(request)
        while True:
            try:
                response = await self._http.send(request, auth=None)
            except httpx.RequestError as exc:
                delay = state.after_error(exc)
                if delay is None:
                    raise self._transport_error(request, exc, state.attempts) from exc
            else:
                delay = state.after_response(response.status_code, response.headers.get("Retry-After"))
                if delay is None:
                    return self._result(operation, response)
                await response.aclose()
            await self._retry.async_sleep(delay)

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it; an injected one is left to its owner."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

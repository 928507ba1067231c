"""The resource groups (`client.companies`, `.connections`, `.integrations`) as sync and async twins.

Each public method is one line: a pure builder below describes the call as an `Operation`, and the client's
`_request` sends it. The twins differ only in `await`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Protocol, TypeVar

from ._base import Operation, async_walk_pages, no_result, paging_params, segment, walk_pages, wire_decoder
from ._models import Company, Connection, ConnectionStatus, Integration, Page

__all__ = [
    "AsyncCompanies",
    "AsyncConnections",
    "AsyncIntegrations",
    "Companies",
    "Connections",
    "Integrations",
]

T = TypeVar("T")


class _Sender(Protocol):
    def _request(self, operation: Operation[T]) -> T: ...


class _AsyncSender(Protocol):
    async def _request(self, operation: Operation[T]) -> T: ...


# --- pure builders -----------------------------------------------------------------------------------------

_read_company = wire_decoder(Company)
_read_connection = wire_decoder(Connection)
_read_integration = wire_decoder(Integration)
_read_company_page = wire_decoder(Page[Company])
_read_connection_page = wire_decoder(Page[Connection])
_read_integration_page = wire_decoder(Page[Integration])


def _company_path(company_id: str) -> str:
    return f"/companies/{segment(company_id, 'company_id')}"


def _connection_path(company_id: str, connection_id: str) -> str:
    return f"{_company_path(company_id)}/connections/{segment(connection_id, 'connection_id')}"


def _company_body(name: str | None, description: str | None, tags: Mapping[str, str] | None) -> dict[str, object]:
    # Only the fields the caller gave: for PATCH an omitted field is kept, for PUT it is cleared, and in both
    # cases that is the server's rule to apply, not ours.
    body: dict[str, object] = {}
    if name is not None:
        body["name"] = name
    if description is not None:
        body["description"] = description
    if tags is not None:
        body["tags"] = dict(tags)
    return body


def _list_companies(
    query: str | None, order_by: str | None, tags: str | None, page: int | None, page_size: int | None
) -> Operation[Page[Company]]:
    params = paging_params(page=page, page_size=page_size, query=query, order_by=order_by, tags=tags)
    return Operation("list-companies", "GET", "/companies", _read_company_page, params)


def _list_connections(
    company_id: str, query: str | None, order_by: str | None, page: int | None, page_size: int | None
) -> Operation[Page[Connection]]:
    params = paging_params(page=page, page_size=page_size, query=query, order_by=order_by)
    path = f"{_company_path(company_id)}/connections"
    return Operation("list-connections", "GET", path, _read_connection_page, params)


def _list_integrations(
    query: str | None, order_by: str | None, page: int | None, page_size: int | None
) -> Operation[Page[Integration]]:
    params = paging_params(page=page, page_size=page_size, query=query, order_by=order_by)
    return Operation("list-integrations", "GET", "/integrations", _read_integration_page, params)


def _create_company(name: str, description: str | None, tags: Mapping[str, str] | None) -> Operation[Company]:
    body = _company_body(name, description, tags)
    return Operation("create-company", "POST", "/companies", _read_company, body=body)


def _get_company(company_id: str) -> Operation[Company]:
    return Operation("get-company", "GET", _company_path(company_id), _read_company)


def _update_company(
    company_id: str, name: str | None, description: str | None, tags: Mapping[str, str] | None
) -> Operation[Company]:
    body = _company_body(name, description, tags)
    return Operation("update-company", "PATCH", _company_path(company_id), _read_company, body=body)


def _replace_company(
    company_id: str, name: str, description: str | None, tags: Mapping[str, str] | None
) -> Operation[Company]:
    body = _company_body(name, description, tags)
    return Operation("replace-company", "PUT", _company_path(company_id), _read_company, body=body)


def _delete_company(company_id: str) -> Operation[None]:
    return no_result("delete-company", "DELETE", _company_path(company_id))


def _create_connection(company_id: str, platform_key: str) -> Operation[Connection]:
    path = f"{_company_path(company_id)}/connections"
    body = {"platformKey": platform_key}
    return Operation("create-connection", "POST", path, _read_connection, body=body)


def _get_connection(company_id: str, connection_id: str) -> Operation[Connection]:
    path = _connection_path(company_id, connection_id)
    return Operation("get-connection", "GET", path, _read_connection)


def _unlink_connection(company_id: str, connection_id: str) -> Operation[Connection]:
    path = _connection_path(company_id, connection_id)
    body = {"status": ConnectionStatus.UNLINKED.value}
    return Operation("unlink-connection", "PATCH", path, _read_connection, body=body)


def _delete_connection(company_id: str, connection_id: str) -> Operation[None]:
    return no_result("delete-connection", "DELETE", _connection_path(company_id, connection_id))


def _update_authorization(
    company_id: str, connection_id: str, authorization: Mapping[str, str] | None
) -> Operation[Connection]:
    path = f"{_connection_path(company_id, connection_id)}/authorization"
    # Codat marks the body optional: without credentials the request goes without one.
    body = None if authorization is None else dict(authorization)
    return Operation("update-connection-authorization", "PUT", path, _read_connection, body=body)


def _get_integration(platform_key: str) -> Operation[Integration]:
    path = f"/integrations/{segment(platform_key, 'platform_key')}"
    return Operation("get-integration", "GET", path, _read_integration)


# --- sync twins --------------------------------------------------------------------------------------------


class Companies:
    """`client.companies`: create, read, list, update, replace and delete companies.

    ```python
    company = client.companies.create(name="Acme Ltd", description="customer 42", tags={"region": "uk"})
    company = client.companies.update(company.id, tags={"region": "us"})  # PATCH: only tags change
    for each in client.companies.iter(query="name~Acme", page_size=200):
        print(each.id, each.name)
    client.companies.delete(company.id)
    ```
    """

    def __init__(self, client: _Sender) -> None:
        self._client = client

    def create(self, name: str, *, description: str | None = None, tags: Mapping[str, str] | None = None) -> Company:
        """Create a company (`POST /companies`). Only the arguments given are sent."""
        return self._client._request(_create_company(name, description, tags))

    def get(self, company_id: str) -> Company:
        """Fetch one company (`GET /companies/{companyId}`); `NotFoundError` if it does not exist."""
        return self._client._request(_get_company(company_id))

    def list(
        self,
        *,
        query: str | None = None,
        order_by: str | None = None,
        tags: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
    ) -> Page[Company]:
        """Fetch one page of companies (`GET /companies`).

        `query` is Codat's query language (`name~Acme && dataConnections.status=Linked`), `order_by` a field
        name with an optional leading `-`, `tags` a tag filter (`region=uk && team=lending`). Parameters left
        `None` are not sent, so the server's defaults (page 1, 100 per page) apply.
        """
        return self._client._request(_list_companies(query, order_by, tags, page, page_size))

    def iter(
        self,
        *,
        query: str | None = None,
        order_by: str | None = None,
        tags: str | None = None,
        page_size: int | None = None,
    ) -> Iterator[Company]:
        """Every matching company, fetching pages lazily from page 1 while the server reports a next page."""
        yield from walk_pages(
            lambda number: self.list(query=query, order_by=order_by, tags=tags, page=number, page_size=page_size)
        )

    def update(
        self,
        company_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> Company:
        """Change some fields (`PATCH /companies/{companyId}`): only those given are sent; the rest are kept.

        A given `tags` replaces the whole map.
        """
        return self._client._request(_update_company(company_id, name, description, tags))

    def replace(
        self,
        company_id: str,
        *,
        name: str,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> Company:
        """Replace name, description and tags (`PUT /companies/{companyId}`); omitted ones are cleared."""
        return self._client._request(_replace_company(company_id, name, description, tags))

    def delete(self, company_id: str) -> None:
        """Delete a company and its connections (`DELETE /companies/{companyId}`). Irreversible."""
        self._client._request(_delete_company(company_id))


class Connections:
    """`client.connections`: a company's data connections.

    ```python
    connection = client.connections.create(company_id=company.id, platform_key="qhyg")
    print(connection.status, connection.link_url)  # PendingAuth, where the user authorizes
    connection = client.connections.unlink(company_id=company.id, connection_id=connection.id)
    ```
    """

    def __init__(self, client: _Sender) -> None:
        self._client = client

    def create(self, *, company_id: str, platform_key: str) -> Connection:
        """Create a `PendingAuth` connection to the platform `platform_key` (for example `"qhyg"`)."""
        return self._client._request(_create_connection(company_id, platform_key))

    def get(self, *, company_id: str, connection_id: str) -> Connection:
        """Fetch one connection; `NotFoundError` if it (or the company) does not exist."""
        return self._client._request(_get_connection(company_id, connection_id))

    def list(
        self,
        *,
        company_id: str,
        query: str | None = None,
        order_by: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
    ) -> Page[Connection]:
        """Fetch one page of the company's connections. Parameters left `None` are not sent."""
        return self._client._request(_list_connections(company_id, query, order_by, page, page_size))

    def iter(
        self,
        *,
        company_id: str,
        query: str | None = None,
        order_by: str | None = None,
        page_size: int | None = None,
    ) -> Iterator[Connection]:
        """Every matching connection of the company, fetching pages lazily."""
        yield from walk_pages(
            lambda number: self.list(
                company_id=company_id, query=query, order_by=order_by, page=number, page_size=page_size
            )
        )

    def unlink(self, *, company_id: str, connection_id: str) -> Connection:
        """Unlink a `Linked` connection (`PATCH` with `{"status": "Unlinked"}`); its data stays readable."""
        return self._client._request(_unlink_connection(company_id, connection_id))

    def delete(self, *, company_id: str, connection_id: str) -> None:
        """Revoke and remove a connection. Irreversible."""
        self._client._request(_delete_connection(company_id, connection_id))

    def update_authorization(
        self, *, company_id: str, connection_id: str, authorization: Mapping[str, str] | None = None
    ) -> Connection:
        """Hand Codat the platform credentials for a connection (`PUT .../authorization`), e.g. when migrating
        tokens. The keys depend on the platform; without `authorization` no body is sent."""
        return self._client._request(_update_authorization(company_id, connection_id, authorization))


class Integrations:
    """`client.integrations`: the platforms Codat can connect to.

    ```python
    accounting = [i.key for i in client.integrations.iter(query="sourceType=Accounting&&enabled=true")]
    ```
    """

    def __init__(self, client: _Sender) -> None:
        self._client = client

    def list(
        self,
        *,
        query: str | None = None,
        order_by: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
    ) -> Page[Integration]:
        """Fetch one page of integrations. Parameters left `None` are not sent."""
        return self._client._request(_list_integrations(query, order_by, page, page_size))

    def iter(
        self, *, query: str | None = None, order_by: str | None = None, page_size: int | None = None
    ) -> Iterator[Integration]:
        """Every matching integration, fetching pages lazily."""
        yield from walk_pages(
            lambda number: self.list(query=query, order_by=order_by, page=number, page_size=page_size)
        )

    def get(self, platform_key: str) -> Integration:
        """Fetch one integration by its four-letter key; `NotFoundError` for an unknown key."""
        return self._client._request(_get_integration(platform_key))


# --- async twins -------------------------------------------------------------------------------------------


class AsyncCompanies:
    """`client.companies` of an `AsyncCodatClient`: the same methods as `Companies`, awaited.

    ```python
    company = await client.companies.create(name="Acme Ltd")
    async for each in client.companies.iter(page_size=200):
        print(each.name)
    ```
    """

    def __init__(self, client: _AsyncSender) -> None:
        self._client = client

    async def create(
        self, name: str, *, description: str | None = None, tags: Mapping[str, str] | None = None
    ) -> Company:
        """Create a company (`POST /companies`). Only the arguments given are sent."""
        return await self._client._request(_create_company(name, description, tags))

    async def get(self, company_id: str) -> Company:
        """Fetch one company (`GET /companies/{companyId}`); `NotFoundError` if it does not exist."""
        return await self._client._request(_get_company(company_id))

    async def list(
        self,
        *,
        query: str | None = None,
        order_by: str | None = None,
        tags: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
    ) -> Page[Company]:
        """Fetch one page of companies (`GET /companies`); see `Companies.list`."""
        return await self._client._request(_list_companies(query, order_by, tags, page, page_size))

    async def iter(
        self,
        *,
        query: str | None = None,
        order_by: str | None = None,
        tags: str | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[Company]:
        """Every matching company, fetching pages lazily from page 1 while the server reports a next page."""
        async for company in async_walk_pages(
            lambda number: self.list(query=query, order_by=order_by, tags=tags, page=number, page_size=page_size)
        ):
            yield company

    async def update(
        self,
        company_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> Company:
        """Change some fields (`PATCH`): only those given are sent; the rest are kept."""
        return await self._client._request(_update_company(company_id, name, description, tags))

    async def replace(
        self,
        company_id: str,
        *,
        name: str,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> Company:
        """Replace name, description and tags (`PUT`); omitted ones are cleared."""
        return await self._client._request(_replace_company(company_id, name, description, tags))

    async def delete(self, company_id: str) -> None:
        """Delete a company and its connections. Irreversible."""
        await self._client._request(_delete_company(company_id))


class AsyncConnections:
    """`client.connections` of an `AsyncCodatClient`: the same methods as `Connections`, awaited."""

    def __init__(self, client: _AsyncSender) -> None:
        self._client = client

    async def create(self, *, company_id: str, platform_key: str) -> Connection:
        """Create a `PendingAuth` connection to the platform `platform_key`."""
        return await self._client._request(_create_connection(company_id, platform_key))

    async def get(self, *, company_id: str, connection_id: str) -> Connection:
        """Fetch one connection."""
        return await self._client._request(_get_connection(company_id, connection_id))

    async def list(
        self,
        *,
        company_id: str,
        query: str | None = None,
        order_by: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
    ) -> Page[Connection]:
        """Fetch one page of the company's connections."""
        return await self._client._request(_list_connections(company_id, query, order_by, page, page_size))

    async def iter(
        self,
        *,
        company_id: str,
        query: str | None = None,
        order_by: str | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[Connection]:
        """Every matching connection of the company, fetching pages lazily."""
        async for connection in async_walk_pages(
            lambda number: self.list(
                company_id=company_id, query=query, order_by=order_by, page=number, page_size=page_size
            )
        ):
            yield connection

    async def unlink(self, *, company_id: str, connection_id: str) -> Connection:
        """Unlink a `Linked` connection."""
        return await self._client._request(_unlink_connection(company_id, connection_id))

    async def delete(self, *, company_id: str, connection_id: str) -> None:
        """Revoke and remove a connection. Irreversible."""
        await self._client._request(_delete_connection(company_id, connection_id))

    async def update_authorization(
        self, *, company_id: str, connection_id: str, authorization: Mapping[str, str] | None = None
    ) -> Connection:
        """Hand Codat the platform credentials for a connection (`PUT .../authorization`)."""
        return await self._client._request(_update_authorization(company_id, connection_id, authorization))


class AsyncIntegrations:
    """`client.integrations` of an `AsyncCodatClient`: the same methods as `Integrations`, awaited."""

    def __init__(self, client: _AsyncSender) -> None:
        self._client = client

    async def list(
        self,
        *,
        query: str | None = None,
        order_by: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
    ) -> Page[Integration]:
        """Fetch one page of integrations."""
        return await self._client._request(_list_integrations(query, order_by, page, page_size))

    async def iter(
        self, *, query: str | None = None, order_by: str | None = None, page_size: int | None = None
    ) -> AsyncIterator[Integration]:
        """Every matching integration, fetching pages lazily."""
        async for integration in async_walk_pages(
            lambda number: self.list(query=query, order_by=order_by, page=number, page_size=page_size)
        ):
            yield integration

    async def get(self, platform_key: str) -> Integration:
        """Fetch one integration by its four-letter key."""
        return await self._client._request(_get_integration(platform_key))

"""Codat's own, unmodified Python SDKs against a live emulator.

`codat-platform` 6.x and `codat-sync-for-payables` 10.x are generated from Codat's OpenAPI documents and parse
every response into their pydantic models; a response shape, header or status code the SDK does not expect
surfaces as `ResponseValidationError`, `SDKError` or a warning. Every test runs with warnings turned into
errors and with the SDK's retries off (a retry would hide a failure behind a slow test).

One emulator process serves the whole session; each test uses a fresh random API key, i.e. a fresh tenant.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import httpx
import pytest
from codat_platform.models import errors as platform_errors
from codat_platform.models import shared as platform_shared
from codat_platform.models.shared.connection import Connection as PlatformConnection
from codat_platform.models.shared.security import Security as PlatformSecurity
from codat_platform.sdk import CodatPlatform
from codat_platform.utils.retries import RetryConfig as PlatformRetryConfig
from codat_sync_for_payables.models import errors as payables_errors
from codat_sync_for_payables.models import shared as payables_shared
from codat_sync_for_payables.models.shared.connection import Connection as PayablesConnection
from codat_sync_for_payables.models.shared.security import Security as PayablesSecurity
from codat_sync_for_payables.sdk import CodatSyncPayables
from codat_sync_for_payables.utils.retries import RetryConfig as PayablesRetryConfig
from pydantic import BaseModel

from mock_server.testing import LiveServer

pytestmark = pytest.mark.filterwarnings("error")

QBO = "qhyg"
CORRELATION_ID = re.compile(r"^[0-9a-f]{32}$")


# -- the two SDKs behind one small interface ----------------------------------------------------------------


@dataclass(frozen=True)
class Tenant:
    """A fresh API key on the live server."""

    url: str
    api_key: str

    @property
    def auth_header(self) -> str:
        return "Basic " + base64.b64encode(self.api_key.encode()).decode()

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": self.auth_header}, timeout=10)


@dataclass(frozen=True)
class Flavour:
    """What differs between the two SDKs for the operations the emulator serves."""

    name: str
    make_client: Callable[[Tenant], Any]
    errors: ModuleType
    shared: ModuleType
    unlink_request: Callable[[str, str], dict[str, Any]]
    """The request dict for unlink (the SDKs name the body field differently)."""
    authorize: Callable[[Any, Tenant, str, str], str]
    """Runs update-connection-authorization; returns the connection status the response carries."""


def _platform_client(tenant: Tenant) -> Any:
    return CodatPlatform(
        security=PlatformSecurity(auth_header=tenant.auth_header),
        server_url=tenant.url,
        retry_config=PlatformRetryConfig(strategy="none"),
        timeout_ms=10_000,
    )


def _payables_client(tenant: Tenant) -> Any:
    return CodatSyncPayables(
        security=PayablesSecurity(auth_header=tenant.auth_header),
        server_url=tenant.url,
        retry_config=PayablesRetryConfig(strategy="none"),
        timeout_ms=10_000,
    )


def _platform_authorize(sdk: Any, tenant: Tenant, company_id: str, connection_id: str) -> str:
    connection = sdk.connections.update_authorization(
        request={"company_id": company_id, "connection_id": connection_id, "request_body": {"accessToken": "x"}}
    )
    assert isinstance(connection, PlatformConnection)
    assert connection.id == connection_id
    return str(connection.status.value)


def _payables_authorize(sdk: Any, tenant: Tenant, company_id: str, connection_id: str) -> str:
    # codat-sync-for-payables has no update-connection-authorization operation: plain HTTP, then the
    # body is parsed with the SDK's own Connection model.
    assert not hasattr(sdk.connections, "update_authorization")
    with tenant.http() as http:
        response = http.put(
            f"/companies/{company_id}/connections/{connection_id}/authorization", json={"accessToken": "x"}
        )
    assert response.status_code == 200, response.text
    connection = PayablesConnection.model_validate(response.json())
    assert connection.id == connection_id
    return str(connection.status.value)


PLATFORM = Flavour(
    name="codat-platform",
    make_client=_platform_client,
    errors=platform_errors,
    shared=platform_shared,
    unlink_request=lambda company_id, connection_id: {
        "company_id": company_id,
        "connection_id": connection_id,
        "update_connection_status": {"status": "Unlinked"},
    },
    authorize=_platform_authorize,
)
PAYABLES = Flavour(
    name="codat-sync-for-payables",
    make_client=_payables_client,
    errors=payables_errors,
    shared=payables_shared,
    unlink_request=lambda company_id, connection_id: {
        "company_id": company_id,
        "connection_id": connection_id,
        "request_body": {"status": "Unlinked"},
    },
    authorize=_payables_authorize,
)


# -- fixtures -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    with LiveServer() as live:
        yield live


@pytest.fixture
def tenant(server: LiveServer) -> Tenant:
    return Tenant(url=server.url, api_key=f"sdk-test-{uuid.uuid4().hex}")


@pytest.fixture(params=[PLATFORM, PAYABLES], ids=lambda flavour: flavour.name)
def flavour(request: pytest.FixtureRequest) -> Flavour:
    result: Flavour = request.param
    return result


@pytest.fixture
def sdk(flavour: Flavour, tenant: Tenant) -> Iterator[Any]:
    with flavour.make_client(tenant) as client:
        yield client


# -- helpers ------------------------------------------------------------------------------------------------


def _wire_names(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def assert_all_fields_known(body: dict[str, Any], model: type[BaseModel], nested: dict[str, type[BaseModel]]) -> None:
    """Every property the emulator sends is one the SDK model declares (pydantic would drop unknown ones)."""
    unknown = set(body) - _wire_names(model)
    assert not unknown, f"{model.__name__}: properties the SDK does not know: {sorted(unknown)}"
    for key, item_model in nested.items():
        for item in body.get(key) or []:
            unknown = set(item) - _wire_names(item_model)
            assert not unknown, f"{item_model.__name__} in {key}: properties the SDK does not know: {sorted(unknown)}"


def assert_typed_404(error: Any, flavour: Flavour, message: str) -> None:
    assert isinstance(error, flavour.errors.ErrorMessage)
    assert error.status_code == 404
    data = error.data
    assert isinstance(data, flavour.shared.ErrorMessage)
    assert data.status_code == 404
    assert data.error == message
    assert data.correlation_id is not None and CORRELATION_ID.match(data.correlation_id)
    assert data.validation is None
    assert data.can_be_retried == "Unknown"
    assert data.detailed_error_code == 0
    assert error.headers["content-type"].startswith("application/json")


def _status(connection: Any, flavour: Flavour) -> str:
    assert isinstance(connection.status, flavour.shared.DataConnectionStatus)
    return str(connection.status.value)


# -- tests --------------------------------------------------------------------------------------------------


def test_seed_flow(flavour: Flavour, sdk: Any, tenant: Tenant) -> None:
    shared = flavour.shared

    # create company
    company = sdk.companies.create(
        request={"name": "Seed Flow Ltd", "description": "seeded by an SDK", "tags": {"region": "uk"}}
    )
    assert isinstance(company, shared.Company)
    assert uuid.UUID(company.id)
    assert company.name == "Seed Flow Ltd"
    assert company.description == "seeded by an SDK"
    assert company.tags == {"region": "uk"}
    assert company.redirect == f"{tenant.url}/link/company/{company.id}"
    assert company.created is not None and company.created.endswith("Z")
    assert company.products == []
    assert company.data_connections == []

    # create connection → PendingAuth, with a Link URL on the live server
    connection = sdk.connections.create(request={"company_id": company.id, "request_body": {"platform_key": QBO}})
    assert isinstance(connection, shared.Connection)
    assert uuid.UUID(connection.id)
    assert _status(connection, flavour) == "PendingAuth"
    assert connection.integration_key == QBO
    assert connection.platform_name == "QuickBooks Online"
    assert connection.source_type.value == "Accounting"
    assert connection.link_url.startswith(tenant.url)
    assert connection.link_url == f"{tenant.url}/link/companies/{company.id}/connections/{connection.id}/start"
    assert connection.additional_properties == {}

    # authorize → Linked
    assert flavour.authorize(sdk, tenant, company.id, connection.id) == "Linked"
    linked = sdk.connections.get(request={"company_id": company.id, "connection_id": connection.id})
    assert isinstance(linked, shared.Connection)
    assert _status(linked, flavour) == "Linked"

    # every property the emulator sends is one the SDK's models declare
    with tenant.http() as http:
        raw_company = http.get(f"/companies/{company.id}").json()
        raw_companies = http.get("/companies").json()
        raw_connections = http.get(f"/companies/{company.id}/connections").json()
    assert_all_fields_known(raw_company, shared.Company, {"dataConnections": shared.Connection})
    assert_all_fields_known(raw_companies, shared.Companies, {"results": shared.Company})
    assert_all_fields_known(raw_connections, shared.Connections, {"results": shared.Connection})
    assert_all_fields_known(raw_companies["_links"], shared.Links, {})

    # unlink → Unlinked
    unlinked = sdk.connections.unlink(request=flavour.unlink_request(company.id, connection.id))
    assert isinstance(unlinked, shared.Connection)
    assert unlinked.id == connection.id
    assert _status(unlinked, flavour) == "Unlinked"

    # list and get both resources
    companies = sdk.companies.list(request={})
    assert isinstance(companies, shared.Companies)
    assert (companies.page_number, companies.page_size, companies.total_results) == (1, 100, 1)
    assert companies.links.self_.href == "/companies"
    assert companies.links.next is None and companies.links.previous is None
    assert [c.id for c in companies.results] == [company.id]
    listed_company = companies.results[0]
    assert isinstance(listed_company, shared.Company)
    assert [c.id for c in listed_company.data_connections] == [connection.id]
    assert _status(listed_company.data_connections[0], flavour) == "Unlinked"

    fetched_company = sdk.companies.get(request={"company_id": company.id})
    assert isinstance(fetched_company, shared.Company)
    assert (fetched_company.id, fetched_company.name, fetched_company.created) == (
        company.id,
        company.name,
        company.created,
    )
    assert fetched_company.tags == {"region": "uk"}
    assert [c.id for c in fetched_company.data_connections] == [connection.id]

    connections = sdk.connections.list(request={"company_id": company.id})
    assert isinstance(connections, shared.Connections)
    assert (connections.page_number, connections.page_size, connections.total_results) == (1, 100, 1)
    assert connections.links.self_.href == f"/companies/{company.id}/connections"
    assert [c.id for c in connections.results] == [connection.id]
    assert _status(connections.results[0], flavour) == "Unlinked"

    fetched = sdk.connections.get(request={"company_id": company.id, "connection_id": connection.id})
    assert isinstance(fetched, shared.Connection)
    assert (fetched.id, fetched.created, fetched.link_url) == (connection.id, connection.created, connection.link_url)
    assert _status(fetched, flavour) == "Unlinked"

    # delete connection → gone (typed 404)
    assert sdk.connections.delete(request={"company_id": company.id, "connection_id": connection.id}) is None
    with pytest.raises(flavour.errors.ErrorMessage) as missing_connection:
        sdk.connections.get(request={"company_id": company.id, "connection_id": connection.id})
    assert_typed_404(missing_connection.value, flavour, f"Data connection {connection.id} not found")
    assert sdk.connections.list(request={"company_id": company.id}).total_results == 0

    # delete company → gone (typed 404)
    assert sdk.companies.delete(request={"company_id": company.id}) is None
    with pytest.raises(flavour.errors.ErrorMessage) as missing_company:
        sdk.companies.get(request={"company_id": company.id})
    assert_typed_404(missing_company.value, flavour, f"No company was found with ID {company.id}")
    assert sdk.companies.list(request={}).total_results == 0


def test_unknown_company_is_a_typed_404(flavour: Flavour, sdk: Any) -> None:
    unknown = str(uuid.uuid4())

    with pytest.raises(flavour.errors.ErrorMessage) as get_error:
        sdk.companies.get(request={"company_id": unknown})
    assert_typed_404(get_error.value, flavour, f"No company was found with ID {unknown}")

    with pytest.raises(flavour.errors.ErrorMessage) as list_error:
        sdk.connections.list(request={"company_id": unknown})
    assert_typed_404(list_error.value, flavour, f"No company was found with ID {unknown}")

    with pytest.raises(flavour.errors.ErrorMessage) as create_error:
        sdk.connections.create(request={"company_id": unknown, "request_body": {"platform_key": QBO}})
    assert_typed_404(create_error.value, flavour, f"No company was found with ID {unknown}")


def test_list_companies_with_query_and_tags(flavour: Flavour, sdk: Any, tenant: Tenant) -> None:
    def create(name: str, tags: dict[str, str], link: bool) -> str:
        company = sdk.companies.create(request={"name": name, "tags": tags})
        connection = sdk.connections.create(request={"company_id": company.id, "request_body": {"platform_key": QBO}})
        if link:
            assert flavour.authorize(sdk, tenant, company.id, connection.id) == "Linked"
        return str(company.id)

    uk_linked = create("UK Linked", {"region": "uk", "team": "invoice-finance"}, link=True)
    uk_pending = create("UK Pending", {"region": "uk"}, link=False)
    us_linked = create("US Linked", {"region": "us", "team": "invoice-finance"}, link=True)

    def listed(**params: str) -> list[str]:
        page = sdk.companies.list(request=params)
        assert isinstance(page, flavour.shared.Companies)
        assert page.total_results == len(page.results)
        return [company.id for company in page.results]

    assert listed() == [uk_linked, uk_pending, us_linked]
    assert listed(query="dataConnections.status=Linked") == [uk_linked, us_linked]
    assert listed(tags="region=uk") == [uk_linked, uk_pending]
    assert listed(query="dataConnections.status=Linked", tags="region=uk") == [uk_linked]
    # The SDK's own README example: `&&` and spaces, percent-encoded by the SDK.
    assert listed(tags="region=uk && team=invoice-finance") == [uk_linked]
    assert listed(tags="region!=uk") == [us_linked]
    assert listed(query="name~pending") == [uk_pending]
    assert listed(query="dataConnections.status=Linked", order_by="-name") == [us_linked, uk_linked]

"""The async client: the same behaviour as the sync one (twin test names), awaited, over `MockTransport`."""

from __future__ import annotations

import base64

import httpx
import pytest
from sdk_fake import API_KEY, BASE_URL, FakeCodat, FakeTime

from sdk_stub import (
    AsyncCodatClient,
    BadRequestError,
    CodatTransportError,
    Company,
    ConnectionStatus,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
)

pytestmark = pytest.mark.anyio


def _path(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii").split("?", 1)[0]


def _params(request: httpx.Request) -> list[tuple[str, str]]:
    return list(request.url.params.multi_items())


async def test_auth_header_is_the_base64_key_and_user_agent_is_sent(aclient: AsyncCodatClient, fake: FakeCodat) -> None:
    await aclient.companies.list()
    assert fake.last.headers["Authorization"] == "Basic " + base64.b64encode(API_KEY.encode()).decode()
    assert fake.last.headers["User-Agent"].startswith("codat-mock-sdk-stub/")


async def test_company_requests(aclient: AsyncCodatClient, fake: FakeCodat) -> None:
    company = await aclient.companies.create("Acme Ltd", description="d", tags={"k": "v"})
    assert (fake.last.method, _path(fake.last), fake.last_json()) == (
        "POST",
        "/companies",
        {"name": "Acme Ltd", "description": "d", "tags": {"k": "v"}},
    )
    assert isinstance(company, Company)

    assert await aclient.companies.get(company.id) == company
    assert (fake.last.method, _path(fake.last)) == ("GET", f"/companies/{company.id}")

    updated = await aclient.companies.update(company.id, description="new")
    assert (fake.last.method, fake.last_json()) == ("PATCH", {"description": "new"})
    assert (updated.name, updated.description) == ("Acme Ltd", "new")

    replaced = await aclient.companies.replace(company.id, name="Acme Group")
    assert (fake.last.method, fake.last_json()) == ("PUT", {"name": "Acme Group"})
    assert (replaced.description, replaced.tags) == ("", {})

    page = await aclient.companies.list(query="name~Acme", order_by="-created", tags="k=v", page=1, page_size=10)
    assert _params(fake.last) == [
        ("page", "1"),
        ("pageSize", "10"),
        ("query", "name~Acme"),
        ("orderBy", "-created"),
        ("tags", "k=v"),
    ]
    assert [c.id for c in page.results] == [company.id]

    await aclient.companies.delete(company.id)
    assert (fake.last.method, _path(fake.last)) == ("DELETE", f"/companies/{company.id}")


async def test_iter_companies_walks_every_page(aclient: AsyncCodatClient, fake: FakeCodat) -> None:
    names = [f"Company {n}" for n in range(5)]
    for name in names:
        await aclient.companies.create(name=name)
    fake.requests.clear()
    assert [c.name async for c in aclient.companies.iter(page_size=2)] == names
    assert [_params(r) for r in fake.requests] == [[("page", str(n)), ("pageSize", "2")] for n in (1, 2, 3)]


async def test_connection_lifecycle_requests(aclient: AsyncCodatClient, fake: FakeCodat) -> None:
    company = await aclient.companies.create(name="Acme Ltd")
    base = f"/companies/{company.id}/connections"
    connection = await aclient.connections.create(company_id=company.id, platform_key="gbol")
    assert (fake.last.method, _path(fake.last), fake.last_json()) == ("POST", base, {"platformKey": "gbol"})
    assert connection.status is ConnectionStatus.PENDING_AUTH

    assert await aclient.connections.get(company_id=company.id, connection_id=connection.id) == connection
    assert _path(fake.last) == f"{base}/{connection.id}"

    with pytest.raises(BadRequestError, match="PendingAuth"):
        await aclient.connections.unlink(company_id=company.id, connection_id=connection.id)

    linked = await aclient.connections.update_authorization(
        company_id=company.id, connection_id=connection.id, authorization={"token": "t"}
    )
    assert (fake.last.method, _path(fake.last), fake.last_json()) == (
        "PUT",
        f"{base}/{connection.id}/authorization",
        {"token": "t"},
    )
    assert linked.status is ConnectionStatus.LINKED

    unlinked = await aclient.connections.unlink(company_id=company.id, connection_id=connection.id)
    assert (fake.last.method, fake.last_json()) == ("PATCH", {"status": "Unlinked"})
    assert unlinked.status is ConnectionStatus.UNLINKED

    await aclient.connections.delete(company_id=company.id, connection_id=connection.id)
    assert (fake.last.method, _path(fake.last)) == ("DELETE", f"{base}/{connection.id}")


async def test_list_and_iter_connections(aclient: AsyncCodatClient, fake: FakeCodat) -> None:
    company = await aclient.companies.create(name="Acme Ltd")
    keys = ["qhyg", "gbol", "mqjo"]
    for key in keys:
        await aclient.connections.create(company_id=company.id, platform_key=key)
    page = await aclient.connections.list(company_id=company.id, query="status=PendingAuth", order_by="created")
    assert _params(fake.last) == [("query", "status=PendingAuth"), ("orderBy", "created")]
    assert page.total_results == 3
    walked = [c.integration_key async for c in aclient.connections.iter(company_id=company.id, page_size=1)]
    assert walked == keys


async def test_integrations_list_iter_get(aclient: AsyncCodatClient, fake: FakeCodat) -> None:
    page = await aclient.integrations.list(page_size=4)
    assert (_path(fake.last), _params(fake.last)) == ("/integrations", [("pageSize", "4")])
    assert page.has_next
    keys = [i.key async for i in aclient.integrations.iter(query="enabled=true", page_size=4)]
    assert keys == [i["key"] for i in fake.integrations]
    assert (await aclient.integrations.get("mqjo")).name == "Sandbox"
    with pytest.raises(NotFoundError):
        await aclient.integrations.get("zzzz")


async def test_path_segments_are_percent_encoded(aclient: AsyncCodatClient, fake: FakeCodat) -> None:
    with pytest.raises(NotFoundError):
        await aclient.companies.get("../integrations")
    assert _path(fake.last) == "/companies/..%2Fintegrations"


async def test_retries_use_the_async_sleep(fake: FakeCodat) -> None:
    sleeps: list[str] = []

    async def async_sleep(seconds: float) -> None:
        sleeps.append(f"async {seconds}")

    def sleep(seconds: float) -> None:  # must never be called by the async client
        sleeps.append(f"sync {seconds}")

    fake.enqueue(httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(503))
    policy = RetryPolicy(sleep=sleep, async_sleep=async_sleep, clock=lambda: 0.0)
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(fake)) as http,
        AsyncCodatClient(API_KEY, base_url=BASE_URL, http_client=http, retry=policy) as codat,
    ):
        page = await codat.integrations.list()
    assert sleeps == ["async 3.0", "async 1.0"]
    assert len(page.results) == len(fake.integrations)


async def test_connection_errors_are_retried_on_get_but_not_post(
    aclient: AsyncCodatClient, fake: FakeCodat, fake_time: FakeTime
) -> None:
    fake.enqueue(httpx.ConnectError("refused"))
    assert (await aclient.integrations.get("gbol")).key == "gbol"
    assert fake_time.sleeps == [0.5]
    fake.enqueue(httpx.ConnectError("refused"))
    with pytest.raises(CodatTransportError) as caught:
        await aclient.companies.create(name="Acme Ltd")
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert fake_time.sleeps == [0.5]


async def test_rate_limit_error_after_the_last_attempt(fake: FakeCodat, fake_time: FakeTime) -> None:
    fake.enqueue(*[httpx.Response(429, headers={"Retry-After": "1"}) for _ in range(3)])
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(fake)) as http,
        AsyncCodatClient(API_KEY, base_url=BASE_URL, http_client=http, retry=fake_time.policy(max_attempts=3)) as codat,
    ):
        with pytest.raises(RateLimitError) as caught:
            await codat.companies.list()
    assert caught.value.retry_after == 1.0
    assert fake_time.sleeps == [1.0, 1.0]
    assert len(fake.requests) == 3


async def test_injected_client_is_not_closed(fake: FakeCodat) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake))
    async with AsyncCodatClient(API_KEY, base_url=BASE_URL, http_client=http) as codat:
        await codat.companies.list()
    await codat.aclose()
    assert not http.is_closed
    await http.aclose()


async def test_owned_client_is_closed_by_the_context_manager() -> None:
    async with AsyncCodatClient(API_KEY) as codat:
        assert isinstance(codat, AsyncCodatClient)
        assert not codat._http.is_closed
    assert codat._http.is_closed


async def test_seed_flow(aclient: AsyncCodatClient, fake: FakeCodat) -> None:
    company = await aclient.companies.create(name="Bank of Dave")
    connection = await aclient.connections.create(company_id=company.id, platform_key="qhyg")
    fake.link(company.id, connection.id)
    unlinked = await aclient.connections.unlink(company_id=company.id, connection_id=connection.id)
    assert unlinked.status == ConnectionStatus.UNLINKED
    await aclient.companies.delete(company.id)
    assert (await aclient.companies.list()).total_results == 0


async def test_asgi_transport_can_be_injected() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def get_integration(request: Request) -> JSONResponse:
        key = request.path_params["key"]
        return JSONResponse({"key": key, "logoUrl": f"https://x/{key}.png", "name": key.upper(), "enabled": True})

    app = Starlette(routes=[Route("/integrations/{key}", get_integration)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        integration = await AsyncCodatClient(API_KEY, base_url="http://emulator", http_client=http).integrations.get(
            "gbol"
        )
    assert integration.name == "GBOL"

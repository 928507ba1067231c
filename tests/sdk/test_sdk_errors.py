"""Error statuses, error bodies and unexpected responses become the documented exception classes."""

from __future__ import annotations

import httpx
import pytest
from sdk_fake import API_KEY, BASE_URL, FakeCodat, FakeTime, error_body

import sdk_stub
from sdk_stub import (
    BadRequestError,
    CodatAPIError,
    CodatClient,
    CodatError,
    CodatResponseError,
    CodatTransportError,
    ConflictError,
    ErrorMessage,
    ForbiddenError,
    NotFoundError,
    PaymentRequiredError,
    RateLimitError,
    ServerError,
    ServiceUnavailableError,
    UnauthorizedError,
)


def _client(fake: FakeCodat) -> CodatClient:
    # No retries: these tests look at the first answer.
    return CodatClient(
        API_KEY, base_url=BASE_URL, http_client=httpx.Client(transport=httpx.MockTransport(fake)), retry=None
    )


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (402, PaymentRequiredError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServiceUnavailableError),
        (504, ServerError),
        (599, ServerError),
        (405, CodatAPIError),
        (413, CodatAPIError),
        (418, CodatAPIError),
        (422, CodatAPIError),
        (302, CodatAPIError),
        (304, CodatAPIError),
    ],
)
def test_each_status_maps_to_its_class(fake: FakeCodat, status: int, cls: type[CodatAPIError]) -> None:
    body = error_body(status, f"status {status}")
    fake.enqueue(httpx.Response(status, json=body))
    with pytest.raises(CodatAPIError) as caught:
        _client(fake).companies.get("c1")
    error = caught.value
    assert type(error) is cls
    assert isinstance(error, CodatError)
    assert error.status_code == status
    assert error.error_message == ErrorMessage.model_validate(body)
    assert error.correlation_id == body["correlationId"]
    assert error.message == f"status {status}"
    assert (error.method, error.url) == ("GET", f"{BASE_URL}/companies/c1")


def test_the_tree() -> None:
    for cls in (CodatTransportError, CodatResponseError, CodatAPIError):
        assert cls.__bases__ == (CodatError,)
    for cls in (
        BadRequestError,
        UnauthorizedError,
        PaymentRequiredError,
        ForbiddenError,
        NotFoundError,
        ConflictError,
        RateLimitError,
        ServerError,
    ):
        assert cls.__bases__ == (CodatAPIError,)
    assert ServiceUnavailableError.__bases__ == (ServerError,)
    assert CodatError.__bases__ == (Exception,)
    drawn = sdk_stub._exceptions.__doc__ or ""
    for name in [n for n in sdk_stub.__all__ if n.endswith("Error") and n not in {"DataConnectionError"}]:
        assert name in drawn, f"{name} is missing from the tree drawn in _exceptions' docstring"


def test_unauthorized_from_a_wrong_key(fake: FakeCodat) -> None:
    http = httpx.Client(transport=httpx.MockTransport(fake))
    with pytest.raises(UnauthorizedError, match="Unauthorized"):
        CodatClient("wrong-key", base_url=BASE_URL, http_client=http).companies.list()


def test_validation_errors_and_str(fake: FakeCodat) -> None:
    with pytest.raises(BadRequestError) as caught:
        _client(fake).companies.create(name="   ")
    error = caught.value
    assert [(item.item_id, item.message) for item in error.validation_errors] == [("name", "Name must not be empty.")]
    text = str(error)
    assert text.startswith(f"400 Bad Request from POST {BASE_URL}/companies: Error processing request - not valid.")
    assert "name: Name must not be empty." in text
    assert error.correlation_id is not None and error.correlation_id in text
    assert API_KEY not in text


def test_not_found_message(fake: FakeCodat) -> None:
    with pytest.raises(NotFoundError) as caught:
        _client(fake).companies.get("nope")
    assert "No company was found with ID nope" in str(caught.value)
    assert caught.value.validation_errors == []


@pytest.mark.parametrize(
    ("content", "headers", "expected"),
    [
        (b"<html><body><h1>502 Bad Gateway</h1></body></html>", {"Content-Type": "text/html"}, "<html><body><h1>502"),
        (b"upstream connect error", {"Content-Type": "text/plain"}, "upstream connect error"),
        (b"", {}, "(empty body)"),
        (b"[1, 2, 3]", {"Content-Type": "application/json"}, "[1, 2, 3]"),
        (b'{"statusCode": "not a number"}', {"Content-Type": "application/json"}, '{"statusCode": "not a number"}'),
        (b"\xff\xfe garbage", {}, "garbage"),
    ],
)
def test_non_codat_error_bodies_still_give_a_useful_message(
    fake: FakeCodat, content: bytes, headers: dict[str, str], expected: str
) -> None:
    fake.enqueue(httpx.Response(502, content=content, headers=headers))
    with pytest.raises(ServerError) as caught:
        _client(fake).integrations.list()
    error = caught.value
    assert error.error_message is None
    assert error.correlation_id is None
    assert error.validation_errors == []
    assert str(error).startswith(f"502 Bad Gateway from GET {BASE_URL}/integrations: ")
    assert expected in str(error)


def test_a_long_body_is_cut_in_the_message_but_kept_whole(fake: FakeCodat) -> None:
    body = "x" * 10_000
    fake.enqueue(httpx.Response(500, text=body))
    with pytest.raises(ServerError) as caught:
        _client(fake).integrations.list()
    assert len(str(caught.value)) < 400
    assert caught.value.body == body


def test_an_unregistered_status_code_still_reads(fake: FakeCodat) -> None:
    fake.enqueue(httpx.Response(499, text="client closed"))
    with pytest.raises(CodatAPIError) as caught:
        _client(fake).integrations.list()
    assert str(caught.value).startswith("499 from GET")


@pytest.mark.parametrize(("header", "expected"), [("7", 7.0), ("0.25", 0.25), ("soon", None), (None, None)])
def test_rate_limit_error_carries_retry_after(fake: FakeCodat, header: str | None, expected: float | None) -> None:
    headers = {"Retry-After": header} if header is not None else {}
    fake.enqueue(httpx.Response(429, json=error_body(429, "Too many"), headers=headers))
    with pytest.raises(RateLimitError) as caught:
        _client(fake).companies.list()
    assert caught.value.retry_after == expected


@pytest.mark.parametrize(
    ("content", "operation", "detail"),
    [
        (b"not json", "get-company", "Invalid JSON"),
        (b"", "get-company", "Invalid JSON"),
        (b'{"id": "c1"}', "get-company", "name: Field required"),
        (b"[]", "get-company", "Input should be an object"),
        (b'{"results": "nope"}', "list-companies", "results"),
    ],
)
def test_unexpected_success_bodies_raise_response_error(
    fake: FakeCodat, content: bytes, operation: str, detail: str
) -> None:
    fake.enqueue(httpx.Response(200, content=content))
    codat = _client(fake)
    with pytest.raises(CodatResponseError) as caught:
        if operation == "get-company":
            codat.companies.get("c1")
        else:
            codat.companies.list()
    error = caught.value
    assert error.operation == operation
    assert str(error).startswith(f"{operation}: unexpected 200 response: ")
    assert detail in str(error)
    assert error.body == content.decode()
    assert isinstance(error.__cause__, Exception)


def test_delete_ignores_whatever_success_body_comes_back(fake: FakeCodat) -> None:
    fake.enqueue(httpx.Response(200, text="ok"), httpx.Response(204))
    codat = _client(fake)
    codat.connections.delete(company_id="c", connection_id="k")
    codat.companies.delete("c")


def test_transport_errors_are_wrapped(fake: FakeCodat) -> None:
    fake.enqueue(httpx.ReadTimeout("timed out"))
    with pytest.raises(CodatTransportError) as caught:
        _client(fake).companies.get("c1")
    error = caught.value
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert (error.method, error.url) == ("GET", f"{BASE_URL}/companies/c1")
    assert "ReadTimeout" in str(error) and "timed out" in str(error)


def test_transport_error_message_counts_attempts(fake: FakeCodat) -> None:
    fake.enqueue(*[httpx.ConnectError("refused") for _ in range(2)])
    http = httpx.Client(transport=httpx.MockTransport(fake))
    codat = CodatClient(API_KEY, base_url=BASE_URL, http_client=http, retry=FakeTime().policy(max_attempts=2))
    with pytest.raises(CodatTransportError, match="after 2 attempts"):
        codat.integrations.get("gbol")

"""The I/O-free core shared by the sync and async clients: describing, building and answering requests."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Generic, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from ._exceptions import CodatAPIError, CodatResponseError, CodatTransportError, error_class_for_status
from ._models import ErrorMessage, Page
from ._retry import NO_RETRY, RetryPolicy, RetryState, parse_retry_after

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_USER_AGENT",
    "IDEMPOTENCY_KEY",
    "BaseClient",
    "Operation",
    "async_walk_pages",
    "next_page_number",
    "no_result",
    "paging_params",
    "segment",
    "walk_pages",
    "wire_decoder",
]

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)


def _package_version() -> str:
    try:
        return version("codat-mock")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


#: Codat's production API.
DEFAULT_BASE_URL = "https://api.codat.io"
#: Sent as `User-Agent` unless the caller gives another.
DEFAULT_USER_AGENT = f"codat-mock-sdk-stub/{_package_version()} python-httpx/{httpx.__version__}"
#: The header that makes a write safe to repeat: Codat replays the first response for a key it has seen.
IDEMPOTENCY_KEY = "Idempotency-Key"


def segment(value: str, name: str) -> str:
    """Percent-encode one path segment (an id or key the caller gave), refusing the empty string.

    Everything outside RFC 3986's unreserved set is encoded, `/` and `?` included, so an id can never reach
    another path or add a query. `.` and `..` are encoded too: httpx would otherwise resolve them as dot segments.
    """
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    encoded = quote(value, safe="")
    if encoded in {".", ".."}:
        encoded = encoded.replace(".", "%2E")
    return encoded


def _ignore_body(_content: bytes) -> None:
    return None


def wire_decoder(model: type[M]) -> Callable[[bytes], M]:
    """Read `model` from a response body by Codat's wire (camelCase) names only.

    The models also accept their snake_case attribute names so that callers can build them in code, but on the
    wire `last_sync` is not Codat's `lastSync`: it is an unknown field, and as such is kept in `model_extra`
    rather than filling the field (or failing validation when its value has another type).
    """

    def decode(content: bytes) -> M:
        return model.model_validate_json(content, by_alias=True, by_name=False)

    return decode


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """One API call, fully described: what to send and how to read the success body.

    `decode` turns the body of a 2xx response into the result; it raises `pydantic.ValidationError` when the
    body is not the expected shape. Operations without a result (deletes) use one that ignores the body.
    `headers` are laid over the client's own (an `Idempotency-Key`, another `Accept`). `files` makes the
    body `multipart/form-data`: part name → (file name, content, content type).
    """

    name: str
    method: str
    path: str
    decode: Callable[[bytes], T]
    params: tuple[tuple[str, str], ...] = ()
    body: Mapping[str, object] | None = None
    headers: tuple[tuple[str, str], ...] = ()
    files: Mapping[str, tuple[str, bytes, str]] | None = None


def no_result(name: str, method: str, path: str) -> Operation[None]:
    """An operation whose success body (if any) carries nothing the caller needs."""
    return Operation(name, method, path, _ignore_body)


def paging_params(
    *,
    page: int | None = None,
    page_size: int | None = None,
    query: str | None = None,
    order_by: str | None = None,
    tags: str | None = None,
) -> tuple[tuple[str, str], ...]:
    """Listing query parameters in Codat's order, only those given (the server applies its own defaults)."""
    given = (("page", page), ("pageSize", page_size), ("query", query), ("orderBy", order_by), ("tags", tags))
    return tuple((key, str(value)) for key, value in given if value is not None)


def next_page_number(page: Page[T]) -> int | None:
    """The page to fetch after `page` when walking a listing, or `None` when the walk is over.

    An empty page ends the walk even if it claims a `next` link, so a misbehaving server cannot make an
    iterator loop forever.
    """
    if page.has_next and page.results:
        return page.page_number + 1
    return None


def walk_pages(fetch: Callable[[int], Page[T]]) -> Iterator[T]:
    """Every result of a page-numbered listing, fetching pages lazily from page 1 while `next_page_number` says."""
    number: int | None = 1
    while number is not None:
        page = fetch(number)
        yield from page.results
        number = next_page_number(page)


async def async_walk_pages(fetch: Callable[[int], Awaitable[Page[T]]]) -> AsyncIterator[T]:
    """`walk_pages` for an async fetch."""
    number: int | None = 1
    while number is not None:
        page = await fetch(number)
        for result in page.results:
            yield result
        number = next_page_number(page)


class BaseClient:
    """State and logic shared by `CodatClient` and `AsyncCodatClient`; only sending and sleeping differ."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str,
        timeout: float,
        retry: RetryPolicy | None,
        user_agent: str,
    ) -> None:
        if not isinstance(api_key, str) or not api_key:
            raise ValueError("api_key must be a non-empty string")
        # Codat wants the key itself base64-encoded, not the `user:password` form httpx.BasicAuth would build.
        token = base64.b64encode(api_key.encode("utf-8")).decode("ascii")
        self._headers = {
            "Authorization": f"Basic {token}",
            "User-Agent": user_agent,
            "Accept": "application/json",
        }
        self._base_url = base_url.rstrip("/")
        self._timeout = httpx.Timeout(timeout)
        self._retry = retry if retry is not None else NO_RETRY

    @property
    def base_url(self) -> str:
        """The URL every request path is appended to."""
        return self._base_url

    def __repr__(self) -> str:
        # Never show the API key.
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    def _build_request(self, http: httpx.Client | httpx.AsyncClient, operation: Operation[T]) -> httpx.Request:
        # build_request is pure; going through the (possibly injected) client keeps its cookies and defaults.
        return http.build_request(
            operation.method,
            self._base_url + operation.path,
            params=operation.params,
            json=operation.body,
            files=operation.files,
            headers={**self._headers, **dict(operation.headers)},
            timeout=self._timeout,
        )

    def _start_retries(self, request: httpx.Request) -> RetryState:
        # A write carrying an Idempotency-Key may be sent again whatever its method: the server answers a
        # repeated key with the first response instead of acting twice.
        return self._retry.start(request.method, replay_safe=IDEMPOTENCY_KEY in request.headers)

    @staticmethod
    def _transport_error(request: httpx.Request, error: httpx.RequestError, attempts: int) -> CodatTransportError:
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        message = f"{request.method} {request.url} failed{tries}: {type(error).__name__}: {error}"
        return CodatTransportError(message, method=request.method, url=str(request.url))

    @staticmethod
    def _result(operation: Operation[T], response: httpx.Response) -> T:
        """The operation's result from a complete response, or the exception the response stands for."""
        if not response.is_success:
            raise _api_error(response)
        try:
            return operation.decode(response.content)
        except pydantic.ValidationError as exc:
            raise CodatResponseError(
                operation.name,
                _summarise(exc),
                status_code=response.status_code,
                body=response.text,
            ) from exc


def _summarise(error: pydantic.ValidationError) -> str:
    problems = error.errors(include_url=False, include_input=False)
    parts = [f"{'.'.join(str(p) for p in item['loc']) or '(body)'}: {item['msg']}" for item in problems[:3]]
    more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
    return "; ".join(parts) + more


_read_error_message = wire_decoder(ErrorMessage)


def _api_error(response: httpx.Response) -> CodatAPIError:
    error_message: ErrorMessage | None
    try:
        error_message = _read_error_message(response.content)
    except pydantic.ValidationError:
        # Not Codat's envelope (an HTML page from a proxy, plain text, an empty body): keep the raw text.
        error_message = None
    cls = error_class_for_status(response.status_code)
    return cls(
        response.status_code,
        error_message,
        response.text,
        method=response.request.method,
        url=str(response.request.url),
        retry_after=parse_retry_after(response.headers.get("Retry-After")),
    )

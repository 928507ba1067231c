"""Every exception the client raises on purpose, under one base class.

```
CodatError                            base: catch this to handle anything the client raises
├── CodatTransportError               no response arrived (connection refused, reset, timeout); wraps the httpx error
├── CodatResponseError                a success status whose body is not what the operation returns
├── WebhookVerificationError          a received webhook whose signature, timestamp or headers do not check out
└── CodatAPIError                     an error status (any status not handled below lands here directly)
    ├── BadRequestError               400
    ├── UnauthorizedError             401
    ├── PaymentRequiredError          402
    ├── ForbiddenError                403
    ├── NotFoundError                 404
    ├── ConflictError                 409
    ├── RateLimitError                429
    └── ServerError                   5xx
        └── ServiceUnavailableError   503
```

`CodatAPIError` carries the parsed Codat `ErrorMessage` when the body was one (`None` otherwise), the raw
body text, the request's method and URL and, when the server sent `Retry-After`, the delay in seconds.
"""

from __future__ import annotations

from http import HTTPStatus
from types import MappingProxyType

from ._models import ErrorMessage, ValidationItem

__all__ = [
    "BadRequestError",
    "CodatAPIError",
    "CodatError",
    "CodatResponseError",
    "CodatTransportError",
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "PaymentRequiredError",
    "RateLimitError",
    "ServerError",
    "ServiceUnavailableError",
    "UnauthorizedError",
    "WebhookVerificationError",
    "error_class_for_status",
]

# How much of an unparseable body goes into a message: enough to recognise an HTML error page or a proxy's
# text, not enough to flood a log.
_EXCERPT_CHARS = 200


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if not flat:
        return "(empty body)"
    return flat if len(flat) <= _EXCERPT_CHARS else flat[:_EXCERPT_CHARS] + "…"


def _reason(status_code: int) -> str:
    try:
        return f"{status_code} {HTTPStatus(status_code).phrase}"
    except ValueError:
        return str(status_code)


class CodatError(Exception):
    """Base class of every exception this client raises on purpose.

    ```python
    try:
        client.companies.get(company_id)
    except NotFoundError:
        ...  # the company does not exist (or belongs to another API key)
    except CodatError as exc:
        log.warning("Codat call failed: %s", exc)
    ```
    """


class CodatTransportError(CodatError):
    """No HTTP response arrived: the connection failed, was reset, or timed out.

    The original `httpx` exception is the `__cause__`. Raised after the retry policy (if any) gave up.
    """

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.method = method
        self.url = url


class WebhookVerificationError(CodatError):
    """A received webhook whose signature, timestamp or headers do not check out: do not trust its body."""


class CodatResponseError(CodatError):
    """The server answered with a success status, but the body is not what `operation` returns.

    `operation` is Codat's operation id (for example `get-company`); `detail` says what was wrong.
    """

    def __init__(self, operation: str, detail: str, *, status_code: int, body: str) -> None:
        super().__init__(f"{operation}: unexpected {status_code} response: {detail}; body: {_excerpt(body)}")
        self.operation = operation
        self.detail = detail
        self.status_code = status_code
        self.body = body


class CodatAPIError(CodatError):
    """The server answered with an error status.

    Attributes:

    - `status_code`: the HTTP status.
    - `error_message`: Codat's `ErrorMessage` parsed from the body, or `None` when the body was not one.
    - `body`: the body as text.
    - `method`, `url`: the request that failed.
    - `retry_after`: seconds from the `Retry-After` header, or `None`.

    ```python
    try:
        client.companies.create(name="")
    except BadRequestError as exc:
        for item in exc.validation_errors:
            print(item.item_id, item.message)
        print("quote this to Codat support:", exc.correlation_id)
    ```
    """

    def __init__(
        self,
        status_code: int,
        error_message: ErrorMessage | None,
        body: str,
        *,
        method: str,
        url: str,
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.error_message = error_message
        self.body = body
        self.method = method
        self.url = url
        self.retry_after = retry_after
        super().__init__(self._describe())

    @property
    def correlation_id(self) -> str | None:
        """Codat's id for this failure (quote it to Codat support), if the body had one."""
        return self.error_message.correlation_id if self.error_message else None

    @property
    def validation_errors(self) -> list[ValidationItem]:
        """The `validation.errors` items of the body: one per offending field. Empty when there are none."""
        if self.error_message is None or self.error_message.validation is None:
            return []
        return list(self.error_message.validation.errors)

    @property
    def message(self) -> str:
        """Codat's `error` text, or the start of the body when the body was not a Codat error."""
        if self.error_message is not None and self.error_message.error:
            return self.error_message.error
        return _excerpt(self.body)

    def _describe(self) -> str:
        text = f"{_reason(self.status_code)} from {self.method} {self.url}: {self.message}"
        details = [
            f"{item.item_id}: {item.message}" if item.item_id else str(item.message) for item in self.validation_errors
        ]
        if details:
            text += " (" + "; ".join(details) + ")"
        if self.correlation_id:
            text += f" [correlationId {self.correlation_id}]"
        return text


class BadRequestError(CodatAPIError):
    """400: the request was not valid (see `validation_errors`) or the query was malformed."""


class UnauthorizedError(CodatAPIError):
    """401: the API key is missing or not valid."""


class PaymentRequiredError(CodatAPIError):
    """402: the account's plan does not allow this (for example, the company limit is reached)."""


class ForbiddenError(CodatAPIError):
    """403: the API key is outdated or not associated with the resource."""


class NotFoundError(CodatAPIError):
    """404: the company, connection or integration does not exist (for this API key)."""


class ConflictError(CodatAPIError):
    """409: the request conflicts with the current state."""


class RateLimitError(CodatAPIError):
    """429: too many requests. `retry_after` is the server's suggested wait in seconds, if it sent one."""


class ServerError(CodatAPIError):
    """5xx: the server failed. Usually transient."""


class ServiceUnavailableError(ServerError):
    """503: the service is temporarily offline. `retry_after` says for how long, if the server said."""


_ERROR_CLASSES: MappingProxyType[int, type[CodatAPIError]] = MappingProxyType(
    {
        400: BadRequestError,
        401: UnauthorizedError,
        402: PaymentRequiredError,
        403: ForbiddenError,
        404: NotFoundError,
        409: ConflictError,
        429: RateLimitError,
        503: ServiceUnavailableError,
    }
)


def error_class_for_status(status_code: int) -> type[CodatAPIError]:
    """The exception class the client raises for an error status (`CodatAPIError` when none is more specific)."""
    if status_code in _ERROR_CLASSES:
        return _ERROR_CLASSES[status_code]
    if 500 <= status_code <= 599:
        return ServerError
    return CodatAPIError

"""The retry policy: which failures are retried, how long to wait, and when to give up (no I/O here)."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import anyio
import httpx

__all__ = ["DEFAULT_RETRY", "IDEMPOTENT_METHODS", "NO_RETRY", "RetryPolicy", "RetryState", "parse_retry_after"]

#: Methods whose requests may be sent twice without changing the outcome, so a request whose fate is unknown
#: after a connection error can be retried. PATCH and POST are not: a create or an unlink may have happened.
IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

# The transport failures that say nothing about the request being wrong: the network, the peer or a timeout.
# (httpx.UnsupportedProtocol, an invalid URL or a proxy misconfiguration would fail the same way every time.)
_RETRYABLE_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.NetworkError,
    httpx.TimeoutException,
    httpx.RemoteProtocolError,
)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a `Retry-After` header value, or `None` when absent or unreadable.

    Both forms of RFC 9110 are accepted: delay-seconds (`"2"`; a decimal such as `"1.5"` is tolerated) and an
    HTTP-date (`"Wed, 21 Oct 2026 07:28:00 GMT"`), which is compared with `now` (default: the current UTC time).
    A date in the past gives `0.0`.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # RFC 9110 dates are always GMT; a zone-less one is read the same way.
        when = when.replace(tzinfo=UTC)
    reference = now if now is not None else datetime.now(UTC)
    return max(0.0, (when - reference).total_seconds())


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """When and how the client retries a request.

    A response whose status is in `retry_statuses` (default 429 and 503) is retried whatever the method: the
    server refused the request before acting on it. A connection error or timeout is retried only for
    idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE), since a POST or PATCH may already have taken effect,
    and for writes that carry an `Idempotency-Key` (the server replays the first answer to a repeated key).

    The wait before retry *n* (1-based) is the server's `Retry-After` when it sent one, otherwise
    `backoff_base * backoff_factor ** (n - 1)`; either way at most `max_backoff` seconds. The client gives up
    (raising the last error) after `max_attempts` attempts in all, or when the next wait would end more than
    `max_total` seconds after the first attempt started.

    `sleep`, `async_sleep` and `clock` exist so tests can run retries without waiting:

    ```python
    waits: list[float] = []
    policy = RetryPolicy(max_attempts=3, sleep=waits.append)
    client = CodatClient("key", retry=policy)
    ```

    Pass `retry=None` to the client to disable retries.
    """

    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_factor: float = 2.0
    max_backoff: float = 10.0
    max_total: float = 60.0
    retry_statuses: frozenset[int] = frozenset({429, 503})
    retry_connection_errors: bool = True
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    async_sleep: Callable[[float], Awaitable[None]] = field(default=anyio.sleep, repr=False, compare=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if min(self.backoff_base, self.max_backoff, self.max_total) < 0:
            raise ValueError("backoff_base, max_backoff and max_total must not be negative")
        if self.backoff_factor < 1:
            raise ValueError("backoff_factor must be at least 1")
        # Accept any iterable of ints (a set, a list) while keeping the policy immutable and hashable.
        object.__setattr__(self, "retry_statuses", frozenset(self.retry_statuses))

    def backoff(self, retry_number: int) -> float:
        """The wait before retry `retry_number` (1 for the first retry) when the server gave no `Retry-After`."""
        exponent = max(0, retry_number - 1)
        try:
            delay = self.backoff_base * self.backoff_factor**exponent
        except OverflowError:
            delay = math.inf
        return min(self.max_backoff, delay)

    def start(self, method: str, *, replay_safe: bool = False) -> RetryState:
        """Begin tracking the attempts of one request (the clock starts now).

        `replay_safe` marks a request that may be sent twice whatever its method (a write with an
        `Idempotency-Key`), so connection errors are retried for it as for a GET.
        """
        return RetryState(self, method, replay_safe=replay_safe)


#: The clients' default policy (frozen, so sharing one instance is safe).
DEFAULT_RETRY = RetryPolicy()
#: The policy used when a client is given `retry=None`: one attempt, never a wait.
NO_RETRY = RetryPolicy(max_attempts=1)


class RetryState:
    """The attempts of one request so far; answers "wait how long, or give up?" after each failure."""

    def __init__(self, policy: RetryPolicy, method: str, *, replay_safe: bool = False) -> None:
        self._policy = policy
        self._idempotent = replay_safe or method.upper() in IDEMPOTENT_METHODS
        self._started = policy.clock()
        self.attempts = 1

    def after_response(self, status_code: int, retry_after: str | None) -> float | None:
        """The wait before retrying a request that got `status_code`, or `None` to stop and use the response."""
        if status_code not in self._policy.retry_statuses:
            return None
        wait = parse_retry_after(retry_after)
        return self._next(min(wait, self._policy.max_backoff) if wait is not None else None)

    def after_error(self, error: httpx.RequestError) -> float | None:
        """The wait before retrying a request that failed with `error`, or `None` to give up and raise."""
        if not (self._policy.retry_connection_errors and self._idempotent and isinstance(error, _RETRYABLE_ERRORS)):
            return None
        return self._next(None)

    def _next(self, wait: float | None) -> float | None:
        if self.attempts >= self._policy.max_attempts:
            return None
        delay = wait if wait is not None else self._policy.backoff(self.attempts)
        if self._policy.clock() - self._started + delay > self._policy.max_total:
            return None
        self.attempts += 1
        return delay

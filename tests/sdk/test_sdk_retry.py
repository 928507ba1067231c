"""Retries: which failures are retried, the waits (Retry-After or backoff), and the attempt and time bounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sdk_fake import API_KEY, BASE_URL, FakeCodat, FakeTime, error_body

from sdk_stub import (
    CodatClient,
    CodatTransportError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    ServiceUnavailableError,
)
from sdk_stub._retry import parse_retry_after


def _client(fake: FakeCodat, policy: RetryPolicy | None) -> CodatClient:
    return CodatClient(
        API_KEY, base_url=BASE_URL, http_client=httpx.Client(transport=httpx.MockTransport(fake)), retry=policy
    )


def _429(retry_after: str | None = None) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return httpx.Response(429, json=error_body(429, "Too many requests"), headers=headers)


def _503() -> httpx.Response:
    return httpx.Response(503, json=error_body(503, "Offline for maintenance"))


# -- Retry-After ----------------------------------------------------------------------------------------------

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2", 2.0),
        (" 10 ", 10.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        ("Thu, 26 Nov 2026 12:00:30 GMT", 30.0),
        ("Thu, 26 Nov 2026 11:00:00 GMT", 0.0),
        ("Thursday, 26-Nov-26 12:01:00 GMT", 60.0),
        ("", None),
        ("soon", None),
        ("inf", None),
        ("nan", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected


def test_retry_after_date_defaults_to_now() -> None:
    in_a_minute = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    wait = parse_retry_after(in_a_minute)
    assert wait is not None and 55 <= wait <= 60


# -- the policy -----------------------------------------------------------------------------------------------


def test_default_policy() -> None:
    policy = RetryPolicy()
    assert (policy.max_attempts, policy.backoff_base, policy.backoff_factor) == (4, 0.5, 2.0)
    assert (policy.max_backoff, policy.max_total) == (10.0, 60.0)
    assert policy.retry_statuses == frozenset({429, 503})
    assert policy.retry_connection_errors is True
    assert [policy.backoff(n) for n in range(1, 8)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert policy.backoff(10_000) == 10.0


def test_policy_is_frozen_and_takes_any_status_collection() -> None:
    policy = RetryPolicy(retry_statuses={500, 502})  # type: ignore[arg-type]
    assert policy.retry_statuses == frozenset({500, 502})
    assert hash(policy) == hash(RetryPolicy(retry_statuses=frozenset({500, 502})))
    with pytest.raises(AttributeError):
        policy.max_attempts = 9  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs",
    [{"max_attempts": 0}, {"backoff_base": -1}, {"max_backoff": -1}, {"max_total": -1}, {"backoff_factor": 0.5}],
)
def test_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


# -- statuses -------------------------------------------------------------------------------------------------


def test_429_waits_for_retry_after_then_succeeds(fake: FakeCodat, fake_time: FakeTime) -> None:
    fake.enqueue(_429("2"))
    page = _client(fake, fake_time.policy()).integrations.list()
    assert fake_time.sleeps == [2.0]
    assert len(fake.requests) == 2
    assert page.total_results == len(fake.integrations)


def test_retry_after_is_capped_by_max_backoff(fake: FakeCodat, fake_time: FakeTime) -> None:
    far = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    fake.enqueue(_429("3600"), _429(far))
    _client(fake, fake_time.policy(max_backoff=5.0)).integrations.list()
    assert fake_time.sleeps == [5.0, 5.0]


def test_503_without_retry_after_backs_off_exponentially(fake: FakeCodat, fake_time: FakeTime) -> None:
    fake.enqueue(_503(), _503(), _503())
    _client(fake, fake_time.policy()).integrations.get("gbol")
    assert fake_time.sleeps == [0.5, 1.0, 2.0]
    assert len(fake.requests) == 4


@pytest.mark.parametrize("reply", [_429, _503])
def test_429_and_503_are_retried_for_post_too_and_resend_the_same_body(
    fake: FakeCodat, fake_time: FakeTime, reply: Callable[[], httpx.Response]
) -> None:
    fake.enqueue(reply())
    company = _client(fake, fake_time.policy()).companies.create(name="Acme Ltd", tags={"a": "b"})
    assert [r.method for r in fake.requests] == ["POST", "POST"]
    assert fake.requests[0].content == fake.requests[1].content
    assert company.tags == {"a": "b"}
    assert len(fake.companies) == 1


@pytest.mark.parametrize("status", [400, 401, 404, 409, 500, 502, 504])
def test_other_statuses_are_not_retried(fake: FakeCodat, fake_time: FakeTime, status: int) -> None:
    fake.enqueue(httpx.Response(status, json=error_body(status, "no")))
    with pytest.raises(Exception) as caught:
        _client(fake, fake_time.policy()).companies.list()
    assert getattr(caught.value, "status_code", None) == status
    assert fake_time.sleeps == []
    assert len(fake.requests) == 1


def test_retry_statuses_are_configurable(fake: FakeCodat, fake_time: FakeTime) -> None:
    fake.enqueue(httpx.Response(500), _429())
    with pytest.raises(RateLimitError):
        _client(fake, fake_time.policy(retry_statuses=frozenset({500}))).companies.list()
    assert len(fake.requests) == 2


def test_attempts_are_bounded(fake: FakeCodat, fake_time: FakeTime) -> None:
    fake.enqueue(*[_429("1") for _ in range(10)])
    with pytest.raises(RateLimitError) as caught:
        _client(fake, fake_time.policy()).companies.list()
    assert len(fake.requests) == 4
    assert fake_time.sleeps == [1.0, 1.0, 1.0]
    assert caught.value.retry_after == 1.0


def test_total_time_is_bounded(fake: FakeCodat, fake_time: FakeTime) -> None:
    fake.enqueue(*[_429("30") for _ in range(10)])
    policy = fake_time.policy(max_attempts=100, max_backoff=30.0, max_total=60.0)
    with pytest.raises(RateLimitError):
        _client(fake, policy).companies.list()
    # t=0 fails, wait 30 (ends at 30 <= 60); t=30 fails, wait 30 (ends at 60 <= 60); t=60 fails, a further
    # wait would end at 90 > 60, so the client gives up.
    assert fake_time.sleeps == [30.0, 30.0]
    assert len(fake.requests) == 3


def test_time_spent_in_requests_counts_towards_the_total(fake: FakeCodat, fake_time: FakeTime) -> None:
    def slow_503(request: httpx.Request) -> httpx.Response:
        fake_time.now += 25  # the server took 25 s to answer
        return _503()

    fake.enqueue(slow_503, slow_503, slow_503)
    with pytest.raises(ServiceUnavailableError):
        _client(fake, fake_time.policy(max_total=60.0)).companies.list()
    # t=25: wait 0.5 -> t=25.5, request -> t=50.5: wait 1.0 would end at 51.5 <= 60 -> t=51.5, request -> t=76.5.
    assert fake_time.sleeps == [0.5, 1.0]
    assert len(fake.requests) == 3


def test_retry_none_means_one_attempt(fake: FakeCodat) -> None:
    fake.enqueue(_503())
    with pytest.raises(ServerError):
        _client(fake, None).companies.list()
    assert len(fake.requests) == 1


# -- connection errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow"),
        httpx.ReadTimeout("slow"),
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("closed"),
    ],
)
def test_connection_errors_on_get_are_retried(fake: FakeCodat, fake_time: FakeTime, error: Exception) -> None:
    fake.enqueue(error)
    assert _client(fake, fake_time.policy()).integrations.get("gbol").key == "gbol"
    assert fake_time.sleeps == [0.5]


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_connection_errors_on_put_and_delete_are_retried(fake: FakeCodat, fake_time: FakeTime, method: str) -> None:
    codat = _client(fake, fake_time.policy())
    company = codat.companies.create(name="Acme Ltd")
    fake.enqueue(httpx.ConnectError("refused"))
    if method == "PUT":
        codat.companies.replace(company.id, name="Acme")
    else:
        codat.companies.delete(company.id)
    assert [r.method for r in fake.requests[-2:]] == [method, method]


def test_connection_errors_on_post_and_patch_are_not_retried(fake: FakeCodat, fake_time: FakeTime) -> None:
    codat = _client(fake, fake_time.policy())
    company = codat.companies.create(name="Acme Ltd")
    fake.enqueue(httpx.ConnectError("refused"))
    with pytest.raises(CodatTransportError) as caught:
        codat.companies.create(name="Again")
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    fake.enqueue(httpx.ReadTimeout("slow"))
    with pytest.raises(CodatTransportError):
        codat.companies.update(company.id, name="x")
    assert fake_time.sleeps == []
    assert [r.method for r in fake.requests] == ["POST", "POST", "PATCH"]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_replay_safe_write_is_retried_after_a_connection_error_like_a_get(method: str) -> None:
    # A write with an Idempotency-Key: the server replays the first answer, so sending it again is safe.
    policy = RetryPolicy(max_attempts=3, sleep=lambda _: None)
    error = httpx.ConnectError("refused")
    assert policy.start(method).after_error(error) is None
    state = policy.start(method, replay_safe=True)
    assert state.after_error(error) == 0.5
    assert state.after_error(error) == 1.0
    assert state.after_error(error) is None  # still bounded by max_attempts
    assert not RetryPolicy(retry_connection_errors=False).start(method, replay_safe=True).after_error(error)


def test_connection_error_retries_are_bounded(fake: FakeCodat, fake_time: FakeTime) -> None:
    fake.enqueue(*[httpx.ConnectError("refused") for _ in range(10)])
    with pytest.raises(CodatTransportError, match="after 4 attempts"):
        _client(fake, fake_time.policy()).companies.list()
    assert fake_time.sleeps == [0.5, 1.0, 2.0]


def test_connection_errors_can_be_left_unretried(fake: FakeCodat, fake_time: FakeTime) -> None:
    fake.enqueue(httpx.ConnectError("refused"))
    with pytest.raises(CodatTransportError):
        _client(fake, fake_time.policy(retry_connection_errors=False)).companies.list()
    assert len(fake.requests) == 1


def test_errors_that_would_repeat_are_not_retried(fake: FakeCodat, fake_time: FakeTime) -> None:
    fake.enqueue(httpx.UnsupportedProtocol("ftp?"))
    with pytest.raises(CodatTransportError):
        _client(fake, fake_time.policy()).companies.list()
    assert len(fake.requests) == 1


def test_a_mix_of_failures_shares_one_budget(fake: FakeCodat, fake_time: FakeTime) -> None:
    fake.enqueue(httpx.ConnectError("refused"), _503(), _429("3"), httpx.ReadTimeout("slow"))
    with pytest.raises(CodatTransportError, match="after 4 attempts"):
        _client(fake, fake_time.policy()).integrations.list()
    assert fake_time.sleeps == [0.5, 1.0, 3.0]


@given(
    retry_afters=st.lists(st.one_of(st.none(), st.integers(0, 100).map(str)), min_size=1, max_size=12),
    max_attempts=st.integers(1, 8),
    max_backoff=st.floats(0, 20),
    max_total=st.floats(0, 100),
)
def test_bounds_hold_for_any_sequence_of_429s(
    retry_afters: list[str | None], max_attempts: int, max_backoff: float, max_total: float
) -> None:
    fake, time = FakeCodat(), FakeTime()
    fake.enqueue(*[_429(value) for value in retry_afters])
    policy = time.policy(max_attempts=max_attempts, max_backoff=max_backoff, max_total=max_total)
    try:
        _client(fake, policy).integrations.list()
    except RateLimitError:
        succeeded = False
    else:
        succeeded = True
    assert len(fake.requests) <= max_attempts
    assert len(time.sleeps) == len(fake.requests) - 1
    assert all(0 <= wait <= max_backoff for wait in time.sleeps)
    assert time.now <= max_total
    if succeeded:
        assert len(fake.requests) == len(retry_afters) + 1

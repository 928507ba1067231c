"""The pure webhook core: signatures, the retry schedule, consumer matching and the delivery book's rules."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks import Webhook

from mock_server.domain.webhooks.consumers import Consumer, ConsumerBook, ConsumerCreate, TooManyConsumers
from mock_server.domain.webhooks.deliveries import Attempt, Delivery, DeliveryBook, DeliveryFilter, DeliveryState
from mock_server.domain.webhooks.schedule import MAX_ATTEMPTS, RETRY_DELAYS, delay_before
from mock_server.domain.webhooks.signing import make_secret, secret_key, sign

AT = datetime(2026, 1, 1, tzinfo=UTC)

# --- signing ----------------------------------------------------------------------------------------------


def test_signature_matches_the_published_standard_webhooks_example() -> None:
    # The example vector of the Standard Webhooks / Svix documentation that Codat's docs reuse.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


json_bodies = st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=10), max_size=4)


@given(key=st.binary(min_size=1, max_size=64), data=json_bodies, msg=st.uuids())
def test_an_independent_implementation_verifies_every_signature(key: bytes, data: object, msg: object) -> None:
    # standardwebhooks parses the body as JSON after checking it, so the bodies are JSON (as ours are).
    body = json.dumps(data, ensure_ascii=False).encode()
    secret = make_secret(key)
    timestamp = int(datetime.now(UTC).timestamp())
    headers = {
        "webhook-id": str(msg),
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, str(msg), timestamp, body),
    }
    Webhook(secret).verify(body, headers)  # raises on a bad signature


def test_secrets_are_whsec_and_base64_and_bad_ones_are_refused() -> None:
    assert secret_key(make_secret(b"\x01\x02")) == b"\x01\x02"
    assert secret_key(base64.b64encode(b"raw").decode()) == b"raw"  # the prefix is optional on input
    for bad in ("whsec_", "whsec_***", "whsec_QQ"):
        with pytest.raises(ValueError, match="whsec_|empty"):
            secret_key(bad)


# --- schedule ---------------------------------------------------------------------------------------------


def test_retry_schedule_is_codats_scaled() -> None:
    assert RETRY_DELAYS == (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
    assert [delay_before(n, 1) for n in range(MAX_ATTEMPTS)] == list(RETRY_DELAYS)
    assert delay_before(2, 0.001) == pytest.approx(0.3)
    assert delay_before(MAX_ATTEMPTS, 1) is None


# --- consumers --------------------------------------------------------------------------------------------


def consumer(**kw: object) -> Consumer:
    fields: dict[str, object] = {
        "id": "c",
        "url": "http://x",
        "event_types": (),
        "company_tags": None,
        "disabled": False,
        "secret": make_secret(b"k"),
    }
    fields.update(kw)
    return Consumer(**fields)  # type: ignore[arg-type]


tag_text = st.text(st.characters(blacklist_characters=":\n"), min_size=1, max_size=5)


@given(
    wanted=st.lists(st.tuples(tag_text, tag_text), max_size=4),
    tags=st.dictionaries(tag_text, tag_text, max_size=4),
)
def test_company_tags_match_when_any_one_is_carried(wanted: list[tuple[str, str]], tags: dict[str, str]) -> None:
    c = consumer(company_tags=tuple(f"{k}:{v}" for k, v in wanted) or None)
    expected = not wanted or any(tags.get(k) == v for k, v in wanted)
    assert c.wants("company.created", tags) is expected


def test_event_types_disabled_and_case_sensitivity() -> None:
    assert consumer().wants("connection.connected", {})  # no event types: every event
    only = consumer(event_types=("connection.connected",))
    assert only.wants("connection.connected", {}) and not only.wants("company.created", {})
    assert not consumer(disabled=True).wants("company.created", {})
    assert not consumer(company_tags=("region:UK",)).wants("company.created", {"region": "uk"})


def test_at_most_fifty_consumers_per_tenant() -> None:
    book = ConsumerBook()
    body = ConsumerCreate(url="http://x")
    for i in range(50):
        book.add("t", body, consumer_id=f"{i:08d}-0000-4000-8000-000000000000", secret="whsec_QQ==")
    with pytest.raises(TooManyConsumers):
        book.add("t", body, consumer_id="ffffffff-0000-4000-8000-000000000000", secret="whsec_QQ==")
    book.add("other", body, consumer_id="eeeeeeee-0000-4000-8000-000000000000", secret="whsec_QQ==")
    assert len(book.of("t")) == 50 and len(book.of("other")) == 1


# --- the delivery book ------------------------------------------------------------------------------------


def delivery(n: int, consumer_id: str = "c", tenant: str = "t") -> Delivery:
    return Delivery(
        id=f"d{n}",
        tenant=tenant,
        consumer_id=consumer_id,
        url="http://x",
        secret="whsec_QQ==",
        event_id=f"e{n}",
        event_type="company.created",
        company_id="co",
        connection_id=None,
        body=b"{}",
        created=AT,
    )


def attempt(status: int | None) -> Attempt:
    return Attempt(at=AT, status_code=status, error=None if status == 200 else "x", duration_ms=1.0)


def test_one_lane_is_first_in_first_out_and_a_failing_head_holds_the_rest() -> None:
    book = DeliveryBook(capacity=10, history=10)
    first, second = delivery(1), delivery(2)
    book.add(first, 0.0, AT)
    book.add(second, 0.0, AT)
    assert book.take_due(0.0) == [first]  # one in flight per consumer
    assert book.take_due(0.0) == []
    book.record(first, attempt(500), success=False, now=1.0, scale=1.0)
    assert first.state is DeliveryState.PENDING and book.next_due() == pytest.approx(6.0)
    assert book.take_due(5.9) == []  # the retry is not due, and it holds the second delivery back
    assert book.take_due(6.0) == [first]
    book.record(first, attempt(200), success=True, now=6.0, scale=1.0)
    assert book.take_due(6.0) == [second]
    assert [a.status_code for a in first.attempts] == [500, 200]


def test_other_consumers_are_not_held_up() -> None:
    book = DeliveryBook(capacity=10, history=10)
    a, b = delivery(1, "a"), delivery(2, "b")
    book.add(a, 0.0, AT)
    book.add(b, 0.0, AT)
    assert set(map(id, book.take_due(0.0))) == {id(a), id(b)}


def test_a_delivery_fails_for_good_after_the_whole_schedule() -> None:
    book = DeliveryBook(capacity=10, history=10)
    d = delivery(1)
    book.add(d, 0.0, AT)
    now = 0.0
    for _ in range(MAX_ATTEMPTS):
        assert book.take_due(now) == [d]
        book.record(d, attempt(503), success=False, now=now, scale=0.001)
        now += 100
    assert d.state is DeliveryState.FAILED and len(d.attempts) == MAX_ATTEMPTS
    assert book.waiting("t") == 0 and book.next_due() is None


def test_a_full_queue_drops_the_oldest_waiting_delivery_and_counts_it() -> None:
    book = DeliveryBook(capacity=2, history=10)
    ds = [delivery(n, consumer_id=f"c{n}") for n in range(3)]
    book.add(ds[0], 0.0, AT)
    book.add(ds[1], 0.0, AT)
    dropped = book.add(ds[2], 0.0, AT)
    assert dropped == [ds[0]] and ds[0].state is DeliveryState.DROPPED
    assert book.dropped("t") == 1 and book.waiting("t") == 2
    assert book.deliveries("t", DeliveryFilter(state=DeliveryState.DROPPED)) == [ds[0]]


def test_in_flight_deliveries_are_not_dropped() -> None:
    book = DeliveryBook(capacity=1, history=10)
    first, second = delivery(1, "a"), delivery(2, "b")
    book.add(first, 0.0, AT)
    book.take_due(0.0)
    assert book.add(second, 0.0, AT) == []  # the bound yields rather than losing an attempt in flight
    assert first.state is DeliveryState.PENDING


def test_cancel_pause_and_tenant_scoping() -> None:
    book = DeliveryBook(capacity=10, history=10)
    mine, theirs = delivery(1), delivery(2, tenant="other")
    book.add(mine, 0.0, AT)
    book.add(theirs, 0.0, AT)
    book.pause("t")
    assert book.take_due(0.0) == [theirs]
    assert book.cancel_consumer("t", "c") == 1 and mine.state is DeliveryState.CANCELLED
    assert book.get("other", "d1") is None and book.get("t", "d1") is mine
    book.reset("t")
    assert book.get("t", "d1") is None and not book.paused("t")

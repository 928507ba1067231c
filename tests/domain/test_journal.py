"""The request journal: a bounded ring buffer with filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mock_server.domain.journal import Journal, JournalEntry, JournalFilter, cut

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def entry(journal: Journal, **fields: object) -> JournalEntry:
    values: dict[str, object] = {
        "seq": journal.next_seq(),
        "at": T0,
        "method": "GET",
        "path": "/companies",
        "query": "",
        "status": 200,
        "tenant": "aaaa",
        "operation_id": "list-companies",
        "duration_ms": 1.0,
        "request_body": "",
        "request_body_truncated": False,
        "response_body": "{}",
        "response_body_truncated": False,
    }
    values.update(fields)
    made = JournalEntry(**values)  # type: ignore[arg-type]
    journal.record(made)
    return made


def test_the_oldest_entries_make_room() -> None:
    journal = Journal(3)
    made = [entry(journal) for _ in range(5)]
    assert journal.entries(JournalFilter()) == made[2:]
    assert journal.dropped == 2
    assert [e.seq for e in made] == [1, 2, 3, 4, 5]


def test_capacity_zero_keeps_nothing() -> None:
    journal = Journal(0)
    assert not journal.enabled
    entry(journal)
    assert journal.entries(JournalFilter()) == []
    with pytest.raises(ValueError):
        Journal(-1)


def test_filters() -> None:
    journal = Journal(100)
    a = entry(journal)
    b = entry(journal, method="POST", path="/companies/x/connections", operation_id="create-connection", status=404)
    c = entry(journal, tenant="bbbb", at=T0 + timedelta(seconds=5))
    d = entry(journal, tenant=None, operation_id=None, path="/nowhere", status=404)
    every = JournalFilter()
    assert journal.entries(every) == [a, b, c, d]
    assert journal.entries(JournalFilter(tenant="aaaa")) == [a, b]
    assert journal.entries(JournalFilter(method="post")) == [b]
    assert journal.entries(JournalFilter(path="/companies")) == [a, c]
    assert journal.entries(JournalFilter(path_prefix="/companies/")) == [b]
    assert journal.entries(JournalFilter(operation_id="create-connection")) == [b]
    assert journal.entries(JournalFilter(status=404)) == [b, d]
    assert journal.entries(JournalFilter(since=T0 + timedelta(seconds=5))) == [c]
    assert journal.entries(JournalFilter(tenant="aaaa", status=200)) == [a]


def test_clear_one_tenant_or_all() -> None:
    journal = Journal(10)
    entry(journal)
    kept = entry(journal, tenant="bbbb")
    assert journal.clear("aaaa") == 1
    assert journal.entries(JournalFilter()) == [kept]
    assert journal.clear() == 1
    assert journal.entries(JournalFilter()) == []
    entry(journal)
    journal.reset()
    assert journal.next_seq() == 1 and journal.dropped == 0


def test_bodies_are_cut_to_the_limit() -> None:
    assert cut(b"hello", 10) == ("hello", False)
    assert cut(b"hello", 3) == ("hel", True)
    assert cut("é".encode() * 3, 3) == ("é\ufffd", True)
    assert cut(b"\xff", 10) == ("\ufffd", False)

"""Fault and latency rules: matching, counts, probability, scoping, and the answers they produce."""

from __future__ import annotations

import random
from typing import Any

import pytest

from mock_server.domain.errors import BadRequest
from mock_server.domain.faults import FaultBook, FaultRuleSpec, compile_path_pattern, default_message

OPS = {"get-company", "list-companies", "create-company"}


def spec(**fields: Any) -> FaultRuleSpec:
    return FaultRuleSpec.model_validate(fields, by_name=True)


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("/companies", "/companies", True),
        ("/companies", "/companies/x", False),
        ("/companies/*", "/companies/abc", True),
        ("/companies/{companyId}", "/companies/abc", True),
        ("/companies/*", "/companies/", False),
        ("/companies/*/connections", "/companies/a/connections", True),
        ("/companies/**", "/companies", True),
        ("/companies/**", "/companies/a/connections/b", True),
        ("/companies/**", "/companiesx", False),
        ("/**", "/anything/at/all", True),
        ("/a.b", "/aXb", False),
    ],
)
def test_path_patterns(pattern: str, path: str, matches: bool) -> None:
    assert (compile_path_pattern(pattern).fullmatch(path) is not None) is matches


@pytest.mark.parametrize("pattern", ["companies", "/compa*", "/**/x", "/{a b}", "/a{b}"])
def test_bad_path_patterns(pattern: str) -> None:
    with pytest.raises(ValueError):
        compile_path_pattern(pattern)


@pytest.mark.parametrize(
    ("fields", "item"),
    [
        ({"status": 500}, "operationId"),
        ({"operationId": "nope", "status": 500}, "operationId"),
        ({"operationId": "get-company"}, "status"),
        ({"operationId": "get-company", "delayMs": 5, "retryAfter": 1}, "retryAfter"),
        ({"operationId": "get-company", "delayMs": 5, "message": "x"}, "message"),
        ({"path": "nope", "status": 500}, "path"),
    ],
)
def test_spec_problems_name_the_field(fields: dict[str, Any], item: str) -> None:
    book = FaultBook()
    with pytest.raises(BadRequest) as raised:
        book.add(None, spec(**fields), OPS)
    assert item in [v.item_id for v in raised.value.validation]
    assert book.rules(None) == []


def test_first_matching_rule_decides_and_counts_run_out() -> None:
    book = FaultBook()
    first = book.add("t", spec(operationId="get-company", status=503, count=2), OPS)
    second = book.add(None, spec(method="get", path="/companies/*", status=500), OPS)
    decisions = [book.decide("t", "get-company", "GET", "/companies/x") for _ in range(4)]
    assert [d.rule_id if d else None for d in decisions] == [first.id, first.id, second.id, second.id]
    assert decisions[0] is not None and decisions[0].retry_after == "1"
    assert decisions[2] is not None and decisions[2].retry_after is None
    assert (first.applied, first.remaining, second.applied, second.remaining) == (2, 0, 2, None)


def test_tenant_rules_apply_only_to_their_tenant() -> None:
    book = FaultBook()
    book.add("t", spec(operationId="get-company", status=500), OPS)
    assert book.decide("other", "get-company", "GET", "/companies/x") is None
    assert book.decide(None, "get-company", "GET", "/companies/x") is None
    assert book.decide("t", "list-companies", "GET", "/companies") is None
    assert book.decide("t", "get-company", "GET", "/companies/x") is not None
    book.add(None, spec(operationId="list-companies", status=429), OPS)
    assert book.decide(None, "list-companies", "GET", "/companies") is not None
    assert book.decide("other", "list-companies", "GET", "/companies") is not None


def test_probability_follows_the_seeded_generator() -> None:
    def pattern(seed: int) -> list[bool]:
        book = FaultBook(random.Random(seed))
        book.add(None, spec(operationId="get-company", status=500, probability=0.5), OPS)
        return [book.decide(None, "get-company", "GET", "/c") is not None for _ in range(40)]

    assert pattern(7) == pattern(7)
    assert 5 < sum(pattern(7)) < 35
    assert pattern(7) != pattern(8)


def test_latency_only_rules_and_effective_answers() -> None:
    book = FaultBook()
    book.add(None, spec(path="/integrations", delayMs=250), OPS)
    decision = book.decide(None, None, "GET", "/integrations")
    assert decision is not None and (decision.status, decision.delay_ms) == (None, 250)
    book.clear(None)
    book.add(None, spec(operationId="get-company", status=429, retryAfter="Wed, 21 Oct 2026 07:28:00 GMT"), OPS)
    decision = book.decide(None, "get-company", "GET", "/c")
    assert decision is not None and decision.retry_after == "Wed, 21 Oct 2026 07:28:00 GMT"
    assert decision.message == default_message(429)


def test_default_messages() -> None:
    assert default_message(500) == "There is a problem with our server. Please try again later."
    assert default_message(418) == "I'm a Teapot"
    assert default_message(599) == "The request failed."


def test_delete_and_clear_respect_scope() -> None:
    book = FaultBook()
    mine = book.add("t", spec(operationId="get-company", status=500), OPS)
    global_rule = book.add(None, spec(operationId="get-company", status=500), OPS)
    assert not book.delete(global_rule.id, "t")
    assert not book.delete(mine.id, "other")
    assert book.rules("t") == [mine]
    assert book.delete(mine.id, "t")
    assert book.clear("t") == 0
    assert book.clear(None) == 1
    book.add(None, spec(operationId="get-company", status=500), OPS)
    book.reset()
    assert book.rules(None) == []
    assert book.add(None, spec(operationId="get-company", status=500), OPS).id == "fault-1"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": 399},
        {"status": 600},
        {"status": "500"},
        {"delayMs": -1},
        {"delayMs": 60_001},
        {"probability": 0},
        {"probability": 1.5},
        {"count": 0},
        {"retryAfter": "1\r\nSet-Cookie: x=y"},
        {"retryAfter": -1},
        {"method": "GET /"},
        {"bogus": 1},
    ],
)
def test_field_limits(fields: dict[str, Any]) -> None:
    import json

    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        FaultRuleSpec.model_validate_json(json.dumps({"operationId": "get-company", **fields}))

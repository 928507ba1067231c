"""`load_seed`: the memory-lean seed import answers exactly as the whole-document parse does."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from store_operations import operations, run
from test_snapshot import COMPANY, CONNECTION, document, second_linked

from mock_server.domain.catalogue import Catalogue
from mock_server.domain.clock import ManualClock, seeded_ids
from mock_server.domain.errors import BadRequest, CodatError
from mock_server.domain.snapshot import (
    dump_document,
    export_document,
    load_seed,
    parse_seed_document,
    seed_states,
)
from mock_server.domain.store import Store

CATALOGUE = Catalogue.default()


def exact(body: bytes) -> list[tuple[str, str]]:
    """Each tenant's state as export text, by the whole-document parse."""
    return [
        (key, dump_document(export_document(state))) for key, state in seed_states(parse_seed_document(body), CATALOGUE)
    ]


def lean(body: bytes) -> list[tuple[str, str]]:
    _, states = load_seed(body, CATALOGUE)
    return [(key, dump_document(export_document(state))) for key, state in states]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_reachable_state_loads_as_the_exact_parse_loads_it(ops: list[tuple[Any, ...]]) -> None:
    clock = ManualClock(datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC))
    store = Store(clock=clock, ids=seeded_ids(7))
    run(store, clock, ops)
    tenants = {key: json.loads(dump_document(export_document(store.export_state(key)))) for key in store.tenants()}
    body = json.dumps({"version": 1, "tenants": tenants}).encode()
    assert lean(body) == exact(body)
    assert [key for key, _ in lean(body)] == store.tenants()


def test_the_returned_document_keeps_settings_and_consumers_but_not_companies() -> None:
    tenant = {**document(), "settings": {"autoLink": {"mode": "immediate"}}}
    seed, states = load_seed(json.dumps({"version": 1, "tenants": {"a": tenant}}).encode(), CATALOGUE)
    assert seed.tenants["a"].companies == []  # validated one by one, never held as one document
    assert seed.tenants["a"].settings.auto_link.mode == "immediate"
    assert [c.id for c in states[0][1].companies] == [COMPANY]
    assert states[0][1].companies[0].connections[0].id == CONNECTION


def _broken() -> list[Any]:
    company = document()["companies"][0]
    connection = company["connections"][0]
    return [
        b"not json",
        b"[]",
        json.dumps({"version": 1}),
        json.dumps({"version": 1, "tenants": []}),
        json.dumps({"version": 1, "tenants": {"a": []}}),
        json.dumps({"version": 1, "tenants": {"a": {"companies": {}}}}),
        json.dumps({"version": 2, "tenants": {"a": document()}}),
        json.dumps({"version": 1, "tenants": {"a": {**document(), "settings": {"autoLink": {"mode": "later"}}}}}),
        json.dumps({"version": 1, "tenants": {"a": document(name="Acme (UK)")}}),
        json.dumps({"version": 1, "tenants": {"a": document(created="2026-01-01")}}),
        json.dumps({"version": 1, "tenants": {"a": document(connections=second_linked())}}),
        json.dumps({"version": 1, "tenants": {"a": document(connections=[connection, connection])}}),
        json.dumps({"version": 1, "tenants": {"a": {"companies": [company, company]}}}),
        json.dumps({"version": 1, "tenants": {"a": {"companies": [company, {**company, "name": "Other"}]}}}),
        json.dumps({"version": 1, "tenants": {"a": document(), "b": document()}}),
        # A bad company after a good tenant's rule break: the whole-document parse names the schema error.
        json.dumps({"version": 1, "tenants": {"a": document(name="()"), "b": document(bogus=1)}}),
    ]


@pytest.mark.parametrize("body", _broken())
def test_a_broken_seed_is_refused_with_the_exact_parse_s_error(body: str | bytes) -> None:
    raw = body.encode() if isinstance(body, str) else body
    with pytest.raises(CodatError) as expected:
        exact(raw)
    with pytest.raises(CodatError) as got:
        load_seed(raw, CATALOGUE)
    assert type(got.value) is type(expected.value)
    assert got.value.message == expected.value.message
    assert got.value.validation == expected.value.validation
    assert isinstance(got.value, BadRequest) or got.value.status_code == 409

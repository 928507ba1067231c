"""Random sequences of store operations: Hypothesis strategies for "any reachable state".

Importable from any test module as `from store_operations import operations, run` (tests/ is on sys.path).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from mock_server.domain.clock import ManualClock
from mock_server.domain.enums import ConnectionEvent
from mock_server.domain.errors import CodatError
from mock_server.domain.linking import LinkChoice, complete_link
from mock_server.domain.store import Store
from mock_server.domain.tenants import ImmediateLink, LinkAfterReads, LinkAfterSeconds, ManualLink, TenantSettings

__all__ = ["operations", "run"]

KEYS = ["qhyg", "gbol", "akxx", "suuo", "aiwb"]
POLICIES = [ManualLink(), ImmediateLink(), LinkAfterReads(reads=2), LinkAfterSeconds(seconds=3)]


create_company = st.tuples(
    st.just("create_company"),
    st.text(alphabet="Acme Ltd-'&@.,?!()[]é", min_size=1, max_size=12),
    st.text(max_size=8),
    st.dictionaries(st.text(min_size=1, max_size=5), st.text(max_size=5), max_size=3),
)
create_connection = st.tuples(st.just("create_connection"), st.integers(0, 9), st.sampled_from(KEYS))
# A few companies and connections first, so the random part has something to move through the lifecycle.
setup = st.tuples(st.lists(create_company, min_size=1, max_size=3), st.lists(create_connection, max_size=5))
link = st.tuples(st.just("link"), st.integers(0, 9), st.integers(0, 9), st.sampled_from(list(LinkChoice)))
event = st.tuples(st.just("event"), st.integers(0, 9), st.integers(0, 9), st.sampled_from(list(ConnectionEvent)))
settle = st.tuples(st.just("settle"), st.integers(0, 9), st.booleans())
STEPS: dict[str, st.SearchStrategy[tuple[Any, ...]]] = {
    "create_company": create_company,
    "create_connection": create_connection,
    "link": link,
    "event": event,
    "settle": settle,
    "update_company": st.tuples(
        st.just("update_company"), st.integers(0, 9), st.text(alphabet="Newname ", min_size=1, max_size=8)
    ),
    "delete_company": st.tuples(st.just("delete_company"), st.integers(0, 9)),
    "delete_connection": st.tuples(st.just("delete_connection"), st.integers(0, 9), st.integers(0, 9)),
    "advance": st.tuples(st.just("advance"), st.integers(0, 5_000_000)),
    "configure": st.tuples(st.just("configure"), st.sampled_from(POLICIES), st.booleans()),
}
# Repeated names weight the draw towards lifecycle moves (st.one_of would merge identical branches).
WEIGHTED = [*STEPS, "link", "link", "event", "event", "event", "settle", "settle", "create_connection"]
body = st.lists(st.sampled_from(WEIGHTED).flatmap(lambda name: STEPS[name]), min_size=15, max_size=60)
operations = st.tuples(setup, body).map(lambda parts: [*parts[0][0], *parts[0][1], *parts[1]])


def run(store: Store, clock: ManualClock, ops: list[tuple[Any, ...]]) -> None:
    """Apply `ops` to tenant "t" (and a neighbour), ignoring refusals: they are reachable states too."""
    for op in ops:
        companies = store.companies("t")
        company = companies[op[1] % len(companies)] if companies and isinstance(op[1], int) else None
        connection = None
        if company is not None and len(op) > 2 and isinstance(op[2], int) and company.connections:
            connection = company.connections[op[2] % len(company.connections)]
        try:
            match op[0]:
                case "create_company":
                    store.create_company("t", name=op[1], description=op[2], tags=op[3])
                    store.create_company("neighbour", name="N")
                case "update_company" if company:
                    store.update_company("t", company.id, name=op[2])
                case "delete_company" if company:
                    store.delete_company("t", company.id)
                case "create_connection" if company:
                    store.create_connection("t", company.id, op[2])
                case "delete_connection" if company and connection:
                    store.delete_connection("t", company.id, connection.id)
                case "event" if company and connection:
                    store.apply("t", company.id, connection.id, op[3])
                case "link" if company and connection:
                    complete_link(store, "t", company.id, connection.id, op[3])
                case "advance":
                    clock.advance(timedelta(microseconds=op[1]))
                case "configure":
                    redirect = "https://app.example/{companyId}?s={statusCode}" if op[2] else None
                    store.configure("t", TenantSettings(auto_link=op[1], redirect_url=redirect))
                case "settle":
                    store.settle("t", company.id if company and op[2] else None)
        except CodatError:
            pass

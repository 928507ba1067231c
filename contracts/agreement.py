"""Client ↔ implementation ↔ model: a Hypothesis state machine that demands all three agree.

It drives `sdk_stub`'s client against any Codat implementation (the emulator in-process or live, or a
deployment) and, step by step, the pure reference model in `contracts.model`. After every step the
companies and connections each tenant can read through the client must equal the model's; every refused
move must raise the typed error whose status the model predicts.

Reuse it for your own deployment::

    from contracts.agreement import agreement_machine
    from sdk_stub import CodatClient

    Machine = agreement_machine(lambda key: CodatClient(key, base_url="http://localhost:8000"))
    TestAgreement = Machine.TestCase   # collected by pytest

Each run uses fresh random API keys, so the tenants start empty on any shared server.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from typing import Any, Protocol

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, multiple, precondition, rule

from sdk_stub import BadRequestError, CodatAPIError, Company, Connection, NotFoundError

from .model import PLATFORMS, CodatModel, Combo, Cond, ModelCompany, ModelConnection, Query, Refused

ERRORS: dict[int, type[CodatAPIError]] = {400: BadRequestError, 404: NotFoundError}


class Client(Protocol):
    """What the machine needs of a client: `sdk_stub.CodatClient`, or `SyncFacade` over the async one."""

    companies: Any
    connections: Any
    # Bill Pay (`contracts.agreement_payables`)
    company_information: Any
    suppliers: Any
    bills: Any
    bill_payments: Any
    bank_accounts: Any

    def close(self) -> None: ...


ClientFactory = Callable[[str], Client]

# Names mix allowed characters with some Codat strips ("(", "[", "é"), so cleaning is exercised.
_NAME_ALPHABET = string.ascii_letters + string.digits + " -',&@.?!()[]é_"
names = st.text(alphabet=_NAME_ALPHABET, min_size=0, max_size=20)
descriptions = st.none() | st.text(alphabet=string.ascii_letters + " ", max_size=15)
tag_keys = st.text(alphabet="abcxyz\n", min_size=0, max_size=30)
tags = st.none() | st.dictionaries(tag_keys, st.text(alphabet="uvw", max_size=105), max_size=11)
platform_keys = st.sampled_from([*PLATFORMS, "zzzz", "QHYG"])
TENANTS = ("a", "b")


def _values(model_values: list[str]) -> st.SearchStrategy[str]:
    # Values must not contain the query syntax (there is no quoting), and must be non-blank.
    safe = st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=6).filter(lambda v: v.strip() != "")
    return st.sampled_from(model_values) | safe if model_values else safe


@st.composite
def _queries(draw: st.DrawFn, known_names: list[str]) -> Query:
    def condition() -> Cond:
        prop = draw(
            st.sampled_from(["name", "description", "dataConnections.status", "dataConnections.integrationKey"])
        )
        if prop == "dataConnections.status":
            return Cond(prop, draw(st.sampled_from(["=", "!="])), draw(st.sampled_from(STATUS_VALUES)))
        if prop == "dataConnections.integrationKey":
            return Cond(prop, draw(st.sampled_from(["=", "!=", "~"])), draw(st.sampled_from(list(PLATFORMS))))
        return Cond(prop, draw(st.sampled_from(["=", "!=", "~"])), draw(_values(known_names)))

    def expression(depth: int) -> Query:
        if depth == 0 or draw(st.booleans()):
            return condition()
        op = draw(st.sampled_from(["&&", "||"]))
        return Combo(op, tuple(expression(depth - 1) for _ in range(draw(st.integers(2, 3)))))

    return expression(2)


STATUS_VALUES = ["PendingAuth", "Linked", "Unlinked", "Deauthorized", "linked"]


class CodatAgreement(RuleBasedStateMachine):
    """The machine; `agreement_machine` makes a runnable subclass bound to a client factory."""

    make_client: ClientFactory

    companies = Bundle("companies")
    connections = Bundle("connections")

    def __init__(self) -> None:
        super().__init__()
        self.model = CodatModel()
        run = secrets.token_hex(6)
        self.keys = {tenant: f"agreement-{run}-{tenant}" for tenant in TENANTS}
        self.clients: dict[str, Client] = {tenant: type(self).make_client(key) for tenant, key in self.keys.items()}

    def teardown(self) -> None:
        for client in self.clients.values():
            client.close()

    # --- the outcome check -----------------------------------------------------------------------------

    def expect(self, predicted: Callable[[], Any], actual: Callable[[], Any]) -> tuple[Any, Any] | None:
        """Run the model, then the implementation; both must succeed, or both fail with the same status."""
        try:
            expected = predicted()
        except Refused as refused:
            self.expect_refusal(refused, actual)
            return None
        return expected, actual()

    @staticmethod
    def expect_refusal(refused: Refused, actual: Callable[[], Any]) -> None:
        try:
            result = actual()
        except CodatAPIError as exc:
            assert exc.status_code == refused.status, f"model said {refused}, implementation said {exc}"
            assert isinstance(exc, ERRORS.get(refused.status, CodatAPIError))
            # A refusal that names fields (Bill Pay's validation) must name at least those the model names.
            named = {item.item_id for item in exc.validation_errors}
            assert refused.fields <= named, f"model said {refused}, implementation named {sorted(map(str, named))}"
            return
        raise AssertionError(f"model said {refused}, implementation answered {result!r}")

    # --- companies -------------------------------------------------------------------------------------

    @rule(target=companies, tenant=st.sampled_from(TENANTS), name=names, description=descriptions, tags=tags)
    def create_company(self, tenant: str, name: str, description: str | None, tags: dict[str, str] | None) -> Any:
        client = self.clients[tenant]
        outcome = self.expect(
            lambda: self.model.expect_created(name, description, tags),
            lambda: client.companies.create(name=name, description=description, tags=tags),
        )
        if outcome is None:
            return multiple()
        expected, company = outcome
        expected.id = company.id
        self.model.add_company(tenant, expected)
        assert_company(company, expected)
        return (tenant, company.id)

    @rule(ref=companies, as_tenant=st.sampled_from(TENANTS))
    def get_company(self, ref: tuple[str, str], as_tenant: str) -> None:
        _, company_id = ref
        outcome = self.expect(
            lambda: self.model.company(as_tenant, company_id),
            lambda: self.clients[as_tenant].companies.get(company_id),
        )
        if outcome is not None:
            assert_company(outcome[1], outcome[0])

    @rule(ref=companies, name=names, description=descriptions, tags=tags)
    def replace_company(
        self, ref: tuple[str, str], name: str, description: str | None, tags: dict[str, str] | None
    ) -> None:
        tenant, company_id = ref
        outcome = self.expect(
            lambda: self.model.replace_company(tenant, company_id, name, description, tags),
            lambda: self.clients[tenant].companies.replace(company_id, name=name, description=description, tags=tags),
        )
        if outcome is not None:
            assert_company(outcome[1], outcome[0])

    @rule(ref=companies, name=st.none() | names, description=descriptions, tags=tags)
    def update_company(
        self, ref: tuple[str, str], name: str | None, description: str | None, tags: dict[str, str] | None
    ) -> None:
        tenant, company_id = ref
        outcome = self.expect(
            lambda: self.model.update_company(tenant, company_id, name, description, tags),
            lambda: self.clients[tenant].companies.update(company_id, name=name, description=description, tags=tags),
        )
        if outcome is not None:
            assert_company(outcome[1], outcome[0])

    @rule(ref=companies)
    def delete_company(self, ref: tuple[str, str]) -> None:
        tenant, company_id = ref
        self.expect(
            lambda: self.model.delete_company(tenant, company_id),
            lambda: self.clients[tenant].companies.delete(company_id),
        )

    # --- connections -----------------------------------------------------------------------------------

    @rule(target=connections, ref=companies, platform_key=platform_keys)
    def create_connection(self, ref: tuple[str, str], platform_key: str) -> Any:
        tenant, company_id = ref
        outcome = self.expect(
            lambda: self.model.expect_connection(tenant, company_id, platform_key),
            lambda: self.clients[tenant].connections.create(company_id=company_id, platform_key=platform_key),
        )
        if outcome is None:
            return multiple()
        expected, connection = outcome
        expected.id = connection.id
        self.model.add_connection(tenant, company_id, expected)
        assert_connection(connection, expected)
        return (tenant, company_id, connection.id)

    @rule(ref=connections, as_tenant=st.sampled_from(TENANTS))
    def get_connection(self, ref: tuple[str, str, str], as_tenant: str) -> None:
        _, company_id, connection_id = ref
        outcome = self.expect(
            lambda: self.model.connection(as_tenant, company_id, connection_id),
            lambda: self.clients[as_tenant].connections.get(company_id=company_id, connection_id=connection_id),
        )
        if outcome is not None:
            assert_connection(outcome[1], outcome[0])

    # Credentials or none at all: Codat's body is optional, and without one the client sends no body.
    @rule(ref=connections, credentials=st.sampled_from([None, {"accessToken": "t"}]))
    def authorize(self, ref: tuple[str, str, str], credentials: dict[str, str] | None) -> None:
        tenant, company_id, connection_id = ref
        outcome = self.expect(
            lambda: self.model.authorize(tenant, company_id, connection_id),
            lambda: self.clients[tenant].connections.update_authorization(
                company_id=company_id, connection_id=connection_id, authorization=credentials
            ),
        )
        if outcome is not None:
            assert_connection(outcome[1], outcome[0])
            self.after_authorize(tenant, company_id, connection_id)

    def after_authorize(self, tenant: str, company_id: str, connection_id: str) -> None:
        """Called once a connection is Linked (a subclass reads what linking gave it)."""

    @rule(ref=connections)
    def unlink(self, ref: tuple[str, str, str]) -> None:
        tenant, company_id, connection_id = ref
        outcome = self.expect(
            lambda: self.model.unlink(tenant, company_id, connection_id),
            lambda: self.clients[tenant].connections.unlink(company_id=company_id, connection_id=connection_id),
        )
        if outcome is not None:
            assert_connection(outcome[1], outcome[0])

    @rule(ref=consumes(connections))
    def delete_connection(self, ref: tuple[str, str, str]) -> None:
        tenant, company_id, connection_id = ref
        self.expect(
            lambda: self.model.delete_connection(tenant, company_id, connection_id),
            lambda: self.clients[tenant].connections.delete(company_id=company_id, connection_id=connection_id),
        )

    # --- listings --------------------------------------------------------------------------------------

    @precondition(lambda self: any(self.model.companies(t) for t in TENANTS))
    @rule(data=st.data(), tenant=st.sampled_from(TENANTS), order=st.sampled_from([0, 1, -1]))
    def list_with_query(self, data: st.DataObject, tenant: str, order: int) -> None:
        known = [c.name.strip() for c in self.model.companies(tenant) if c.name.strip()]
        # There is no quoting in the query language: a name holding `&` or `|` next to a combinator
        # (`name=& && ...` reads as `name=&&&...`) is ambiguous, so such names are not sampled.
        known = [n for n in known if not set(n) & set("&|{}")]
        query = data.draw(_queries(known), label="query")
        order_by = {0: None, 1: "name", -1: "-name"}[order]
        expected = self.model.list_companies(tenant, query, order)
        got = list(self.clients[tenant].companies.iter(query=query.text(), order_by=order_by, page_size=2))
        assert [c.id for c in got] == [c.id for c in expected], query.text()

    @invariant()
    def every_tenant_reads_what_the_model_holds(self) -> None:
        for tenant, client in self.clients.items():
            got = list(client.companies.iter(page_size=3))
            expected = self.model.companies(tenant)
            assert [c.id for c in got] == [c.id for c in expected]
            for company, model_company in zip(got, expected, strict=True):
                assert_company(company, model_company)


def assert_company(company: Company, expected: ModelCompany) -> None:
    assert company.id == expected.id or expected.id == ""
    assert company.name == expected.name
    assert company.description == expected.description
    assert dict(company.tags) == expected.tags
    assert [c.id for c in company.data_connections] == [c.id for c in expected.connections]
    for connection, model_connection in zip(company.data_connections, expected.connections, strict=True):
        assert_connection(connection, model_connection)


def assert_connection(connection: Connection, expected: ModelConnection) -> None:
    assert connection.id == expected.id or expected.id == ""
    assert connection.integration_key == expected.platform_key
    assert str(connection.status) == expected.status
    assert str(connection.source_type) == expected.source_type


def agreement_machine(make_client: ClientFactory) -> type[CodatAgreement]:
    """A runnable machine whose tenants talk through clients made by `make_client(api_key)`.

    It covers companies and connections and, on connections linked to a Bill Pay platform, suppliers, bills,
    payments and bank accounts (`contracts.agreement_payables`).
    """
    from .agreement_payables import BillPayAgreement  # it builds on this module's machine

    return type("CodatAgreementMachine", (BillPayAgreement,), {"make_client": staticmethod(make_client)})


class SyncFacade:
    """Presents an `AsyncCodatClient` as the sync interface the machine drives.

    Every call runs on one private event loop (an `asyncio.Runner`), so an `httpx.AsyncClient` bound to it
    — including one over `httpx.ASGITransport` — is always used from the loop it belongs to.
    """

    def __init__(self, make_async_client: Callable[[], Any]) -> None:
        import asyncio

        self._runner = asyncio.Runner()
        self._client = self._runner.run(_create(make_async_client))
        self.companies = _SyncGroup(self._runner, self._client.companies)
        self.connections = _SyncGroup(self._runner, self._client.connections)
        self.integrations = _SyncGroup(self._runner, self._client.integrations)
        self.company_information = _SyncGroup(self._runner, self._client.company_information)
        self.suppliers = _SyncGroup(self._runner, self._client.suppliers)
        self.bills = _SyncGroup(self._runner, self._client.bills)
        self.bill_payments = _SyncGroup(self._runner, self._client.bill_payments)
        self.bank_accounts = _SyncGroup(self._runner, self._client.bank_accounts)

    def close(self) -> None:
        try:
            self._runner.run(self._client.aclose())
        finally:
            self._runner.close()


async def _create(make_async_client: Callable[[], Any]) -> Any:
    # Built inside the loop: httpx binds an AsyncClient's connection pool to the loop that first uses it.
    return make_async_client()


class _SyncGroup:
    def __init__(self, runner: Any, group: Any) -> None:
        self._runner = runner
        self._group = group

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._group, name)
        if name.startswith("iter"):  # `iter`, `iter_mapping_options`: async iterators, collected
            return lambda **kwargs: self._runner.run(_collect(method(**kwargs)))
        return lambda *args, **kwargs: self._runner.run(method(*args, **kwargs))


async def _collect(items: Any) -> list[Any]:
    return [item async for item in items]

"""A pure reference model of Codat's company and connection semantics, for agreement tests.

It is written from Codat's documentation (and docs/decisions.md where Codat is silent), independently
of the emulator: it imports neither `mock_server` nor `sdk_stub`. Property tests run the same operations
against the model and against a real implementation through a client, and demand the same outcome.

Every operation either returns what a correct implementation answers, or raises `Refused` carrying the
HTTP status a correct implementation answers with. Ids are not predicted: the implementation makes them,
and the model is told them (`add_company`, `add_connection`) once a create has succeeded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

# Codat's name pattern: characters outside it are removed from the name, not rejected.
_FORBIDDEN_IN_NAME = re.compile(r"[^A-Za-z0-9\s\-',&@.?!]")

STATUSES = ("PendingAuth", "Linked", "Unlinked", "Deauthorized")

#: Platforms the model knows, with their source type (only accounting links are limited to one per company).
PLATFORMS: dict[str, str] = {
    "qhyg": "Accounting",
    "gbol": "Accounting",
    "akxx": "Accounting",
    "suuo": "Banking",
    "aiwb": "Commerce",
    "fbrh": "Accounting",  # FreeAgent, for Bill Pay (contracts.model_payables)
}


class Refused(Exception):
    """The operation must fail with this HTTP status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status}: {reason}")
        self.status = status
        self.reason = reason
        #: Request fields the answer's validation errors must name (`validation.errors[].itemId`); none here.
        self.fields: frozenset[str] = frozenset()


@dataclass
class ModelConnection:
    id: str
    platform_key: str
    status: str = "PendingAuth"

    @property
    def source_type(self) -> str:
        return PLATFORMS[self.platform_key]


@dataclass
class ModelCompany:
    id: str
    name: str
    description: str
    tags: dict[str, str]
    created: datetime | None = None
    connections: list[ModelConnection] = field(default_factory=list)

    def connection(self, connection_id: str) -> ModelConnection:
        for connection in self.connections:
            if connection.id == connection_id:
                return connection
        raise Refused(404, f"Data connection {connection_id} not found")


@dataclass
class CodatModel:
    """Companies per tenant (API key), in creation order."""

    tenants: dict[str, dict[str, ModelCompany]] = field(default_factory=dict)

    # --- companies -------------------------------------------------------------------------------------

    @staticmethod
    def clean_name(name: str) -> str:
        if name == "":
            raise Refused(400, "name must not be empty")
        cleaned = _FORBIDDEN_IN_NAME.sub("", name)
        if not cleaned.strip():
            raise Refused(400, "name has no allowed characters")
        return cleaned

    @staticmethod
    def check_tags(tags: dict[str, str]) -> dict[str, str]:
        if len(tags) > 10:
            raise Refused(400, "more than 10 tags")
        for key, value in tags.items():
            if not 1 <= len(key) <= 27 or any(ch in key for ch in "\n\r\u2028\u2029"):
                raise Refused(400, f"tag key {key!r} breaks ^.{{1,27}}$")
            if len(value) > 100:
                raise Refused(400, f"tag {key!r} value longer than 100")
        return dict(tags)

    def expect_created(self, name: str, description: str | None, tags: dict[str, str] | None) -> ModelCompany:
        """The company a successful create would answer with (id left blank), or Refused."""
        cleaned = self.clean_name(name)
        return ModelCompany("", cleaned, description or "", self.check_tags(tags or {}))

    def add_company(self, tenant: str, company: ModelCompany) -> None:
        self.tenants.setdefault(tenant, {})[company.id] = company

    def company(self, tenant: str, company_id: str) -> ModelCompany:
        found = self.tenants.get(tenant, {}).get(company_id)
        if found is None:
            raise Refused(404, f"No company was found with ID {company_id}")
        return found

    def companies(self, tenant: str) -> list[ModelCompany]:
        return list(self.tenants.get(tenant, {}).values())

    def replace_company(
        self, tenant: str, company_id: str, name: str, description: str | None, tags: dict[str, str] | None
    ) -> ModelCompany:
        # Validation comes before the lookup: a bad body to an unknown company is a 400.
        cleaned, checked = self.clean_name(name), self.check_tags(tags or {})
        company = self.company(tenant, company_id)
        company.name, company.description, company.tags = cleaned, description or "", checked
        return company

    def update_company(
        self, tenant: str, company_id: str, name: str | None, description: str | None, tags: dict[str, str] | None
    ) -> ModelCompany:
        cleaned = self.clean_name(name) if name is not None else None
        checked = self.check_tags(tags) if tags is not None else None
        company = self.company(tenant, company_id)
        if cleaned is not None:
            company.name = cleaned
        if description is not None:
            company.description = description
        if checked is not None:
            company.tags = checked
        return company

    def delete_company(self, tenant: str, company_id: str) -> None:
        self.company(tenant, company_id)
        del self.tenants[tenant][company_id]

    # --- connections -----------------------------------------------------------------------------------

    def expect_connection(self, tenant: str, company_id: str, platform_key: str) -> ModelConnection:
        if re.fullmatch(r"[a-z]{4}", platform_key) is None:
            raise Refused(400, "platformKey must be four lower-case letters")
        self.company(tenant, company_id)
        if platform_key not in PLATFORMS:
            raise Refused(404, f"no integration {platform_key}")
        return ModelConnection("", platform_key)

    def add_connection(self, tenant: str, company_id: str, connection: ModelConnection) -> None:
        self.company(tenant, company_id).connections.append(connection)

    def connection(self, tenant: str, company_id: str, connection_id: str) -> ModelConnection:
        return self.company(tenant, company_id).connection(connection_id)

    def authorize(self, tenant: str, company_id: str, connection_id: str) -> ModelConnection:
        """The credentials (any, or none: the body is optional) are not the model's concern; the state is."""
        company = self.company(tenant, company_id)
        connection = company.connection(connection_id)
        if connection.status == "Linked":
            return connection
        if connection.source_type == "Accounting" and any(
            other.status == "Linked" and other.source_type == "Accounting" for other in company.connections
        ):
            raise Refused(400, "the company already has a Linked accounting connection")
        connection.status = "Linked"
        return connection

    def unlink(
        self, tenant: str, company_id: str, connection_id: str, status: str | None = "Unlinked"
    ) -> ModelConnection:
        """`status` is the body's: Codat's body is optional, and no body (None) asks for Unlinked too."""
        connection = self.connection(tenant, company_id, connection_id)
        if status not in (None, "Unlinked"):
            raise Refused(400, f"A data connection's status can only be set to Unlinked (got {status})")
        if connection.status != "Linked":
            raise Refused(400, "Only Linked data connections can be unlinked")
        connection.status = "Unlinked"
        return connection

    def delete_connection(self, tenant: str, company_id: str, connection_id: str) -> None:
        company = self.company(tenant, company_id)
        company.connections.remove(company.connection(connection_id))

    # --- listings --------------------------------------------------------------------------------------

    def list_companies(self, tenant: str, query: Query | None = None, order_by_name: int = 0) -> list[ModelCompany]:
        """Companies matching `query`; ordered by name (1 ascending, -1 descending, 0 creation order)."""
        found = [c for c in self.companies(tenant) if query is None or query.matches(c)]
        if order_by_name:
            found.sort(key=lambda c: c.name.casefold(), reverse=order_by_name < 0)
        return found


# --- a small query language, evaluated independently of the emulator's parser ------------------------------


@dataclass(frozen=True)
class Cond:
    """`property op value` over a company; properties: name, description, dataConnections.status/.integrationKey."""

    prop: str
    op: str  # "=", "!=" or "~"
    value: str

    def text(self) -> str:
        return f"{self.prop}{self.op}{self.value}"

    def matches(self, company: ModelCompany) -> bool:
        wanted = self.value.strip().casefold()
        if self.prop.startswith("dataConnections."):
            attribute = {"dataConnections.status": "status", "dataConnections.integrationKey": "platform_key"}
            values = [str(getattr(c, attribute[self.prop])).casefold() for c in company.connections]
            # Codat: `=` holds if any connection has the value, `!=` only if none has it.
            if self.op == "!=":
                return wanted not in values
            return any(v == wanted if self.op == "=" else wanted in v for v in values)
        actual = str(getattr(company, self.prop)).casefold()
        if self.op == "=":
            return actual == wanted
        if self.op == "!=":
            return actual != wanted
        return wanted in actual


@dataclass(frozen=True)
class Combo:
    op: str  # "&&" or "||"
    parts: tuple[Query, ...]

    def text(self) -> str:
        return self.op.join("{" + p.text() + "}" if isinstance(p, Combo) else p.text() for p in self.parts)

    def matches(self, company: ModelCompany) -> bool:
        results = (p.matches(company) for p in self.parts)
        return all(results) if self.op == "&&" else any(results)


Query = Cond | Combo

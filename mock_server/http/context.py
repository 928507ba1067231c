"""What every handler needs: the store, the settings, and per-request helpers."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from ..domain.listing import ListRequest
from ..domain.paging import RawParams
from ..domain.store import Store
from ..domain.views import LinkUrls
from ..settings import Settings
from .auth import tenant_of
from .bodies import M, ParsedBody, parse_api_body


@dataclass(frozen=True, slots=True)
class ApiContext:
    store: Store
    settings: Settings

    def tenant(self, request: Request) -> str:
        return tenant_of(request)

    def strict_bodies(self, tenant: str) -> bool:
        """Whether unknown body fields are refused for this tenant: its own setting, else the server's."""
        chosen = self.store.settings(tenant).strict_bodies
        return self.settings.strict_bodies if chosen is None else chosen

    async def body(self, request: Request, tenant: str, model: type[M]) -> ParsedBody[M]:
        """A Codat operation's request body, read as the tenant's strictness says (see `parse_api_body`)."""
        return await parse_api_body(request, model, self.settings.max_body_bytes, strict=self.strict_bodies(tenant))

    def urls(self, request: Request) -> LinkUrls:
        """Link URLs on the configured public URL, else on the URL the caller used to reach us."""
        base = self.settings.public_url or str(request.base_url).rstrip("/")
        return LinkUrls(base)

    def correlation_id(self) -> str:
        return self.store.ids().hex


def list_request(request: Request) -> ListRequest:
    """The listing parameters, matched case-insensitively (Codat's own docs write `orderby`)."""
    found: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        found.setdefault(name.lower(), value)
    return ListRequest(
        page=found.get("page"),
        page_size=found.get("pagesize"),
        query=found.get("query"),
        order_by=found.get("orderby"),
        tags=found.get("tags"),
    )


def raw_params(request: Request) -> RawParams:
    query_string: bytes = request.scope.get("query_string", b"")
    return [segment for segment in query_string.decode("latin-1").split("&") if segment]

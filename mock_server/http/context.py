"""What every handler needs: the store, the settings, and per-request helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from starlette.requests import Request

from ..domain.listing import ListingCache, ListRequest
from ..domain.paging import RawParams
from ..domain.store import Store
from ..domain.views import LinkUrls
from ..settings import Settings
from .auth import tenant_of
from .bodies import M, ParsedBody, parse_api_body, parse_api_bytes

K = TypeVar("K")
V = TypeVar("V")


_CACHE_SIZE = 1024


@dataclass(frozen=True, slots=True)
class ApiContext:
    store: Store
    settings: Settings
    listings: ListingCache = field(default_factory=ListingCache)
    """Compiled listing parameters and ordered matches, shared by every listing handler of this app."""
    # Callers reuse a handful of API keys and host names: decoding the key and building the base URL each
    # time cost more than the rest of a get-company. Both caches are bounded (cleared when full).
    _tenants: dict[str, str] = field(default_factory=dict)
    _urls: dict[tuple[str, str, str], LinkUrls] = field(default_factory=dict)

    def tenant(self, request: Request) -> str:
        header = request.headers.get("authorization")
        tenant = self._tenants.get(header) if header is not None else None
        if tenant is None:
            tenant = tenant_of(request)  # raises Unauthorized for anything but a good key: never cached
            _bounded(self._tenants)[header or ""] = tenant
        return tenant

    def strict_bodies(self, tenant: str) -> bool:
        """Whether unknown body fields are refused for this tenant: its own setting, else the server's."""
        chosen = self.store.settings(tenant).strict_bodies
        return self.settings.strict_bodies if chosen is None else chosen

    async def body(self, request: Request, tenant: str, model: type[M]) -> ParsedBody[M]:
        """A Codat operation's request body, read as the tenant's strictness says (see `parse_api_body`)."""
        return await parse_api_body(request, model, self.settings.max_body_bytes, strict=self.strict_bodies(tenant))

    def parse(self, request: Request, raw: bytes, tenant: str, model: type[M]) -> ParsedBody[M]:
        """`body` for a body already read (the payables writes read it first, for their Idempotency-Key)."""
        return parse_api_bytes(raw, request.headers.get("content-type"), model, strict=self.strict_bodies(tenant))

    def urls(self, request: Request) -> LinkUrls:
        """Link URLs on the configured public URL, else on the URL the caller used to reach us."""
        if self.settings.public_url is not None:
            return LinkUrls(self.settings.public_url)
        scope = request.scope
        key = (scope.get("scheme", "http"), request.headers.get("host", ""), scope.get("root_path", ""))
        urls = self._urls.get(key)
        if urls is None:
            urls = _bounded(self._urls)[key] = LinkUrls(str(request.base_url).rstrip("/"))
        return urls

    def correlation_id(self) -> str:
        return self.store.ids().hex


def _bounded(cache: dict[K, V]) -> dict[K, V]:
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    return cache


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

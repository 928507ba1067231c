"""The Link pages: pick a platform (company page), decide (start page), see how it ended (result page).

    GET  /link/company/{companyId}                                   the company's `redirect`: platforms
    POST /link/company/{companyId}                                   platformKey → PendingAuth → 303 start
    GET  /link/companies/{companyId}/connections/{connectionId}/start   the `linkUrl`: three buttons
    POST /link/companies/{companyId}/connections/{connectionId}/start   action → transition → 303 redirect
    GET  /link/companies/{companyId}/connections/{connectionId}/result  success/failure (no redirect URL set)

A browser sends no API key, so the tenant comes from the company id in the URL (the store's index from
company id to tenant): a Link URL reaches only its own tenant's data, and an unknown, deleted or reset
company or connection is a 404 page. GET never changes anything; every change is a form POST answered
with 303 (so reloading a result does not repeat it). Cross-site form posts are refused (403) using the
browser's `Sec-Fetch-Site` header, which stops another site from driving the forms; no token is needed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ..domain.enums import SourceType
from ..domain.errors import BadRequest, CodatError, CompanyNotFound, NotFound
from ..domain.linking import LinkChoice, complete_link, redirect_values, substitute
from ..domain.models import Integration
from ..domain.records import CompanyRecord, ConnectionRecord
from ..http.context import ApiContext
from .forms import read_form

if TYPE_CHECKING:
    from jinja2 import Environment

Endpoint = Callable[[Request], Awaitable[Response]]

SECURITY_HEADERS = {
    # No scripts, no images, no framing (clickjacking); only the page's own inline style.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_GROUPS = (
    (SourceType.ACCOUNTING, "Accounting software"),
    (SourceType.BANKING, "Banking"),
    (SourceType.COMMERCE, "Commerce"),
)

_CHOICES = {
    LinkChoice.AUTHORIZE: "Authorize",
    LinkChoice.CANCEL: "Cancel",
    LinkChoice.PLATFORM_ERROR: "Simulate platform error",
}


class _Refused(Exception):
    """A request the pages answer with an error page: status, title and a sentence for the reader."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


class LinkPages:
    def __init__(self, ctx: ApiContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    @cached_property
    def templates(self) -> Environment:
        # One environment per app (no module state); autoescape everything: names come from API callers.
        # Made on the first page, not at start-up: importing jinja2 is a noticeable part of `serve`'s start.
        from jinja2 import Environment, PackageLoader, StrictUndefined

        return Environment(
            loader=PackageLoader("mock_server.link", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # --- the pages ------------------------------------------------------------------------------------

    async def company_page(self, request: Request) -> Response:
        tenant, company = self._company(request)
        return self._company_response(request, company)

    async def choose_platform(self, request: Request) -> Response:
        _same_site(request)
        tenant, company = self._company(request)
        form = await read_form(request)
        key = form.get("platformKey", "")
        if key not in self.store.catalogue:
            message = f"Choose one of the platforms listed; {key!r} is not one." if key else "Choose a platform."
            return self._company_response(request, company, error=message, status=400)
        connection = self.store.start_connection(tenant, company.id, key)
        target = self.ctx.urls(request).connection(company.id, connection.id) + _query_suffix(request)
        return _see_other(target)

    async def start_page(self, request: Request) -> Response:
        tenant, company, connection = self._connection(request)
        return self._render(
            "start.html",
            company=company,
            connection=connection,
            platform=connection.integration,
            action=_self_url(request),
            choices=[(choice.value, label) for choice, label in _CHOICES.items()],
        )

    async def complete(self, request: Request) -> Response:
        _same_site(request)
        tenant, company, connection = self._connection(request)
        form = await read_form(request)
        try:
            choice = LinkChoice(form.get("action", ""))
        except ValueError:
            raise BadRequest.for_field("action", "choose Authorize, Cancel or Simulate platform error") from None
        record, outcome = complete_link(self.store, tenant, company.id, connection.id, choice)
        template = self.store.settings(tenant).redirect_url
        if template is not None:
            values = redirect_values(tenant, company, record, outcome, _first_values(request.query_params))
            return _see_other(substitute(template, values))
        base = self.ctx.urls(request).public_url
        return _see_other(
            f"{base}/link/companies/{company.id}/connections/{record.id}/result?statusCode={outcome.status_code}"
        )

    async def result_page(self, request: Request) -> Response:
        tenant, company, connection = self._connection(request)
        raw = request.query_params.get("statusCode", "")
        code = int(raw) if raw in ("200", "201", "403", "500") else None
        platform = connection.integration.name
        active = [e for e in connection.errors if e.status == "Active"]
        if code == 200:
            heading, detail = "Connected", f"{platform} is now linked to {company.name}."
        elif code == 201:
            heading, detail = "Already connected", f"{platform} was already linked; nothing changed."
        elif code == 403:
            heading, detail = "Linking cancelled", f"You cancelled linking; {platform} was not linked."
        elif code == 500:
            heading = "Linking failed"
            detail = active[-1].error_message if active else "Unknown error occurred."
        else:
            heading, detail = "Link", f"This connection is {connection.status.value}."
        return self._render(
            "result.html",
            company=company,
            connection=connection,
            platform=connection.integration,
            status_code=code,
            succeeded=code in (200, 201),
            heading=heading,
            detail=detail,
            start_url=self.ctx.urls(request).connection(company.id, connection.id),
        )

    async def not_found(self, request: Request) -> Response:
        raise NotFound("There is no Link page at this address.")

    # --- helpers --------------------------------------------------------------------------------------

    def _company(self, request: Request) -> tuple[str, CompanyRecord]:
        company_id = request.path_params["companyId"]
        tenant = self.store.owner_of(company_id)
        if tenant is None:
            raise CompanyNotFound(company_id)
        return tenant, self.store.get_company(tenant, company_id)

    def _connection(self, request: Request) -> tuple[str, CompanyRecord, ConnectionRecord]:
        tenant, company = self._company(request)
        connection = self.store.get_connection(tenant, company.id, request.path_params["connectionId"])
        return tenant, company, connection

    def _company_response(
        self, request: Request, company: CompanyRecord, *, error: str | None = None, status: int = 200
    ) -> Response:
        urls = self.ctx.urls(request)
        suffix = _query_suffix(request)
        return self._render(
            "company.html",
            status=status,
            company=company,
            groups=_groups(list(self.store.catalogue)),
            connections=[(c, urls.connection(company.id, c.id) + suffix) for c in company.connections],
            action=_self_url(request),
            error=error,
        )

    def _render(self, name: str, *, status: int = 200, **context: Any) -> Response:
        html = self.templates.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def _problem(self, status: int, title: str, message: str) -> Response:
        return self._render("problem.html", status=status, status_code=status, title=title, message=message)

    def guarded(self, endpoint: Endpoint) -> Endpoint:
        """`endpoint` with every refusal rendered as an HTML page (the API's handlers answer JSON)."""

        async def page(request: Request) -> Response:
            try:
                return await endpoint(request)
            except _Refused as refused:
                return self._problem(refused.status, refused.title, refused.message)
            except NotFound as exc:
                return self._problem(
                    404,
                    "Link not found",
                    f"{exc.message}. The company or connection may have been deleted, or the emulator reset.",
                )
            except CodatError as exc:
                details = "; ".join(v.message for v in exc.validation) or exc.message
                return self._problem(exc.status_code, "This request cannot be completed", details)

        return page


def _groups(integrations: list[Integration]) -> list[tuple[str, list[Integration]]]:
    groups = [(label, [i for i in integrations if i.source_type is kind]) for kind, label in _GROUPS]
    listed = {kind for kind, _ in _GROUPS}
    others = [i for i in integrations if i.source_type not in listed]
    if others:
        groups.append(("Other", others))
    return [(label, members) for label, members in groups if members]


def _same_site(request: Request) -> None:
    # Browsers label every request with where it came from; a form on another site posting here is the
    # one case to refuse (CSRF). Clients that send no such header (curl, httpx, tests) are not browsers.
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise _Refused(403, "Refused", "This form was submitted from another site, so it was not applied.")


def _query_suffix(request: Request) -> str:
    query = request.url.query
    return f"?{query}" if query else ""


def _self_url(request: Request) -> str:
    return request.url.path + _query_suffix(request)


def _first_values(params: QueryParams) -> dict[str, str]:
    """The Link URL's custom parameters: the first value of each name."""
    values: dict[str, str] = {}
    for name, value in params.multi_items():
        values.setdefault(name, value)
    return values


def _see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)


def link_routes(ctx: ApiContext) -> list[BaseRoute]:
    """The Link pages' routes; each name is what the journal records as the request's operationId."""
    pages = LinkPages(ctx)
    company = "/link/company/{companyId}"
    connection = "/link/companies/{companyId}/connections/{connectionId}"
    g = pages.guarded
    return [
        Route(company, g(pages.company_page), methods=["GET"], name="link-company-page"),
        Route(company, g(pages.choose_platform), methods=["POST"], name="link-choose-platform"),
        Route(f"{connection}/start", g(pages.start_page), methods=["GET"], name="link-start-page"),
        Route(f"{connection}/start", g(pages.complete), methods=["POST"], name="link-complete"),
        Route(f"{connection}/result", g(pages.result_page), methods=["GET"], name="link-result-page"),
        Route("/link", g(pages.not_found), methods=["GET"], name="link-not-found"),
        Route("/link/{rest:path}", g(pages.not_found), methods=["GET"], name="link-not-found-path"),
    ]

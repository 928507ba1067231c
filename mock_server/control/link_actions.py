"""Headless Link: what the Link pages do, for a test that has no browser.

authorize, cancel and fail complete a Link attempt exactly as the start page's buttons do (same
transitions, error entries and redirect URL); deauthorize is the platform revoking access, the only way
to reach `Deauthorized`. The control request's query string plays the Link URL's custom parameters.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.enums import ConnectionEvent
from ..domain.errors import Conflict
from ..domain.linking import LinkChoice, complete_link, redirect_values, substitute
from ..domain.records import ConnectionRecord
from ..domain.views import connection_view
from ..http.context import ApiContext
from .access import Access
from .plane import ControlPlane
from .responses import json_body


def connection_body(ctx: ApiContext, request: Request, record: ConnectionRecord) -> dict[str, Any]:
    """The connection exactly as the API renders it."""
    rendered: dict[str, Any] = connection_view(record, ctx.urls(request)).model_dump(
        mode="json", by_alias=True, exclude_unset=True
    )
    return rendered


class LinkActionHandlers:
    def __init__(self, ctx: ApiContext, plane: ControlPlane, access: Access) -> None:
        self.ctx = ctx
        self.plane = plane
        self.access = access

    async def authorize(self, request: Request) -> Response:
        return await self._complete(request, LinkChoice.AUTHORIZE)

    async def cancel(self, request: Request) -> Response:
        return await self._complete(request, LinkChoice.CANCEL)

    async def fail(self, request: Request) -> Response:
        return await self._complete(request, LinkChoice.PLATFORM_ERROR)

    async def deauthorize(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        p = request.path_params
        record = self.plane.store.apply(tenant, p["companyId"], p["connectionId"], ConnectionEvent.DEAUTHORIZE)
        return json_body({"connection": connection_body(self.ctx, request, record)})

    async def _complete(self, request: Request, choice: LinkChoice) -> Response:
        tenant = self.access.tenant(request)
        p = request.path_params
        store = self.plane.store
        record, outcome = complete_link(store, tenant, p["companyId"], p["connectionId"], choice)
        if choice is LinkChoice.AUTHORIZE and outcome.status_code == 500:
            # As at Link, the failed attempt is recorded (a 500 entry); a test asking to authorize
            # must not mistake that for success, hence an error status rather than a 200.
            raise Conflict(outcome.detail)
        template = store.settings(tenant).redirect_url
        redirect = None
        if template is not None:
            company = store.get_company(tenant, record.company_id)
            custom = dict(request.query_params.items())
            redirect = substitute(template, redirect_values(tenant, company, record, outcome, custom))
        return json_body(
            {
                "connection": connection_body(self.ctx, request, record),
                "outcome": {
                    "statusCode": outcome.status_code,
                    "statusText": outcome.status_text,
                    "errorMessage": outcome.error_message,
                    "detail": outcome.detail,
                    "redirectUrl": redirect,
                },
            }
        )

"""Handlers for list-integrations and get-integration (the shared, read-only catalogue)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..domain.listing import select
from ..domain.models import Integration
from ..domain.queryable import INTEGRATION_TARGET
from .context import ApiContext, list_request, raw_params
from .rendering import json_response, page_response


class IntegrationHandlers:
    def __init__(self, ctx: ApiContext) -> None:
        self.ctx = ctx

    async def list_integrations(self, request: Request) -> Response:
        self.ctx.tenant(request)  # the catalogue is the same for everyone, but Codat still wants a key
        window = select(
            list(self.ctx.store.catalogue),
            list_request(request),
            INTEGRATION_TARGET,
            path=request.url.path,
            params=raw_params(request),
            cache=self.ctx.listings,
        )
        return page_response(window, Integration, lambda i: i)

    async def get_integration(self, request: Request) -> Response:
        self.ctx.tenant(request)
        return json_response(self.ctx.store.catalogue.get(request.path_params["platformKey"]))

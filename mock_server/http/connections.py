"""Handlers for the connection operations, including unlink and update-authorization."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..domain.enums import ConnectionStatus
from ..domain.errors import InvalidTransition
from ..domain.listing import select
from ..domain.models import ConnectionAuthorization, ConnectionCreate, ConnectionStatusUpdate
from ..domain.queryable import CONNECTION_TARGET
from ..domain.views import connection_wire
from .context import ApiContext, list_request, raw_params
from .rendering import page_wire_response, wire_response


class ConnectionHandlers:
    def __init__(self, ctx: ApiContext) -> None:
        self.ctx = ctx

    async def list_connections(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        window = select(
            self.ctx.store.connections(tenant, request.path_params["companyId"]),
            list_request(request),
            CONNECTION_TARGET,
            path=request.url.path,
            params=raw_params(request),
            cache=self.ctx.listings,
        )
        urls = self.ctx.urls(request)
        return page_wire_response(window, lambda c: connection_wire(c, urls))

    async def create_connection(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        parsed = await self.ctx.body(request, tenant, ConnectionCreate)
        connection = self.ctx.store.create_connection(
            tenant, request.path_params["companyId"], parsed.value.platform_key
        )
        return wire_response(connection_wire(connection, self.ctx.urls(request)), headers=parsed.headers())

    async def get_connection(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        p = request.path_params
        connection = self.ctx.store.get_connection(tenant, p["companyId"], p["connectionId"])
        return wire_response(connection_wire(connection, self.ctx.urls(request)))

    async def delete_connection(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        p = request.path_params
        self.ctx.store.delete_connection(tenant, p["companyId"], p["connectionId"])
        # Codat answers 200 with no body here (not 204, unlike delete-company).
        return Response(status_code=200)

    async def unlink_connection(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        # No body, an empty one, `{}` or a null status all ask for what the operation is named for: Unlinked.
        parsed = await self.ctx.body(request, tenant, ConnectionStatusUpdate)
        asked_for = parsed.value.status
        p = request.path_params
        current = self.ctx.store.get_connection(tenant, p["companyId"], p["connectionId"])
        if asked_for not in (None, ConnectionStatus.UNLINKED):
            asked = asked_for.value
            raise InvalidTransition(
                f"A data connection's status can only be set to Unlinked (got {asked}); "
                f"this connection is {current.status.value}.",
                status=current.status.value,
                event=asked,
            )
        connection = self.ctx.store.unlink(tenant, p["companyId"], p["connectionId"])
        return wire_response(connection_wire(connection, self.ctx.urls(request)), headers=parsed.headers())

    async def update_connection_authorization(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        # The credentials are checked for shape and stored nowhere; no body at all authorizes too.
        parsed = await self.ctx.body(request, tenant, ConnectionAuthorization)
        p = request.path_params
        connection = self.ctx.store.authorize(tenant, p["companyId"], p["connectionId"])
        return wire_response(connection_wire(connection, self.ctx.urls(request)), headers=parsed.headers())

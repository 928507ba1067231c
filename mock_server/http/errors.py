"""Every failure becomes a Codat ErrorMessage: domain errors, routing 404/405, and the unexpected."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route

from ..domain.errors import CodatError, MethodNotAllowed, NotFound
from .context import ApiContext
from .rendering import error_response

logger = logging.getLogger("codat_mock")


class ErrorHandlers:
    def __init__(self, ctx: ApiContext, routes: list[BaseRoute]) -> None:
        self.ctx = ctx
        self.routes = routes

    async def codat_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CodatError)
        return error_response(exc, self.ctx.correlation_id())

    async def http_exception(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 405:
            allowed = self._allowed_methods(request)
            error: CodatError = MethodNotAllowed(request.method, allowed)
            return error_response(error, self.ctx.correlation_id(), {"Allow": ", ".join(allowed)})
        if exc.status_code == 404:
            error = NotFound("The requested resource was not found.")
        else:
            error = CodatError(exc.detail, exc.status_code)
        return error_response(error, self.ctx.correlation_id(), exc.headers)

    async def unexpected(self, request: Request, exc: Exception) -> Response:
        # A bug in the emulator: log it with its trace, but answer in Codat's shape, never a trace.
        logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        error = CodatError("There is a problem with our server. Please try again later.", 500)
        return error_response(error, self.ctx.correlation_id())

    def _allowed_methods(self, request: Request) -> tuple[str, ...]:
        # Starlette's own 405 lists only the first route matching the path; Codat's paths carry several
        # operations (one route each), so gather the methods of every route on this path.
        methods: set[str] = set()
        for route in self.routes:
            if isinstance(route, Route) and route.methods:
                match, _ = route.matches({**request.scope, "method": "__none__"})
                if match is Match.PARTIAL:
                    methods |= route.methods
        return tuple(sorted(methods))

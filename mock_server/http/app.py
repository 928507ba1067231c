"""Assemble the ASGI application from a store and settings."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException

from ..domain.errors import CodatError
from ..domain.store import Store
from ..settings import Settings
from .context import ApiContext
from .errors import ErrorHandlers
from .routes import api_routes


def create_app(settings: Settings | None = None, store: Store | None = None) -> Starlette:
    """A fresh emulator. Pass a `store` to share or inspect state (tests do); each call is independent."""
    ctx = ApiContext(store=store or Store(), settings=settings or Settings())
    routes = api_routes(ctx)
    errors = ErrorHandlers(ctx, routes)
    app = Starlette(
        routes=routes,
        exception_handlers={
            CodatError: errors.codat_error,
            HTTPException: errors.http_exception,
            Exception: errors.unexpected,
        },
    )
    return app

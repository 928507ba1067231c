"""Assemble the ASGI application from a store and settings: the API, the Link pages and the control plane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Route

from ..delivery import WebhookHub
from ..domain.errors import CodatError
from ..domain.store import Store
from ..settings import Settings
from .context import ApiContext
from .contract import contract_routes
from .errors import ErrorHandlers
from .routes import api_routes
from .webhooks import webhook_routes

if TYPE_CHECKING:
    from ..control.plane import Sleep


def create_app(
    settings: Settings | None = None, store: Store | None = None, *, sleep: Sleep | None = None
) -> Starlette:
    """A fresh emulator. Pass a `store` to share or inspect state (tests do); each call is independent.

    Without a `store`, one is built from `settings` (deterministic mode when `settings.seed` is set), and
    `settings.seed_file` is imported into it (SettingsError if it is unreadable or invalid). `sleep`
    replaces `asyncio.sleep` for injected latency (tests pass a fake).
    """
    # The Link pages and the control plane build on this package's modules (auth, rendering, bodies), so
    # they are imported here, when the app is assembled, rather than when `mock_server.http` is.
    from ..control import ControlMiddleware, ControlPlane, control_routes, load_seed_file, store_for
    from ..link import link_routes

    settings = settings or Settings()
    owns_store = store is None
    store = store if store is not None else store_for(settings)
    webhooks = WebhookHub(store, settings)
    if settings.seed_file is not None:
        load_seed_file(store, settings.seed_file, webhooks)
    ctx = ApiContext(store=store, settings=settings)
    api = [*api_routes(ctx), *webhook_routes(ctx, webhooks)]
    link = link_routes(ctx)
    plane = ControlPlane(
        store,
        settings,
        operation_ids=[r.name for r in api if isinstance(r, Route)],
        owns_ids=owns_store,
        sleep=sleep,
        webhooks=webhooks,
    )
    routes = [*api, *contract_routes(ctx), *link, *control_routes(ctx, plane)]
    errors = ErrorHandlers(ctx, routes)
    app = Starlette(
        routes=routes,
        exception_handlers={
            CodatError: errors.codat_error,
            HTTPException: errors.http_exception,
            Exception: errors.unexpected,
        },
        middleware=[Middleware(ControlMiddleware, plane=plane, api_routes=api, link_routes=link)],
        lifespan=webhooks.lifespan,
    )
    return app

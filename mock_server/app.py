"""The composition root: assemble the ASGI application from a store and settings.

The API (`http/`), the Link pages (`link/`) and the control plane (`control/`) are built here, above all three,
so none of them needs to know about the others' existence beyond the shared `http` helpers they build on.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Route

from .control import ControlMiddleware, ControlPlane, control_routes, load_seed_file, store_for
from .control.plane import Sleep
from .delivery import WebhookHub
from .domain.errors import CodatError
from .domain.store import Store
from .http.context import ApiContext
from .http.contract import contract_routes
from .http.errors import ErrorHandlers
from .http.routes import api_routes
from .http.webhooks import webhook_routes
from .link import link_routes
from .settings import Settings


def create_app(
    settings: Settings | None = None, store: Store | None = None, *, sleep: Sleep | None = None
) -> Starlette:
    """A fresh emulator. Pass a `store` to share or inspect state (tests do); each call is independent.

    Without a `store`, one is built from `settings` (deterministic mode when `settings.seed` is set), and
    `settings.seed_file` is imported into it (SettingsError if it is unreadable or invalid). `sleep`
    replaces `asyncio.sleep` for injected latency (tests pass a fake).
    """
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
    # Starlette answers `/companies/%2F` (path `/companies//`) with a 307 to `/companies`; Codat has no such
    # redirects, so every path that matches no route is the 404 ErrorMessage.
    app.router.redirect_slashes = False
    return app

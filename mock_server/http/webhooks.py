"""Handlers for Codat's webhook-consumer operations (list/create/delete-webhook-consumer)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..delivery import WebhookHub
from ..domain.webhooks.consumers import ConsumerCreate
from .bodies import parse_body
from .context import ApiContext

CONSUMER = "/webhooks/{webhookId}"


def _json(data: object, status_code: int = 200) -> Response:
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return Response(body, status_code=status_code, media_type="application/json")


class WebhookConsumerHandlers:
    def __init__(self, ctx: ApiContext, hub: WebhookHub) -> None:
        self.ctx = ctx
        self.hub = hub

    async def list_webhook_consumers(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        return _json({"results": [c.wire() for c in self.hub.consumers.of(tenant)]})

    async def create_webhook_consumer(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        body = await parse_body(request, ConsumerCreate, self.ctx.settings.max_body_bytes)
        consumer = self.hub.create_consumer(tenant, body, base_url=self.ctx.urls(request).public_url)
        return _json(consumer.wire(), status_code=201)

    async def delete_webhook_consumer(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        self.hub.delete_consumer(tenant, request.path_params["webhookId"])
        return Response(status_code=204)


def webhook_routes(ctx: ApiContext, hub: WebhookHub) -> list[BaseRoute]:
    handlers = WebhookConsumerHandlers(ctx, hub)
    return [
        Route("/webhooks", handlers.list_webhook_consumers, methods=["GET"], name="list-webhook-consumers"),
        Route("/webhooks", handlers.create_webhook_consumer, methods=["POST"], name="create-webhook-consumer"),
        Route(
            "/webhooks/{webhookId}",
            handlers.delete_webhook_consumer,
            methods=["DELETE"],
            name="delete-webhook-consumer",
        ),
    ]

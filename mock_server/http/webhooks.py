"""Handlers for Codat's webhook-consumer operations (list/create/delete-webhook-consumer)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..delivery import WebhookHub
from ..domain.webhooks.consumers import ConsumerCreate
from .context import ApiContext
from .rendering import wire_response

CONSUMER = "/webhooks/{webhookId}"


class WebhookConsumerHandlers:
    def __init__(self, ctx: ApiContext, hub: WebhookHub) -> None:
        self.ctx = ctx
        self.hub = hub

    async def list_webhook_consumers(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        return wire_response({"results": [c.wire() for c in self.hub.consumers.of(tenant)]})

    async def create_webhook_consumer(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        parsed = await self.ctx.body(request, tenant, ConsumerCreate)
        consumer = self.hub.create_consumer(tenant, parsed.value, base_url=self.ctx.urls(request).public_url)
        return wire_response(consumer.wire(), status_code=201, headers=parsed.headers())

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

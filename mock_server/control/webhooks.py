"""`/_mock/webhooks`: the caller's deliveries, replay, pause/resume, flush, and consumers' signing secrets.

Every operation is about the caller's own tenant (its Authorization), like reset and settings.
"""

from __future__ import annotations

import math
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..delivery import WebhookHub
from ..domain.errors import BadRequest, NotFound
from ..domain.webhooks.deliveries import Delivery, DeliveryFilter, DeliveryState
from .access import Access
from .responses import QueryParams, json_body, timestamp

MAX_FLUSH_SECONDS = 300.0
DEFAULT_FLUSH_SECONDS = 10.0
_STATE = re.compile("|".join(s.value for s in DeliveryState))


def _seconds(raw: str | None) -> float:
    """The flush timeout: a number of seconds from 0 to MAX_FLUSH_SECONDS (default DEFAULT_FLUSH_SECONDS)."""
    if raw is None:
        return DEFAULT_FLUSH_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0 <= value <= MAX_FLUSH_SECONDS:  # also refuses nan
        message = f"timeout must be a number of seconds from 0 to {MAX_FLUSH_SECONDS:g}; got {raw!r}"
        raise BadRequest.for_field("timeout", message, "QueryValidator")
    return value


def delivery_body(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "webhookId": delivery.consumer_id,
        "url": delivery.url,
        "eventId": delivery.event_id,
        "eventType": delivery.event_type,
        "companyId": delivery.company_id,
        "connectionId": delivery.connection_id,
        "state": delivery.state.value,
        "created": timestamp(delivery.created),
        "nextAttemptAt": timestamp(delivery.next_attempt_at) if not delivery.finished else None,
        "replayOf": delivery.replay_of,
        "attempts": [
            {
                "at": timestamp(a.at),
                "statusCode": a.status_code,
                "error": a.error,
                "durationMs": round(a.duration_ms, 3),
            }
            for a in list(delivery.attempts)
        ],
    }


class DeliveryNotFound(NotFound):
    def __init__(self, delivery_id: str) -> None:
        super().__init__(
            f"No webhook delivery was found with ID {delivery_id} (or its consumer has been deleted since)"
        )


class WebhookControlHandlers:
    def __init__(self, hub: WebhookHub, access: Access) -> None:
        self.hub = hub
        self.access = access

    def _status(self, tenant: str) -> dict[str, Any]:
        return {
            "running": self.hub.running,
            "paused": self.hub.book.paused(tenant),
            "waiting": self.hub.book.waiting(tenant),
            "dropped": self.hub.book.dropped(tenant),
            "capacity": self.hub.book.capacity,
            "retryScale": self.hub.settings.webhook_retry_scale,
            "timeoutSeconds": self.hub.settings.webhook_timeout,
        }

    async def get_status(self, request: Request) -> Response:
        return json_body(self._status(self.access.tenant(request)))

    async def pause(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        self.hub.pause(tenant)
        return json_body(self._status(tenant))

    async def resume(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        self.hub.resume(tenant)
        return json_body(self._status(tenant))

    async def flush(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        timeout = _seconds(request.query_params.get("timeout"))
        drained = await self.hub.flush(tenant, timeout)
        return json_body({"drained": drained, **self._status(tenant)})

    async def list_deliveries(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        params = QueryParams(request)
        state = params.matching("state", _STATE, "one of " + ", ".join(s.value for s in DeliveryState))
        which = DeliveryFilter(
            consumer_id=params.text("webhookId"),
            event_type=params.text("eventType"),
            event_id=params.text("eventId"),
            state=DeliveryState(state) if state is not None else None,
            company_id=params.text("companyId"),
            connection_id=params.text("connectionId"),
        )
        limit = params.integer("limit", 1, 1_000_000)
        params.check()
        found = self.hub.book.deliveries(tenant, which)
        if limit is not None:
            found = found[-limit:]
        return json_body(
            {
                "total": len(found),
                "dropped": self.hub.book.dropped(tenant),
                "deliveries": [delivery_body(d) for d in found],
            }
        )

    async def replay(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        delivery_id = request.path_params["deliveryId"]
        again = self.hub.replay(tenant, delivery_id)
        if again is None:
            raise DeliveryNotFound(delivery_id)
        return json_body(delivery_body(again), status_code=202)

    async def get_secret(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        consumer = self.hub.consumers.get(tenant, request.path_params["webhookId"])
        return json_body({"secret": consumer.secret})


W = "/_mock/webhooks"


def webhook_control_routes(hub: WebhookHub, access: Access) -> list[BaseRoute]:
    h = WebhookControlHandlers(hub, access)
    return [
        Route(W, h.get_status, methods=["GET"], name="mock-get-webhooks"),
        Route(f"{W}/pause", h.pause, methods=["POST"], name="mock-pause-webhooks"),
        Route(f"{W}/resume", h.resume, methods=["POST"], name="mock-resume-webhooks"),
        Route(f"{W}/flush", h.flush, methods=["POST"], name="mock-flush-webhooks"),
        Route(f"{W}/deliveries", h.list_deliveries, methods=["GET"], name="mock-list-webhook-deliveries"),
        Route(f"{W}/deliveries/{{deliveryId}}/replay", h.replay, methods=["POST"], name="mock-replay-webhook-delivery"),
        Route(f"{W}/consumers/{{webhookId}}/secret", h.get_secret, methods=["GET"], name="mock-get-webhook-secret"),
    ]

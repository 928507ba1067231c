"""Webhook consumers (`client.webhooks`) and `verify_webhook` for the receiving end.

```python
consumer = codat.webhooks.create(url="https://my-app.example/codat", event_types=["connection.connected"])

# in the receiver, with the consumer's signing secret (`whsec_...`):
event = verify_webhook(secret, request.headers, await request.body())
```
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from pydantic import Field

from ._base import Operation, no_result, segment, wire_decoder
from ._exceptions import WebhookVerificationError
from ._models import _StrList, _WireModel

__all__ = [
    "AsyncWebhooks",
    "WebhookConsumer",
    "WebhookConsumers",
    "Webhooks",
    "verify_webhook",
]

T = TypeVar("T")

#: Receivers refuse timestamps further than this from their own clock (Standard Webhooks' default).
TOLERANCE_SECONDS = 5 * 60


class WebhookConsumer(_WireModel):
    """A URL subscribed to Codat's events (`eventTypes`), optionally only for companies with `companyTags`."""

    id: str
    url: str
    event_types: _StrList = Field(default_factory=list)
    disabled: bool | None = False
    company_tags: list[str] | None = None


class WebhookConsumers(_WireModel):
    """The body of list-webhook-consumers: `{"results": [...]}`."""

    results: list[WebhookConsumer] = Field(default_factory=list)


class _Sender(Protocol):
    def _request(self, operation: Operation[T]) -> T: ...


class _AsyncSender(Protocol):
    async def _request(self, operation: Operation[T]) -> T: ...


_read_consumer = wire_decoder(WebhookConsumer)
_read_consumers = wire_decoder(WebhookConsumers)


def _list_consumers() -> Operation[WebhookConsumers]:
    return Operation("list-webhook-consumers", "GET", "/webhooks", _read_consumers)


def _create_consumer(
    url: str, event_types: Sequence[str] | None, company_tags: Sequence[str] | None, disabled: bool | None
) -> Operation[WebhookConsumer]:
    body: dict[str, object] = {"url": url}
    if event_types is not None:
        body["eventTypes"] = list(event_types)
    if company_tags is not None:
        body["companyTags"] = list(company_tags)
    if disabled is not None:
        body["disabled"] = disabled
    return Operation("create-webhook-consumer", "POST", "/webhooks", _read_consumer, body=body)


def _delete_consumer(webhook_id: str) -> Operation[None]:
    return no_result("delete-webhook-consumer", "DELETE", f"/webhooks/{segment(webhook_id, 'webhook_id')}")


class Webhooks:
    """list-webhook-consumers, create-webhook-consumer, delete-webhook-consumer."""

    def __init__(self, client: _Sender) -> None:
        self._client = client

    def list(self) -> WebhookConsumers:
        """Every consumer of the API key (`.results`), at most 50, oldest first."""
        return self._client._request(_list_consumers())

    def create(
        self,
        *,
        url: str,
        event_types: Sequence[str] | None = None,
        company_tags: Sequence[str] | None = None,
        disabled: bool | None = None,
    ) -> WebhookConsumer:
        return self._client._request(_create_consumer(url, event_types, company_tags, disabled))

    def delete(self, webhook_id: str) -> None:
        self._client._request(_delete_consumer(webhook_id))


class AsyncWebhooks:
    """The async twin of `Webhooks`."""

    def __init__(self, client: _AsyncSender) -> None:
        self._client = client

    async def list(self) -> WebhookConsumers:
        """Every consumer of the API key (`.results`), at most 50, oldest first."""
        return await self._client._request(_list_consumers())

    async def create(
        self,
        *,
        url: str,
        event_types: Sequence[str] | None = None,
        company_tags: Sequence[str] | None = None,
        disabled: bool | None = None,
    ) -> WebhookConsumer:
        return await self._client._request(_create_consumer(url, event_types, company_tags, disabled))

    async def delete(self, webhook_id: str) -> None:
        await self._client._request(_delete_consumer(webhook_id))


# --- the receiving end ---------------------------------------------------------------------------------------


def verify_webhook(
    secret: str, headers: Mapping[str, str], body: bytes | str, *, now: float | None = None
) -> dict[str, Any]:
    """The webhook's JSON body, after checking it was signed with `secret` (Standard Webhooks).

    `headers` are the request's headers (any case); `body` the raw body, exactly as received. Raises
    WebhookVerificationError when a header is missing, the timestamp is more than five minutes from `now`
    (default: the current time), or no `v1` signature matches.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        message_id = lowered["webhook-id"]
        timestamp_text = lowered["webhook-timestamp"]
        signatures = lowered["webhook-signature"]
    except KeyError as missing:
        raise WebhookVerificationError(f"the {missing.args[0]} header is missing") from None
    try:
        timestamp = int(timestamp_text)
    except ValueError:
        raise WebhookVerificationError(f"webhook-timestamp is not a Unix time: {timestamp_text!r}") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > TOLERANCE_SECONDS:
        raise WebhookVerificationError("webhook-timestamp is more than five minutes from now (a replay?)")
    try:
        key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError("the secret is not `whsec_` followed by base64") from None
    raw = body.encode("utf-8") if isinstance(body, str) else body
    signed = f"{message_id}.{timestamp}.".encode() + raw
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            parsed: dict[str, Any] = json.loads(raw)
            return parsed
    raise WebhookVerificationError("no webhook-signature matches the body and secret")

"""`sdk_stub`'s webhook operations against the emulator in-process, and `verify_webhook` against both the
emulator's real deliveries and the independent `standardwebhooks` signer."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import httpx
import pytest
from api_helpers import basic
from standardwebhooks import Webhook
from webhook_helpers import flush, running_emulator

from mock_server.app import create_app
from mock_server.testing import WebhookReceiver
from sdk_stub import AsyncCodatClient, CodatClient, NotFoundError, WebhookVerificationError, verify_webhook

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_consumer_operations_and_verifying_a_real_delivery() -> None:
    with (
        WebhookReceiver() as receiver,
        running_emulator() as http,
        CodatClient("stub-webhooks", http_client=http) as codat,
    ):
        consumer = codat.webhooks.create(url=receiver.url, event_types=["company.created"])
        assert consumer.event_types == ["company.created"] and consumer.disabled is False
        assert [c.id for c in codat.webhooks.list().results] == [consumer.id]
        codat.companies.create(name="Verified Ltd")
        flush(http, basic("stub-webhooks"))
        secret = http.get(f"/_mock/webhooks/consumers/{consumer.id}/secret", headers=basic("stub-webhooks")).json()[
            "secret"
        ]
        [webhook] = receiver.received
        event = verify_webhook(secret, webhook.headers, webhook.raw)
        assert event["eventType"] == "company.created" and event["payload"]["name"] == "Verified Ltd"
        with pytest.raises(WebhookVerificationError):
            verify_webhook(SECRET, webhook.headers, webhook.raw)  # another secret
        with pytest.raises(WebhookVerificationError):
            verify_webhook(secret, webhook.headers, webhook.raw.replace(b"Verified", b"Forged!!"))
        codat.webhooks.delete(consumer.id)
        assert codat.webhooks.list().results == []
        with pytest.raises(NotFoundError):
            codat.webhooks.delete(consumer.id)


@pytest.mark.anyio
async def test_async_twin() -> None:
    transport = httpx.ASGITransport(create_app())
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://test") as http,
        AsyncCodatClient("stub-async", http_client=http) as codat,
    ):
        made = await codat.webhooks.create(url="https://app.example/hook", company_tags=["a:b"], disabled=True)
        assert made.company_tags == ["a:b"] and made.disabled is True
        assert [c.id for c in (await codat.webhooks.list()).results] == [made.id]
        await codat.webhooks.delete(made.id)
        assert (await codat.webhooks.list()).results == []


def test_verify_webhook_agrees_with_standardwebhooks() -> None:
    body = json.dumps({"eventType": "company.created", "payload": {"id": "x"}}).encode()
    now = time.time()
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(int(now))}
    headers["webhook-signature"] = Webhook(SECRET).sign("msg_1", datetime.fromtimestamp(int(now), UTC), body.decode())
    assert verify_webhook(SECRET, headers, body)["eventType"] == "company.created"
    rotated = {**headers, "webhook-signature": "v1,bm90IGl0 " + headers["webhook-signature"]}
    assert verify_webhook(SECRET, rotated, body)["payload"] == {"id": "x"}  # any one of several matches
    with pytest.raises(WebhookVerificationError, match="five minutes"):
        verify_webhook(SECRET, headers, body, now=now + 600)
    with pytest.raises(WebhookVerificationError, match="webhook-id"):
        verify_webhook(SECRET, {k: v for k, v in headers.items() if k != "webhook-id"}, body)
    with pytest.raises(WebhookVerificationError, match="whsec_"):
        verify_webhook("whsec_***", headers, body)

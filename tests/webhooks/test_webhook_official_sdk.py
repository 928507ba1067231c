"""The acceptance path with Codat's own SDK against a live `codat-mock serve`: register a consumer with
`codat-platform`, link a connection through the Link page as a browser would, and receive a signed
`connection.connected` that the independent `standardwebhooks` verifies and the SDK's own model parses.
"""

from __future__ import annotations

import base64
import uuid

import httpx
import pytest
from codat_platform.models.shared.connectionwebhook import ConnectionWebhook
from codat_platform.models.shared.security import Security
from codat_platform.sdk import CodatPlatform
from codat_platform.utils.retries import RetryConfig
from standardwebhooks import Webhook

from mock_server.testing import LiveServer, WebhookReceiver

pytestmark = pytest.mark.filterwarnings("error")


def test_register_with_the_official_sdk_link_in_the_browser_receive_a_signed_webhook() -> None:
    key = f"sdk-webhooks-{uuid.uuid4().hex}"
    auth = "Basic " + base64.b64encode(key.encode()).decode()
    with WebhookReceiver() as receiver, LiveServer(["--webhook-retry-scale", "0.001"]) as server:
        sdk = CodatPlatform(
            security=Security(auth_header=auth),
            server_url=server.url,
            retry_config=RetryConfig(strategy="none"),
            timeout_ms=10_000,
        )
        consumer = sdk.webhooks.create_consumer(
            request={"url": receiver.url, "event_types": ["connection.connected"], "company_tags": ["region:uk"]}
        )
        assert consumer.url == receiver.url and consumer.event_types == ["connection.connected"]
        assert consumer.disabled is False and consumer.company_tags == ["region:uk"]
        listed = sdk.webhooks.list_consumers()
        assert [c.id for c in listed.results] == [consumer.id]

        company = sdk.companies.create(request={"name": "Bank of Dave", "tags": {"region": "uk"}})
        connection = sdk.connections.create(
            request={"company_id": company.id, "request_body": {"platform_key": "qhyg"}}
        )
        # The Link page's Authorize button, as a browser posts it.
        clicked = httpx.post(connection.link_url, data={"action": "authorize"}, follow_redirects=False, timeout=10)
        assert clicked.status_code in (200, 303), clicked.text

        received = receiver.wait_for("connection.connected", timeout=20)
        with httpx.Client(base_url=server.url, headers={"Authorization": auth}, timeout=10) as http:
            secret = http.get(f"/_mock/webhooks/consumers/{consumer.id}/secret").json()["secret"]
            assert http.get("/_mock/webhooks").json()["retryScale"] == 0.001  # the flag reached the sender
        verified = Webhook(secret).verify(received.raw, dict(received.headers))
        parsed = ConnectionWebhook.model_validate(verified)
        assert parsed.payload.connection.id == connection.id
        assert parsed.payload.connection.status.value == "Linked"
        assert parsed.payload.reference_company.id == company.id

        sdk.webhooks.delete_consumer(request={"webhook_id": consumer.id})
        assert sdk.webhooks.list_consumers().results == []

"""The function fixture `codat_webhooks`: a loopback receiver subscribed to every event of the test's tenant."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .tenant import CodatMock
    from .webhooks import CodatWebhooks


@pytest.fixture
def codat_webhooks(codat_mock: CodatMock) -> Iterator[CodatWebhooks]:
    """A receiver on 127.0.0.1 registered (through `POST /webhooks`) for all of this tenant's events, with
    `wait_for(event_type, timeout=...)`, `.secret` to verify signatures, and `.receiver.received`."""
    from mock_server.testing.webhook_receiver import WebhookReceiver

    from .webhooks import CodatWebhooks

    with WebhookReceiver() as receiver:
        webhooks = CodatWebhooks(codat_mock, receiver)
        webhooks.subscribe()
        yield webhooks

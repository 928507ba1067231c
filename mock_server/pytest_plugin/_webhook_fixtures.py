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
    """A receiver on 127.0.0.1 registered (through `POST /webhooks`) for all of this tenant's events (the
    opt-in Bill Pay `{dataType}.write.successful` ones too), with
    `wait_for(event_type, timeout=...)`, `.secret` to verify signatures, and `.receiver.received`."""
    from mock_server.domain.events import EventType
    from mock_server.testing.webhook_receiver import WebhookReceiver

    from .webhooks import CodatWebhooks

    with WebhookReceiver() as receiver:
        webhooks = CodatWebhooks(codat_mock, receiver)
        # Every type by name, rather than no eventTypes: the Bill Pay write events are opt-in (they go only
        # to consumers that name them), and a test's receiver should see everything the emulator sends.
        webhooks.subscribe([event_type.value for event_type in EventType])
        yield webhooks

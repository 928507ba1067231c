"""`CodatWebhooks`: a loopback receiver subscribed to one test's tenant, and a `wait_for` that needs no sleep.

Deliveries leave the emulator off the request path. In-process, the emulator's event loop runs only while a
request is being served, so waiting on the receiver alone could wait for a sender that never gets to run;
`wait_for` therefore first asks the control plane to flush the tenant's queue (`POST /_mock/webhooks/flush`),
which delivers everything due, in every mode, and then reads what arrived.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_server.testing.webhook_receiver import ReceivedWebhook, WebhookReceiver

    from .tenant import CodatMock

__all__ = ["CodatWebhooks"]


class CodatWebhooks:
    """What the `codat_webhooks` fixture yields: `.receiver`, `.url`, `.consumer`, `.secret`, `wait_for`."""

    def __init__(self, tenant: CodatMock, receiver: WebhookReceiver) -> None:
        self.tenant = tenant
        self.receiver = receiver
        self.consumer: dict[str, Any] = {}
        self.secret = ""

    @property
    def url(self) -> str:
        return self.receiver.url

    def subscribe(self, event_types: Sequence[str] | None = None, company_tags: Sequence[str] | None = None) -> str:
        """Register the receiver as a consumer of this tenant (through Codat's own API); its id.

        The fixture has already subscribed it to every event type by name (so the opt-in Bill Pay write
        events too); call this for a second, narrower consumer. No `event_types` means Codat's "every
        event", which leaves the opt-in ones out.
        """
        body: dict[str, Any] = {"url": self.url}
        if event_types is not None:
            body["eventTypes"] = list(event_types)
        if company_tags is not None:
            body["companyTags"] = list(company_tags)
        response = self.tenant.http.post("/webhooks", json=body)
        response.raise_for_status()
        consumer: dict[str, Any] = response.json()
        if not self.consumer:
            self.consumer = consumer
            secret = self.tenant.http.get(f"/_mock/webhooks/consumers/{consumer['id']}/secret")
            secret.raise_for_status()
            self.secret = str(secret.json()["secret"])
        return str(consumer["id"])

    def flush(self, timeout: float = 10.0) -> None:
        """Deliver everything the tenant has queued, waiting up to `timeout` seconds."""
        response = self.tenant.http.post("/_mock/webhooks/flush", params={"timeout": f"{timeout:g}"})
        response.raise_for_status()

    def wait_for(
        self,
        event_type: str,
        timeout: float = 10.0,
        *,
        where: Callable[[ReceivedWebhook], bool] | None = None,
        count: int = 1,
    ) -> ReceivedWebhook:
        """The `count`-th webhook of `event_type` received (matching `where`); TimeoutError if it never comes."""
        self.flush(timeout)
        return self.receiver.wait_for(event_type, timeout, where=where, count=count)

    def event_types(self) -> list[str | None]:
        """The event types received so far, in arrival order."""
        return self.receiver.event_types()

"""Webhook consumers: what a tenant subscribes, how an event is matched to them, and where they are kept.

A consumer is Codat's "webhook consumer": a URL, the event types it wants and, optionally, company tags
that narrow it to companies carrying at least one of them (`tagKey:tagValue`, case-sensitive, OR-matched).

Choices where Codat's documentation is silent (docs/webhooks.md lists them):

- `eventTypes` may name types the emulator never sends (Codat's own examples use older names such as
  `DataSyncCompleted`); they are kept and shown, and simply never match. Refusing them would break apps
  whose consumer lists are older than the emulator.
- An empty or missing `eventTypes` subscribes to every event type, as a filterless endpoint does in
  Codat's delivery service, except the opt-in Bill Pay write events (`events.WRITE_EVENT_TYPES`), which go
  only to consumers that name them.
- A disabled consumer receives nothing; it still counts toward the limit of 50.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from ..errors import BadRequest, NotFound, ValidationItem
from ..events import WRITE_EVENT_TYPES
from ..models import RequestModel
from ..rules import canonical_id
from .signing import PREFIX, normalise_secret

MAX_CONSUMERS = 50
MAX_COMPANY_TAGS = 10
MAX_COMPANY_TAG_LENGTH = 128
MAX_URL_LENGTH = 2048
MAX_EVENT_TYPES = 100
MAX_EVENT_TYPE_LENGTH = 128
URL_PATTERN = r"^https?://[^\x00-\x20\x7f]+$"
"""The URLs a consumer may have (the same rule as Link's redirect URL); the OpenAPI documents carry it."""
_URL = re.compile(URL_PATTERN[1:-1])


def _url(value: str) -> str:
    if _URL.fullmatch(value) is None:
        raise ValueError("must be an absolute http:// or https:// URL without spaces or control characters")
    return value


def _company_tag(value: str) -> str:
    key, colon, _ = value.partition(":")
    if not colon or not key:
        raise ValueError("a company tag is written `tagKey:tagValue`")
    return value


ConsumerUrl = Annotated[str, StringConstraints(max_length=MAX_URL_LENGTH), AfterValidator(_url)]
# No minimum: Codat's schema has none, and an empty name is kept like any name the emulator never sends.
EventTypeName = Annotated[str, StringConstraints(max_length=MAX_EVENT_TYPE_LENGTH)]
CompanyTag = Annotated[str, StringConstraints(max_length=MAX_COMPANY_TAG_LENGTH), AfterValidator(_company_tag)]


def _uuid(value: str) -> str:
    canonical = canonical_id(value)
    if canonical is None:
        raise ValueError("must be a hyphenated UUID")
    return canonical


def _secret(value: str) -> str:
    if not value.startswith(PREFIX):
        raise ValueError(f"must start with {PREFIX}")
    return normalise_secret(value)


class ConsumerCreate(RequestModel):
    """Body of create-webhook-consumer."""

    url: ConsumerUrl
    event_types: Annotated[list[EventTypeName], Field(max_length=MAX_EVENT_TYPES)] | None = None
    company_tags: Annotated[list[CompanyTag], Field(max_length=MAX_COMPANY_TAGS)] | None = None
    disabled: bool | None = None


class ConsumerDocument(RequestModel):
    """A consumer in an exported tenant document: everything it is, its signing secret included."""

    id: Annotated[str, AfterValidator(_uuid)]
    url: ConsumerUrl
    event_types: Annotated[list[EventTypeName], Field(max_length=MAX_EVENT_TYPES)] = Field(default_factory=list)
    company_tags: Annotated[list[CompanyTag], Field(max_length=MAX_COMPANY_TAGS)] | None = None
    disabled: bool = False
    secret: Annotated[str, AfterValidator(_secret)]


@dataclass(frozen=True, slots=True)
class Consumer:
    id: str
    url: str
    event_types: tuple[str, ...]
    company_tags: tuple[str, ...] | None
    disabled: bool
    secret: str

    def wants(self, event_type: str, company_tags: Mapping[str, str]) -> bool:
        """Whether an event of `event_type` about a company tagged `company_tags` goes to this consumer."""
        if self.disabled:
            return False
        if self.event_types and event_type not in self.event_types:
            return False
        if not self.event_types and event_type in WRITE_EVENT_TYPES:
            return False  # opt-in: "every event" does not include them
        if self.company_tags:
            # Compared as text, so a tag whose key or value holds ':' still matches how it was written.
            return any(f"{key}:{value}" in self.company_tags for key, value in company_tags.items())
        return True

    def wire(self) -> dict[str, object]:
        """The WebhookConsumer body the API answers (the secret is never in it)."""
        body: dict[str, object] = {
            "id": self.id,
            "url": self.url,
            "eventTypes": list(self.event_types),
            "disabled": self.disabled,
        }
        if self.company_tags is not None:
            body["companyTags"] = list(self.company_tags)
        return body

    def document(self) -> ConsumerDocument:
        return ConsumerDocument.model_validate(
            {
                "id": self.id,
                "url": self.url,
                "eventTypes": list(self.event_types),
                "companyTags": list(self.company_tags) if self.company_tags is not None else None,
                "disabled": self.disabled,
                "secret": self.secret,
            }
        )

    @classmethod
    def from_document(cls, document: ConsumerDocument) -> Consumer:
        return cls(
            id=document.id,
            url=document.url,
            event_types=tuple(document.event_types),
            company_tags=tuple(document.company_tags) if document.company_tags is not None else None,
            disabled=document.disabled,
            secret=document.secret,
        )


class ConsumerNotFound(NotFound):
    def __init__(self, webhook_id: str) -> None:
        super().__init__(f"No webhook consumer was found with ID {webhook_id}")
        self.webhook_id = webhook_id


class TooManyConsumers(BadRequest):
    def __init__(self) -> None:
        message = f"A client can have at most {MAX_CONSUMERS} webhook consumers; delete one before creating another."
        super().__init__(message, validation=(ValidationItem("url", message, "WebhookConsumerLimit"),))


class ConsumerBook:
    """Every tenant's consumers, oldest first. Thread-safe: events arrive on whatever thread wrote the store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tenants: dict[str, dict[str, Consumer]] = {}

    def add(self, tenant: str, body: ConsumerCreate, *, consumer_id: str, secret: str) -> Consumer:
        consumer = Consumer(
            id=consumer_id,
            url=body.url,
            event_types=tuple(body.event_types or ()),
            company_tags=tuple(body.company_tags) if body.company_tags is not None else None,
            disabled=bool(body.disabled),
            secret=secret,
        )
        with self._lock:
            consumers = self._tenants.setdefault(tenant, {})
            if len(consumers) >= MAX_CONSUMERS:
                raise TooManyConsumers()
            consumers[consumer.id] = consumer
        return consumer

    def of(self, tenant: str) -> list[Consumer]:
        with self._lock:
            return list(self._tenants.get(tenant, {}).values())

    def get(self, tenant: str, webhook_id: str) -> Consumer:
        key = canonical_id(webhook_id)
        with self._lock:
            consumer = self._tenants.get(tenant, {}).get(key) if key is not None else None
        if consumer is None:
            raise ConsumerNotFound(webhook_id)
        return consumer

    def delete(self, tenant: str, webhook_id: str) -> Consumer:
        key = canonical_id(webhook_id)
        with self._lock:
            consumer = self._tenants.get(tenant, {}).pop(key, None) if key is not None else None
        if consumer is None:
            raise ConsumerNotFound(webhook_id)
        return consumer

    def replace(self, tenant: str, consumers: list[Consumer]) -> None:
        """The tenant's consumers become exactly `consumers` (an import)."""
        with self._lock:
            if consumers:
                self._tenants[tenant] = {c.id: c for c in consumers}
            else:
                self._tenants.pop(tenant, None)

    def reset(self, tenant: str | None = None) -> None:
        with self._lock:
            if tenant is None:
                self._tenants.clear()
            else:
                self._tenants.pop(tenant, None)

"""Domain events: what happened to a company or connection, for webhooks and the journal.

Event types are Codat's webhook names, so the webhook sender can forward them as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .enums import ConnectionStatus
from .records import CompanyRecord, ConnectionRecord


class EventType(StrEnum):
    COMPANY_CREATED = "company.created"
    COMPANY_DELETED = "company.deleted"
    CONNECTION_CREATED = "connection.created"
    CONNECTION_CONNECTED = "connection.connected"
    CONNECTION_FAILED = "connection.failed"
    CONNECTION_DISCONNECTED = "connection.disconnected"
    CONNECTION_RECONNECTED = "connection.reconnected"
    CONNECTION_DELETED = "connection.deleted"
    # Bill Pay writes, in Codat's `{dataType}.write.successful` form (docs/payables.md, "Events").
    BILLS_WRITE_SUCCESSFUL = "bills.write.successful"
    BILL_PAYMENTS_WRITE_SUCCESSFUL = "billPayments.write.successful"
    SUPPLIERS_WRITE_SUCCESSFUL = "suppliers.write.successful"
    BANK_ACCOUNTS_WRITE_SUCCESSFUL = "bankAccounts.write.successful"


WRITE_EVENT_TYPES = frozenset(
    {
        EventType.BILLS_WRITE_SUCCESSFUL,
        EventType.BILL_PAYMENTS_WRITE_SUCCESSFUL,
        EventType.SUPPLIERS_WRITE_SUCCESSFUL,
        EventType.BANK_ACCOUNTS_WRITE_SUCCESSFUL,
    }
)
"""Opt-in event types: delivered only to consumers whose `eventTypes` name them (docs/webhooks.md).

Codat documents `{dataType}.write.successful` for its write requests but is silent on whether the
synchronous Bill Pay operations fire it, so a consumer that asked for "every event" is not sent them.
"""


@dataclass(frozen=True, slots=True)
class WriteRecord:
    """What a successful Bill Pay write did: the data type, Codat's operation type and the record written."""

    data_type: str  # bills | billPayments | suppliers | bankAccounts
    operation: str  # Create | Update | UploadAttachment
    record_id: str
    request_id: str = ""  # the write request's id (Codat's push operation id); the payload's `id`
    attachment_id: str | None = None  # UploadAttachment only


@dataclass(frozen=True, slots=True)
class DomainEvent:
    id: str
    type: EventType
    tenant: str
    occurred_at: datetime
    company: CompanyRecord
    connection: ConnectionRecord | None = None
    previous_status: ConnectionStatus | None = None
    write: WriteRecord | None = None


EventListener = Callable[[DomainEvent], None]

"""Domain events → the JSON envelopes Codat sends: `{id, eventType, generatedDate, payload}`.

`company.*` events carry the company's details directly as the payload (no connections). `connection.*`
events carry `referenceCompany` (id, name, description, links, tags) and the whole connection as the API
renders it. `{dataType}.write.successful` events (Bill Pay writes) carry Codat's write-request payload:
the request's id and type, `referenceCompany` (id, name, description), `connectionId`, when it was requested
and completed, `status: "Success"`, the written `record: {id}` and `attachmentId` (null unless an attachment
was uploaded). The envelope `id` is the event's id; it is also the `webhook-id` of every delivery attempt.
"""

from __future__ import annotations

import json
from typing import Any

from ..events import DomainEvent, WriteRecord
from ..records import CompanyRecord
from ..timestamps import format_timestamp
from ..views import LinkUrls, company_view, connection_view

# The fields of Codat's company details (a company without its connections).
_COMPANY_DETAILS = ("id", "name", "description", "redirect", "lastSync", "created", "tags")


def company_details(company: CompanyRecord, urls: LinkUrls) -> dict[str, Any]:
    full = company_view(company, urls).model_dump(mode="json", by_alias=True, exclude_unset=True)
    return {name: full[name] for name in _COMPANY_DETAILS if name in full}


def reference_company(company: CompanyRecord, urls: LinkUrls) -> dict[str, Any]:
    # The emulator has no portal; the company's Link page is its nearest equivalent, and a URL that works.
    return {
        "id": company.id,
        "name": company.name,
        "description": company.description,
        "links": {"portal": urls.company(company.id)},
        "tags": dict(company.tags),
    }


def write_payload(event: DomainEvent, write: WriteRecord) -> dict[str, Any]:
    """Codat's payload of a `{dataType}.write.successful` event.

    The synchronous Bill Pay operations finish within the request, so the write was requested and completed
    at the same moment (the event's), and it always succeeded: a refused write emits nothing.
    """
    at = format_timestamp(event.occurred_at)
    return {
        "id": write.request_id or event.id,
        "type": write.operation,
        "referenceCompany": {
            "id": event.company.id,
            "name": event.company.name,
            "description": event.company.description,
        },
        "connectionId": event.connection.id if event.connection is not None else None,
        "requestedOnDate": at,
        "completedOnDate": at,
        "status": "Success",
        "record": {"id": write.record_id},
        "attachmentId": write.attachment_id,
    }


def envelope(event: DomainEvent, urls: LinkUrls) -> dict[str, Any]:
    payload: dict[str, Any]
    if event.write is not None:
        payload = write_payload(event, event.write)
    elif event.connection is None:
        payload = company_details(event.company, urls)
    else:
        payload = {
            "referenceCompany": reference_company(event.company, urls),
            "connection": connection_view(event.connection, urls).model_dump(
                mode="json", by_alias=True, exclude_unset=True
            ),
        }
    return {
        "id": event.id,
        "eventType": event.type.value,
        "generatedDate": format_timestamp(event.occurred_at),
        "payload": payload,
    }


def envelope_bytes(event: DomainEvent, urls: LinkUrls) -> bytes:
    """The exact body every attempt sends (signatures cover these bytes)."""
    return json.dumps(envelope(event, urls), separators=(",", ":"), ensure_ascii=False).encode("utf-8")

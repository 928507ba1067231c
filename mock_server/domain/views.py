"""Records → wire shapes. The only place that decides which fields a response carries.

Two renderings of the same decision: `*_view` builds the pydantic wire models (the control plane and tests
use them), `*_wire` builds the JSON-ready dicts the API's hot path serialises directly, without building
models of records that are valid by construction. tests/domain/test_views.py holds the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import Company, Connection, DataConnectionError
from .records import CompanyRecord, ConnectionErrorRecord, ConnectionRecord
from .timestamps import format_timestamp


@dataclass(frozen=True, slots=True)
class LinkUrls:
    """Builds the Link URLs the API hands out, on the emulator's own public URL."""

    public_url: str

    def company(self, company_id: str) -> str:
        return f"{self.public_url}/link/company/{company_id}"

    def connection(self, company_id: str, connection_id: str) -> str:
        return f"{self.public_url}/link/companies/{company_id}/connections/{connection_id}/start"


def connection_view(record: ConnectionRecord, urls: LinkUrls) -> Connection:
    integration = record.integration
    fields: dict[str, object] = {
        "id": record.id,
        "integration_id": integration.integration_id,
        "integration_key": integration.key,
        "source_id": integration.source_id,
        "source_type": integration.source_type,
        "platform_name": integration.name,
        "link_url": urls.connection(record.company_id, record.id),
        "status": record.status,
        "created": record.created,
    }
    if record.last_sync is not None:
        fields["last_sync"] = record.last_sync
    if record.errors:
        fields["data_connection_errors"] = [_error_view(e) for e in record.errors]
    # model_construct: the record is already valid, and it keeps "fields not passed" unset (so omitted).
    return Connection.model_construct(**fields)  # type: ignore[arg-type]


def _error_view(record: ConnectionErrorRecord) -> DataConnectionError:
    fields: dict[str, object] = {
        "status_code": record.status_code,
        "status_text": record.status_text,
        "error_message": record.error_message,
        "errored_on_utc": record.errored_on,
        "status": record.status,
    }
    if record.resolved_on is not None:
        fields["resolved_on_utc"] = record.resolved_on
    return DataConnectionError.model_construct(**fields)  # type: ignore[arg-type]


def company_view(record: CompanyRecord, urls: LinkUrls) -> Company:
    fields: dict[str, object] = {
        "id": record.id,
        "name": record.name,
        "description": record.description,
        "redirect": urls.company(record.id),
        "created": record.created,
        "created_by_user_name": None,
        "products": [],
        "tags": dict(record.tags),
        "reference_subsidiary_companies": [],
        "data_connections": [connection_view(c, urls) for c in record.connections],
    }
    if record.last_sync is not None:
        fields["last_sync"] = record.last_sync
    return Company.model_construct(**fields)  # type: ignore[arg-type]


def connection_wire(record: ConnectionRecord, urls: LinkUrls) -> dict[str, Any]:
    """`connection_view` as the JSON object itself (camelCase keys, formatted timestamps)."""
    integration = record.integration
    wire: dict[str, Any] = {
        "id": record.id,
        "integrationId": integration.integration_id,
        "integrationKey": integration.key,
        "sourceId": integration.source_id,
        "sourceType": integration.source_type.value,
        "platformName": integration.name,
        "linkUrl": urls.connection(record.company_id, record.id),
        "status": record.status.value,
        "created": format_timestamp(record.created),
    }
    if record.last_sync is not None:
        wire["lastSync"] = format_timestamp(record.last_sync)
    if record.errors:
        wire["dataConnectionErrors"] = [_error_wire(e) for e in record.errors]
    return wire


def _error_wire(record: ConnectionErrorRecord) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "statusCode": record.status_code,
        "statusText": record.status_text,
        "errorMessage": record.error_message,
        "erroredOnUtc": format_timestamp(record.errored_on),
        "status": record.status,
    }
    if record.resolved_on is not None:
        wire["resolvedOnUtc"] = format_timestamp(record.resolved_on)
    return wire


def company_wire(record: CompanyRecord, urls: LinkUrls) -> dict[str, Any]:
    """`company_view` as the JSON object itself (camelCase keys, formatted timestamps)."""
    wire: dict[str, Any] = {
        "id": record.id,
        "name": record.name,
        "description": record.description,
        "redirect": urls.company(record.id),
        "created": format_timestamp(record.created),
        "createdByUserName": None,
        "products": [],
        "tags": dict(record.tags),
        "referenceSubsidiaryCompanies": [],
        "dataConnections": [connection_wire(c, urls) for c in record.connections],
    }
    if record.last_sync is not None:
        wire["lastSync"] = format_timestamp(record.last_sync)
    return wire

"""Records → wire models. The only place that decides which fields a response carries."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Company, Connection, DataConnectionError
from .records import CompanyRecord, ConnectionErrorRecord, ConnectionRecord


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

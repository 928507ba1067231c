"""What the store holds: immutable records, replaced (never mutated) on every change.

Copy-on-write keeps readers lock-free and consistent: a handler rendering a company sees one version of
it even if a test thread changes it at the same moment. Slotted dataclasses rather than pydantic models
because the store may hold 100 000 companies (pydantic instances cost about three times the memory).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .enums import ConnectionStatus, SourceType
from .models import Integration


@dataclass(frozen=True, slots=True)
class ConnectionErrorRecord:
    """One `dataConnectionErrors` entry: a failed Link attempt or a revoked authorization."""

    status_code: str
    status_text: str
    error_message: str
    errored_on: datetime
    status: str = "Active"
    resolved_on: datetime | None = None


@dataclass(frozen=True, slots=True)
class ConnectionRecord:
    id: str
    company_id: str
    integration: Integration
    status: ConnectionStatus
    created: datetime
    status_changed: datetime
    errors: tuple[ConnectionErrorRecord, ...] = ()
    last_sync: datetime | None = None

    @property
    def source_type(self) -> SourceType:
        return self.integration.source_type


@dataclass(frozen=True, slots=True)
class CompanyRecord:
    id: str
    name: str
    description: str
    created: datetime
    tags: Mapping[str, str] = field(default_factory=dict)
    connections: tuple[ConnectionRecord, ...] = ()
    last_sync: datetime | None = None

    def connection(self, connection_id: str) -> ConnectionRecord | None:
        for conn in self.connections:
            if conn.id == connection_id:
                return conn
        return None

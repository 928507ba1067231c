"""The properties each listing can be queried and ordered by (`query=` / `orderBy=`).

Codat does not publish these lists; these are the scalar fields of each wire shape, under their wire names.
"""

from __future__ import annotations

from operator import attrgetter

from .query import FieldType, QueryCollection, QueryField, QueryTarget

_STRING, _ENUM, _UUID = FieldType.STRING, FieldType.ENUM, FieldType.UUID
_DATETIME, _BOOLEAN = FieldType.DATETIME, FieldType.BOOLEAN


def _field(kind: FieldType, attribute: str) -> QueryField:
    return QueryField(kind, attrgetter(attribute))


CONNECTION_TARGET = QueryTarget(
    "DataConnection",
    {
        "id": _field(_UUID, "id"),
        "integrationId": _field(_UUID, "integration.integration_id"),
        "integrationKey": _field(_STRING, "integration.key"),
        "sourceId": _field(_UUID, "integration.source_id"),
        "sourceType": _field(_ENUM, "integration.source_type"),
        "platformName": _field(_STRING, "integration.name"),
        "status": _field(_ENUM, "status"),
        "created": _field(_DATETIME, "created"),
        "lastSync": _field(_DATETIME, "last_sync"),
    },
)

COMPANY_TARGET = QueryTarget(
    "Company",
    {
        "id": _field(_UUID, "id"),
        "name": _field(_STRING, "name"),
        "description": _field(_STRING, "description"),
        "created": _field(_DATETIME, "created"),
        "lastSync": _field(_DATETIME, "last_sync"),
    },
    {"dataConnections": QueryCollection(CONNECTION_TARGET, attrgetter("connections"))},
)

INTEGRATION_TARGET = QueryTarget(
    "Integration",
    {
        "key": _field(_STRING, "key"),
        "name": _field(_STRING, "name"),
        "enabled": _field(_BOOLEAN, "enabled"),
        "sourceId": _field(_UUID, "source_id"),
        "sourceType": _field(_ENUM, "source_type"),
        "integrationId": _field(_UUID, "integration_id"),
        "isOfflineConnector": _field(_BOOLEAN, "is_offline_connector"),
        "isBeta": _field(_BOOLEAN, "is_beta"),
        "dataProvidedBy": _field(_STRING, "data_provided_by"),
    },
)

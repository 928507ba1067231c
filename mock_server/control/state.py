"""Reset, export and import of a tenant's state, per-tenant settings, and the list of tenants."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..domain.snapshot import (
    TenantDocument,
    consumers_from_document,
    dump_document,
    export_document,
    state_from_document,
)
from ..domain.tenants import TenantSettings, client_id, fingerprint
from ..http.bodies import parse_body
from .access import Access
from .plane import ControlPlane
from .responses import json_body

# A snapshot of many companies is far larger than any API body; this is the import's own limit.
MAX_STATE_BYTES = 64 * 1024 * 1024


class StateHandlers:
    def __init__(self, plane: ControlPlane, access: Access) -> None:
        self.plane = plane
        self.access = access

    async def reset_tenant(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        self.plane.reset_tenant(tenant)
        return json_body({"reset": "tenant", "tenant": fingerprint(tenant)})

    async def reset_all(self, request: Request) -> Response:
        self.access.require_admin(request)
        self.plane.reset_all()
        return json_body({"reset": "all"})

    async def list_tenants(self, request: Request) -> Response:
        self.access.require_admin(request)
        tenants = []
        for tenant in self.plane.store.tenants():
            state = self.plane.store.export_state(tenant)
            tenants.append(
                {
                    "tenant": fingerprint(tenant),
                    "clientId": client_id(tenant),
                    "companies": len(state.companies),
                    "connections": sum(len(c.connections) for c in state.companies),
                    "settings": state.settings.model_dump(mode="json", by_alias=True),
                }
            )
        return json_body({"tenants": tenants})

    async def export_state(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        return Response(dump_document(self._export(tenant)), media_type="application/json")

    def _export(self, tenant: str) -> TenantDocument:
        document = export_document(self.plane.store.export_state(tenant))
        if self.plane.webhooks is not None:
            consumers = self.plane.webhooks.consumers.of(tenant)
            document.webhook_consumers = [consumer.document() for consumer in consumers]
        return document

    async def import_state(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        document = await parse_body(request, TenantDocument, MAX_STATE_BYTES)
        # Everything is checked before anything changes: the document here, other tenants in the store.
        state = state_from_document(document, self.plane.store.catalogue)
        consumers = consumers_from_document(document)
        self.plane.store.import_state(tenant, state)
        if self.plane.webhooks is not None:
            self.plane.webhooks.import_consumers(tenant, consumers)
        return Response(dump_document(self._export(tenant)), media_type="application/json")

    async def get_settings(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        return json_body(self.plane.store.settings(tenant).model_dump(mode="json", by_alias=True))

    async def put_settings(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        settings = await parse_body(request, TenantSettings, self.plane.settings.max_body_bytes)
        self.plane.store.configure(tenant, settings)
        return json_body(settings.model_dump(mode="json", by_alias=True))

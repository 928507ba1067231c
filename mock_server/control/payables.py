"""`POST /_mock/companies/{companyId}/connections/{connectionId}/payables/seed`: a fresh Bill Pay ledger.

The ledger a connection gets on linking is seeded from its id; this replaces it with the one seeded from
the connection id and `seed`, so a test can pick one of many realistic ledgers, or start again from a clean
one after its writes. The answer is the ledger as `GET /_mock/state` exports it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from ..domain.json_types import JsonInt
from ..domain.payables.service import PayablesService
from ..domain.payables.snapshot import ledger_document
from ..http.bodies import parse_body
from .access import Access
from .plane import ControlPlane


class LedgerSeed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)

    seed: JsonInt | None = Field(default=None, ge=0, le=2**63 - 1)


class PayablesControlHandlers:
    def __init__(self, plane: ControlPlane, access: Access) -> None:
        self.plane = plane
        self.access = access
        self.service = PayablesService(plane.store, max_attachment_bytes=plane.settings.payables_attachment_bytes)

    async def seed_ledger(self, request: Request) -> Response:
        tenant = self.access.tenant(request)
        body = await parse_body(request, LedgerSeed, self.plane.settings.max_body_bytes)
        p = request.path_params
        ledger = self.service.seed_ledger(tenant, p["companyId"], p["connectionId"], body.seed)
        text = ledger_document(ledger).model_dump_json(by_alias=True)
        return Response(text, media_type="application/json")

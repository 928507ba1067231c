"""`/_mock/faults`: add, list and delete fault and latency rules, for the caller's tenant or (admin) all."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import NotFound
from ..domain.faults import FaultBook, FaultRule, FaultRuleSpec
from ..domain.tenants import fingerprint
from ..http.bodies import parse_body
from .access import Access
from .plane import ControlPlane
from .responses import json_body


def rule_body(rule: FaultRule) -> dict[str, Any]:
    spec = rule.spec
    effect = FaultBook.decision_for(rule)
    return {
        "id": rule.id,
        "scope": "global" if rule.tenant is None else "tenant",
        "tenant": fingerprint(rule.tenant) if rule.tenant is not None else None,
        "operationId": spec.operation_id,
        "method": spec.method.upper() if spec.method is not None else None,
        "path": spec.path,
        "status": spec.status,
        "message": effect.message if spec.status is not None else None,
        "retryAfter": effect.retry_after,
        "delayMs": spec.delay_ms,
        "count": spec.count,
        "probability": spec.probability,
        "applied": rule.applied,
        "remaining": rule.remaining,
    }


class FaultHandlers:
    def __init__(self, plane: ControlPlane, access: Access) -> None:
        self.plane = plane
        self.access = access

    async def create_fault(self, request: Request) -> Response:
        scope = self.access.scope(request)
        spec = await parse_body(request, FaultRuleSpec, self.plane.settings.max_body_bytes)
        rule = self.plane.faults.add(scope, spec, self.plane.operation_ids)
        return json_body(rule_body(rule), status_code=201)

    async def list_faults(self, request: Request) -> Response:
        scope = self.access.scope(request)
        return json_body({"rules": [rule_body(r) for r in self.plane.faults.rules(scope)]})

    async def delete_fault(self, request: Request) -> Response:
        scope = self.access.scope(request)
        rule_id = request.path_params["ruleId"]
        if not self.plane.faults.delete(rule_id, scope):
            raise NotFound(f"No fault rule was found with ID {rule_id}")
        return json_body({"removed": 1})

    async def clear_faults(self, request: Request) -> Response:
        scope = self.access.scope(request)
        return json_body({"removed": self.plane.faults.clear(scope)})

"""The control plane's route table, under `/_mock`; route names are the operationIds of its OpenAPI document."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from ..http.context import ApiContext
from .access import Access
from .clock import ClockHandlers
from .faults import FaultHandlers
from .journal import JournalHandlers
from .link_actions import LinkActionHandlers
from .payables import PayablesControlHandlers
from .plane import ControlPlane
from .service import ServiceHandlers
from .state import StateHandlers
from .webhooks import webhook_control_routes

P = "/_mock"
CONNECTION = P + "/companies/{companyId}/connections/{connectionId}"


def control_routes(ctx: ApiContext, plane: ControlPlane) -> list[BaseRoute]:
    access = Access(plane.settings.admin_token)
    service = ServiceHandlers(plane)
    state = StateHandlers(plane, access)
    clock = ClockHandlers(plane, access)
    link = LinkActionHandlers(ctx, plane, access)
    journal = JournalHandlers(plane, access)
    faults = FaultHandlers(plane, access)
    return [
        Route(f"{P}/health", service.health, methods=["GET"], name="mock-health"),
        Route(f"{P}/ready", service.ready, methods=["GET"], name="mock-ready"),
        Route(f"{P}/openapi.json", service.openapi, methods=["GET"], name="mock-openapi"),
        Route(f"{P}/reset", state.reset_tenant, methods=["POST"], name="mock-reset-tenant"),
        Route(f"{P}/reset/all", state.reset_all, methods=["POST"], name="mock-reset-all"),
        Route(f"{P}/tenants", state.list_tenants, methods=["GET"], name="mock-list-tenants"),
        Route(f"{P}/state", state.export_state, methods=["GET"], name="mock-export-state"),
        Route(f"{P}/state", state.import_state, methods=["PUT"], name="mock-import-state"),
        Route(f"{P}/settings", state.get_settings, methods=["GET"], name="mock-get-settings"),
        Route(f"{P}/settings", state.put_settings, methods=["PUT"], name="mock-put-settings"),
        Route(f"{P}/clock", clock.get_clock, methods=["GET"], name="mock-get-clock"),
        Route(f"{P}/clock", clock.set_clock, methods=["POST"], name="mock-set-clock"),
        Route(f"{CONNECTION}/authorize", link.authorize, methods=["POST"], name="mock-authorize-connection"),
        Route(f"{CONNECTION}/cancel", link.cancel, methods=["POST"], name="mock-cancel-connection"),
        Route(f"{CONNECTION}/fail", link.fail, methods=["POST"], name="mock-fail-connection"),
        Route(f"{CONNECTION}/deauthorize", link.deauthorize, methods=["POST"], name="mock-deauthorize-connection"),
        Route(
            f"{CONNECTION}/payables/seed",
            PayablesControlHandlers(plane, access).seed_ledger,
            methods=["POST"],
            name="mock-seed-payables",
        ),
        Route(f"{P}/journal", journal.list_journal, methods=["GET"], name="mock-list-journal"),
        Route(f"{P}/journal", journal.clear_journal, methods=["DELETE"], name="mock-clear-journal"),
        Route(f"{P}/faults", faults.list_faults, methods=["GET"], name="mock-list-faults"),
        Route(f"{P}/faults", faults.create_fault, methods=["POST"], name="mock-create-fault"),
        Route(f"{P}/faults", faults.clear_faults, methods=["DELETE"], name="mock-clear-faults"),
        Route(f"{P}/faults/{{ruleId}}", faults.delete_fault, methods=["DELETE"], name="mock-delete-fault"),
        *(webhook_control_routes(plane.webhooks, access) if plane.webhooks is not None else []),
    ]

"""The route table: one Starlette route per Codat operation, named by its operationId."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from .companies import CompanyHandlers
from .connections import ConnectionHandlers
from .context import ApiContext
from .integrations import IntegrationHandlers
from .payables import payables_routes

COMPANY = "/companies/{companyId}"
CONNECTION = "/companies/{companyId}/connections/{connectionId}"


def api_routes(ctx: ApiContext) -> list[BaseRoute]:
    companies = CompanyHandlers(ctx)
    connections = ConnectionHandlers(ctx)
    integrations = IntegrationHandlers(ctx)
    return [
        Route("/companies", companies.list_companies, methods=["GET"], name="list-companies"),
        Route("/companies", companies.create_company, methods=["POST"], name="create-company"),
        Route(COMPANY, companies.get_company, methods=["GET"], name="get-company"),
        Route(COMPANY, companies.replace_company, methods=["PUT"], name="replace-company"),
        Route(COMPANY, companies.update_company, methods=["PATCH"], name="update-company"),
        Route(COMPANY, companies.delete_company, methods=["DELETE"], name="delete-company"),
        Route(f"{COMPANY}/connections", connections.list_connections, methods=["GET"], name="list-connections"),
        Route(f"{COMPANY}/connections", connections.create_connection, methods=["POST"], name="create-connection"),
        Route(CONNECTION, connections.get_connection, methods=["GET"], name="get-connection"),
        Route(CONNECTION, connections.delete_connection, methods=["DELETE"], name="delete-connection"),
        Route(CONNECTION, connections.unlink_connection, methods=["PATCH"], name="unlink-connection"),
        Route(
            f"{CONNECTION}/authorization",
            connections.update_connection_authorization,
            methods=["PUT"],
            name="update-connection-authorization",
        ),
        Route("/integrations", integrations.list_integrations, methods=["GET"], name="list-integrations"),
        Route("/integrations/{platformKey}", integrations.get_integration, methods=["GET"], name="get-integration"),
        *payables_routes(ctx),
    ]

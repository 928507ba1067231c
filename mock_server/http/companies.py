"""Handlers for the company operations (list/create/get/replace/update/delete-company)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..domain.listing import select
from ..domain.models import CompanyCreate, CompanyUpdate
from ..domain.queryable import COMPANY_TARGET
from ..domain.views import company_wire
from .context import ApiContext, list_request, raw_params
from .rendering import page_wire_response, wire_response


class CompanyHandlers:
    def __init__(self, ctx: ApiContext) -> None:
        self.ctx = ctx

    async def list_companies(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        window = select(
            self.ctx.store.company_listing(tenant),
            list_request(request),
            COMPANY_TARGET,
            path=request.url.path,
            params=raw_params(request),
            tags_of=lambda company: company.tags,
            cache=self.ctx.listings,
        )
        urls = self.ctx.urls(request)
        return page_wire_response(window, lambda c: company_wire(c, urls))

    async def create_company(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        parsed = await self.ctx.body(request, tenant, CompanyCreate)
        body = parsed.value
        company = self.ctx.store.create_company(tenant, name=body.name, description=body.description, tags=body.tags)
        return wire_response(company_wire(company, self.ctx.urls(request)), headers=parsed.headers())

    async def get_company(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        company = self.ctx.store.get_company(tenant, request.path_params["companyId"])
        return wire_response(company_wire(company, self.ctx.urls(request)))

    async def replace_company(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        parsed = await self.ctx.body(request, tenant, CompanyCreate)
        body = parsed.value
        company = self.ctx.store.replace_company(
            tenant, request.path_params["companyId"], name=body.name, description=body.description, tags=body.tags
        )
        return wire_response(company_wire(company, self.ctx.urls(request)), headers=parsed.headers())

    async def update_company(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        parsed = await self.ctx.body(request, tenant, CompanyUpdate)
        body = parsed.value
        company = self.ctx.store.update_company(
            tenant, request.path_params["companyId"], name=body.name, description=body.description, tags=body.tags
        )
        return wire_response(company_wire(company, self.ctx.urls(request)), headers=parsed.headers())

    async def delete_company(self, request: Request) -> Response:
        tenant = self.ctx.tenant(request)
        self.ctx.store.delete_company(tenant, request.path_params["companyId"])
        return Response(status_code=204)

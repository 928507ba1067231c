"""Handlers for the Bill Pay operations: parse, call `PayablesService`, render. No rules live here."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import Response

from ...domain.errors import BadRequest, PayloadTooLarge
from ...domain.payables.prototypes import (
    BankAccountPrototype,
    BillPaymentPrototype,
    BillPrototype,
    SupplierPrototype,
)
from ...domain.payables.service import PayablesService, Session
from ..bodies import ParsedBody, read_body
from ..context import ApiContext
from .idempotency import idempotent

M = TypeVar("M", bound=BaseModel)

# Room for the multipart framing around a file: boundaries, part headers, a long file name.
_MULTIPART_OVERHEAD = 64 * 1024
_FILE_REQUIRED = "a multipart part named `file` holding the file is required"


def _json(body: Any, status_code: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return Response(text, status_code=status_code, media_type="application/json", headers=headers)


def _param(request: Request, name: str) -> str | None:
    return request.query_params.get(name)


async def _once(data: bytes) -> AsyncGenerator[bytes, None]:
    yield data


class PayablesHandlers:
    def __init__(self, ctx: ApiContext) -> None:
        self.ctx = ctx
        self.service = PayablesService(ctx.store, max_attachment_bytes=ctx.settings.payables_attachment_bytes)

    def _session(self, request: Request, *, not_linked_status: int = 400) -> Session:
        p = request.path_params
        return self.service.session(
            self.ctx.tenant(request), p["companyId"], p["connectionId"], not_linked_status=not_linked_status
        )

    async def _body(self, request: Request) -> bytes:
        return await read_body(request, self.ctx.settings.max_body_bytes)

    def _parse(self, request: Request, raw: bytes, model: type[M]) -> ParsedBody[M]:
        # The body rule of every Codat operation (docs/decisions.md, "As liberal as Codat"): no body reads as
        # `{}`, unknown fields are ignored and named, or refused under strict bodies.
        return self.ctx.parse(request, raw, self.ctx.tenant(request), model)

    # --- reads --------------------------------------------------------------------------------------------

    async def get_company_information(self, request: Request) -> Response:
        return _json(self.service.company_information(self._session(request)))

    async def get_mapping_options_bills(self, request: Request) -> Response:
        s = self._session(request)
        return _json(self.service.bill_options(s, _param(request, "continuationToken"), _param(request, "statusQuery")))

    async def get_mapping_options_payments(self, request: Request) -> Response:
        s = self._session(request)
        token, status = _param(request, "continuationToken"), _param(request, "statusQuery")
        return _json(self.service.payment_options(s, token, status))

    async def list_bills(self, request: Request) -> Response:
        s = self._session(request)
        return _json(self.service.list_bills(s, _param(request, "continuationToken"), _param(request, "query")))

    async def list_suppliers(self, request: Request) -> Response:
        s = self._session(request)
        return _json(self.service.list_suppliers(s, _param(request, "continuationToken"), _param(request, "query")))

    async def list_bill_attachments(self, request: Request) -> Response:
        s = self._session(request, not_linked_status=404)
        return _json(self.service.list_attachments(s, request.path_params["billId"]))

    async def download_bill_attachment(self, request: Request) -> Response:
        s = self._session(request, not_linked_status=404)
        p = request.path_params
        found = self.service.download_attachment(s, p["billId"], p["attachmentId"])
        safe = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in found.name) or "attachment"
        headers = {"Content-Disposition": f'attachment; filename="{safe}"'}
        return Response(found.content, media_type="application/octet-stream", headers=headers)

    # --- writes -------------------------------------------------------------------------------------------

    async def create_bill(self, request: Request) -> Response:
        raw = await self._body(request)

        async def handle() -> Response:
            s = self._session(request)
            body = self._parse(request, raw, BillPrototype)
            return _json(self.service.create_bill(s, body.value), 201, body.headers())

        return await idempotent(self.ctx, request, "create-bill", raw, handle)

    async def update_bill(self, request: Request) -> Response:
        raw = await self._body(request)

        async def handle() -> Response:
            s = self._session(request)
            body = self._parse(request, raw, BillPrototype)
            return _json(self.service.update_bill(s, request.path_params["billId"], body.value), headers=body.headers())

        return await idempotent(self.ctx, request, "update-bill", raw, handle)

    async def create_bill_payment(self, request: Request) -> Response:
        raw = await self._body(request)

        async def handle() -> Response:
            s = self._session(request)
            body = self._parse(request, raw, BillPaymentPrototype)
            return _json(self.service.pay_bill(s, request.path_params["billId"], body.value), 201, body.headers())

        return await idempotent(self.ctx, request, "create-bill-payment", raw, handle)

    async def create_supplier(self, request: Request) -> Response:
        raw = await self._body(request)

        async def handle() -> Response:
            s = self._session(request)
            body = self._parse(request, raw, SupplierPrototype)
            return _json(self.service.create_supplier(s, body.value), 201, body.headers())

        return await idempotent(self.ctx, request, "create-supplier", raw, handle)

    async def update_supplier(self, request: Request) -> Response:
        # Codat declares no Idempotency-Key here: a full-replace PUT is idempotent by itself.
        raw = await self._body(request)
        s = self._session(request)
        body = self._parse(request, raw, SupplierPrototype)
        supplier = self.service.update_supplier(s, request.path_params["supplierId"], body.value)
        return _json(supplier, headers=body.headers())

    async def create_bank_account(self, request: Request) -> Response:
        raw = await self._body(request)

        async def handle() -> Response:
            s = self._session(request)
            body = self._parse(request, raw, BankAccountPrototype)
            return _json(self.service.create_bank_account(s, body.value), 201, body.headers())

        return await idempotent(self.ctx, request, "create-bank-account", raw, handle)

    async def upload_bill_attachment(self, request: Request) -> Response:
        s = self._session(request)
        # The platform's own limit bounds what is read, so a large upload is refused before it is held.
        limit = min(s.profile.max_attachment_bytes, self.service.max_attachment_bytes) + _MULTIPART_OVERHEAD
        try:
            raw = await read_body(request, limit)
        except PayloadTooLarge:  # said as the platform's limit: a 400 on `file`, as for any file too large
            raise BadRequest.for_field(
                "file",
                f"the file is larger than {s.profile.name}'s limit of {s.profile.max_attachment_bytes} bytes",
                "AttachmentValidator",
            ) from None
        if not raw.strip():
            # Codat marks the body optional, as for every operation: none is an upload without its file.
            raise BadRequest.for_field("file", _FILE_REQUIRED, "MultipartValidator")
        media_type = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
        if media_type != "multipart/form-data":
            got = request.headers.get("content-type") or "none"
            raise BadRequest.for_field(
                "Content-Type", f"Content-Type must be multipart/form-data with a `file` part; got {got}", "ContentType"
            )
        try:
            form = await MultiPartParser(request.headers, _once(raw), max_files=1, max_fields=10).parse()
        except MultiPartException as exc:
            raise BadRequest.for_field(
                "file", f"the multipart body cannot be read: {exc.message}", "MultipartValidator"
            ) from None
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise BadRequest.for_field("file", _FILE_REQUIRED, "MultipartValidator")
            content = await upload.read()
            name = upload.filename or "attachment"
            content_type = upload.content_type
        finally:
            await form.close()
        view = self.service.upload_attachment(s, request.path_params["billId"], name, content_type, content)
        return _json(view, 201)

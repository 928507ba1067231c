"""Request bodies: size limit, content type, and strict validation into a request model."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect, Request

from ..domain.errors import BadRequest, PayloadTooLarge
from ..domain.rules import validation_items

M = TypeVar("M", bound=BaseModel)


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, or 413 as soon as it is known to exceed `limit` (without reading it all)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(limit)
            chunks.append(chunk)
    except ClientDisconnect:
        # The client went away, or the server gave up on it (a request timeout, a shutdown): no one will
        # read this answer, but it keeps the failure a plain 400 rather than a logged "unexpected error".
        raise BadRequest("The client disconnected before sending the whole request body.") from None
    return b"".join(chunks)


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return False
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


async def parse_body(request: Request, model: type[M], limit: int) -> M:
    """The body validated as `model`; 400 naming each field for anything that does not fit."""
    body = await read_body(request, limit)
    if not _is_json(request.headers.get("content-type")):
        got = request.headers.get("content-type") or "none"
        raise BadRequest.for_field("Content-Type", f"Content-Type must be application/json; got {got}", "ContentType")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise BadRequest(validation=tuple(validation_items(exc))) from None

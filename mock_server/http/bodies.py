"""Request bodies: size limit, content type, and validation into a request model (strict, or as liberal as Codat)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import quote

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


#: The response header that names the body fields the emulator ignored (see docs/decisions.md).
IGNORED_FIELDS_HEADER = "X-Codat-Mock-Ignored-Fields"
#: At most this many names go in the header and the journal; a body with more lists the first ones.
MAX_IGNORED_FIELDS = 32


@dataclass(frozen=True, slots=True)
class ParsedBody(Generic[M]):
    """A request body as the handler uses it, and the unknown fields that were left out of it."""

    value: M
    ignored: tuple[str, ...] = ()

    def headers(self) -> dict[str, str]:
        """The response header naming the ignored fields; none when nothing was ignored."""
        if not self.ignored:
            return {}
        # Field names are any JSON string; percent-encoding keeps the header latin-1 and the commas unambiguous.
        return {IGNORED_FIELDS_HEADER: ",".join(quote(name, safe="") for name in self.ignored)}


async def parse_api_body(request: Request, model: type[M], limit: int, *, strict: bool) -> ParsedBody[M]:
    """A Codat operation's body, read from the request (see `parse_api_bytes`)."""
    body = await read_body(request, limit)
    return parse_api_bytes(body, request.headers.get("content-type"), model, strict=strict)


def parse_api_bytes(body: bytes, content_type: str | None, model: type[M], *, strict: bool) -> ParsedBody[M]:
    """A Codat operation's body, read as liberally as Codat's own (ASP.NET) API reads it.

    - Codat marks every emulated request body optional: no body, or one of only whitespace, reads as `{}`
      (whatever the Content-Type, or none), so the model's own defaults and required fields decide.
    - A body that is there must be JSON, with a JSON Content-Type.
    - Fields the model does not know, at any depth, are ignored and reported (`ParsedBody.ignored`, nested
      ones as a dotted path such as `lineItems.0.colour`), as ASP.NET's binder ignores them; with `strict`
      they are refused with 400 naming each one. The first reading forbids them whatever the model's own
      `extra` says, so a model that ignores unknown fields by itself still has them named.
    """
    if not body.strip():
        body = b"{}"
    elif not _is_json(content_type):
        got = content_type or "none"
        raise BadRequest.for_field("Content-Type", f"Content-Type must be application/json; got {got}", "ContentType")
    try:
        return ParsedBody(model.model_validate_json(body, extra="forbid"))
    except ValidationError as exc:
        unknown = [error["loc"] for error in exc.errors(include_url=False) if error["type"] == "extra_forbidden"]
        if strict or not unknown:
            raise BadRequest(validation=tuple(validation_items(exc))) from None
    try:
        value = model.model_validate_json(body, extra="ignore")
    except ValidationError as exc:
        # Only the real problems: the unknown fields are not what is wrong with this body.
        raise BadRequest(validation=tuple(validation_items(exc))) from None
    names = tuple(".".join(str(part) for part in loc) for loc in unknown[:MAX_IGNORED_FIELDS])
    return ParsedBody(value, names)

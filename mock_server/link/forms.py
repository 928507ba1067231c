"""HTML form posts (`application/x-www-form-urlencoded`), parsed without a multipart dependency."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from ..domain.errors import BadRequest
from ..http.bodies import read_body

MAX_FORM_BYTES = 16 * 1024  # the Link forms carry one short field


async def read_form(request: Request) -> dict[str, str]:
    """The form's fields (first value of each); BadRequest for another content type or bad encoding."""
    media_type = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    body = await read_body(request, MAX_FORM_BYTES)
    if not body and not media_type:
        return {}  # a form with no fields, as some clients send it: the handler says what is missing
    if media_type != "application/x-www-form-urlencoded":
        raise BadRequest.for_field(
            "Content-Type", f"expected an HTML form (application/x-www-form-urlencoded); got {media_type or 'none'}"
        )
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise BadRequest.for_field("body", "the form is not UTF-8") from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields

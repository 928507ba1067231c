"""`Authorization: Basic <base64 API key>` → the tenant the request belongs to."""

from __future__ import annotations

import base64
import binascii

from starlette.requests import Request

from ..domain.errors import Unauthorized


def tenant_of(request: Request) -> str:
    """The API key in the request's Authorization header; every distinct key is its own tenant.

    Codat's header is the word `Basic`, a space, and the base64 of the API key (no `user:` part).
    Anything else — missing, another scheme, not base64, an empty key — is a 401.
    """
    header = request.headers.get("authorization")
    if header is None:
        raise Unauthorized()
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "basic" or not credentials.strip():
        raise Unauthorized()
    try:
        key = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise Unauthorized() from None
    if not key.strip():
        raise Unauthorized()
    return key

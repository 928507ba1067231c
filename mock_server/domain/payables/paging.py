"""Continuation-token paging: `{results, pagination: {continuationToken}}`, the token absent on the last page.

A token is opaque to callers: URL-safe base64 of where the next page starts and a fingerprint of the
request it continues, so a token cannot be edited into another position or reused with another `query`
without being noticed (both are a 400 naming `continuationToken`). Codat's page size is not published;
the emulator serves 100 per page (docs/decisions.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..errors import BadRequest

PAGE_SIZE = 100
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ContinuationPage(Generic[T]):
    results: Sequence[T]
    continuation_token: str | None


def _fingerprint(scope: str) -> str:
    return hashlib.sha256(scope.encode()).hexdigest()[:16]


def _mac(offset: int, fingerprint: str) -> str:
    return hashlib.sha256(f"codat-mock/{offset}/{fingerprint}".encode()).hexdigest()[:12]


def encode_token(offset: int, scope: str) -> str:
    fingerprint = _fingerprint(scope)
    payload = {"offset": offset, "scope": fingerprint, "check": _mac(offset, fingerprint)}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_token(token: str | None, scope: str) -> int:
    """The offset `token` continues from (0 for no token); 400 for a token this listing did not hand out."""
    if token is None or token == "":
        return 0
    text = token.removeprefix("continuationToken=")  # Codat's own example carries the parameter name
    bad = BadRequest.for_field(
        "continuationToken",
        "continuationToken is not a token this listing handed out (tokens are opaque: pass back the "
        "pagination.continuationToken of the previous page, with the same query)",
        "ContinuationTokenValidator",
    )
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(payload, dict):
        raise bad
    offset, fingerprint = payload.get("offset"), payload.get("scope")
    if (
        not isinstance(offset, int)
        or isinstance(offset, bool)
        or offset < 0
        or fingerprint != _fingerprint(scope)
        or payload.get("check") != _mac(offset, fingerprint)
    ):
        raise bad
    return offset


def page_of(items: Sequence[T], token: str | None, scope: str, page_size: int = PAGE_SIZE) -> ContinuationPage[T]:
    """The page `token` points at; `scope` names the listing and its filter (a token is valid only for it)."""
    start = decode_token(token, scope)
    end = start + page_size
    following = encode_token(end, scope) if end < len(items) else None
    return ContinuationPage(items[start:end], following)

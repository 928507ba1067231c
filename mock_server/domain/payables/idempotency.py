"""Idempotency-Key: the first response to a key is replayed for 90 minutes (Codat's documented window).

An entry keeps a fingerprint of the request (operation, path and body) and the response as sent. The
same key with another request is refused with 422, as Codat documents; 429 responses are not kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=90)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    fingerprint: str
    status_code: int
    body: bytes
    media_type: str
    stored_at: datetime
    headers: tuple[tuple[str, str], ...] = ()
    """The response's own headers worth replaying (the ignored-fields report), not the framing ones."""

    def expired(self, now: datetime) -> bool:
        return now - self.stored_at >= WINDOW


def fingerprint(operation: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (operation.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()

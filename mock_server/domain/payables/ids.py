"""Record ids in each platform's own shape, minted from the connection id and a counter.

The same connection id and counter always give the same id, so a seeded ledger is the same run after run,
and `Ledger.next_number` (kept in exports) is all that is needed to go on minting unique ids.
"""

from __future__ import annotations

import hashlib
import uuid

from .platforms import IdStyle

_NAMESPACE = uuid.UUID("3b0b6a52-5f4e-4d8e-b1c4-6c0f1e2d9a77")


def mint(style: IdStyle, connection_id: str, number: int) -> str:
    if style is IdStyle.GUID:
        return str(uuid.uuid5(_NAMESPACE, f"{connection_id}/{number}"))
    if style is IdStyle.LONG_NUMBER:
        # An organisation prefix from the connection, then the record's sequence: 18 digits in all.
        org = int(hashlib.sha256(connection_id.encode()).hexdigest(), 16) % 900_000 + 100_000
        return f"{org}{number:012d}"
    if style is IdStyle.TXN_ID:
        return f"{0x80000000 + number:X}-{1_700_000_000 + number}"
    return str(100 + number)


def attachment_id(connection_id: str, number: int) -> str:
    """Attachments are UUIDs on every platform (the operation's path declares `format: uuid`)."""
    return str(uuid.uuid5(_NAMESPACE, f"{connection_id}/attachment/{number}"))

"""Standard Webhooks signatures, as Codat's delivery service makes them.

A secret is `whsec_` followed by base64 of the key bytes. The signed content is
`{webhook-id}.{webhook-timestamp}.{raw body}`; the signature is base64 of its HMAC-SHA256 under the
decoded key, sent as `v1,<signature>` in the `webhook-signature` header.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

PREFIX = "whsec_"


def make_secret(key: bytes) -> str:
    """The secret text for raw key bytes."""
    if not key:
        raise ValueError("a signing key needs at least one byte")
    return PREFIX + base64.b64encode(key).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The key bytes of a secret; the `whsec_` prefix is optional. ValueError when it is not base64."""
    text = secret.removeprefix(PREFIX)
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a webhook secret is `whsec_` followed by base64") from None
    if not key:
        raise ValueError("a webhook secret cannot be empty")
    return key


def normalise_secret(secret: str) -> str:
    """The secret with its `whsec_` prefix, after checking it decodes."""
    return make_secret(secret_key(secret))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value for one delivery attempt."""
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")

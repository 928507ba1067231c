"""Per-tenant settings (auto-link policy, Link redirect URL, strict bodies) and the tenant's derived public identities.

A tenant is an API key. The key itself is a secret the emulator never shows: the journal and the control
plane name a tenant by its `fingerprint`, and Link redirects carry a `client_id` derived from it.

Auto-link policies let tests skip the Link pages (moto's state-manager modes, named for Codat):

    manual        connections stay PendingAuth until Link, PUT …/authorization or the control plane
    immediate     every read after create-connection sees Linked
    afterSeconds  reads at or after `created + seconds` (the store's clock) see Linked
    afterReads    the first `reads` reads of a connection see PendingAuth, later ones Linked

Create-connection's own response is always PendingAuth, as Codat's is; the policy acts on later reads.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from .json_types import JsonInt

MAX_POLICY_SECONDS = 10 * 365 * 24 * 3600  # ten years: far beyond any test, well inside timedelta's range
MAX_POLICY_READS = 1_000_000_000
MAX_REDIRECT_URL_LENGTH = 2048

_CLIENT_NAMESPACE = uuid.UUID("5d0c8a64-1f3e-4b7a-9c2d-6e8f0a1b2c3d")
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f]")
REDIRECT_URL_PATTERN = r"^https?://[^\x00-\x20\x7f]+$"
"""The redirect URLs `TenantSettings` accepts: http or https, something after `://`, no spaces or controls."""


class _SettingsModel(BaseModel):
    # Strict, closed and frozen: settings arrive as JSON from the control plane or a seed file, and an
    # unknown or mistyped field should be a 400 naming it, not a silently ignored typo.
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
        extra="forbid",
        strict=True,
        frozen=True,
        defer_build=True,
    )


class ManualLink(_SettingsModel):
    """Connections change status only through Link, the authorization endpoint or the control plane."""

    mode: Literal["manual"] = "manual"


class ImmediateLink(_SettingsModel):
    """Every read after create-connection sees the connection Linked."""

    mode: Literal["immediate"] = "immediate"


class LinkAfterSeconds(_SettingsModel):
    """Reads at or after `created + seconds` on the store's clock see the connection Linked."""

    mode: Literal["afterSeconds"] = "afterSeconds"
    seconds: float = Field(ge=0, le=MAX_POLICY_SECONDS, allow_inf_nan=False)


class LinkAfterReads(_SettingsModel):
    """The first `reads` reads of a connection see PendingAuth; the ones after that see Linked."""

    mode: Literal["afterReads"] = "afterReads"
    reads: JsonInt = Field(ge=0, le=MAX_POLICY_READS)


AutoLinkPolicy = Annotated[
    ManualLink | ImmediateLink | LinkAfterSeconds | LinkAfterReads,
    Field(discriminator="mode"),
]


def _redirect_url(value: str) -> str:
    # Together these are REDIRECT_URL_PATTERN, which the control plane's OpenAPI document carries.
    if not value.startswith(("http://", "https://")) or value in ("http://", "https://"):
        raise ValueError("must be an absolute http:// or https:// URL")
    if _UNSAFE_IN_URL.search(value):
        raise ValueError("must not contain spaces or control characters (percent-encode them)")
    return value


RedirectUrl = Annotated[str, StringConstraints(max_length=MAX_REDIRECT_URL_LENGTH), AfterValidator(_redirect_url)]


class TenantSettings(_SettingsModel):
    """What a tenant can configure: how connections auto-link, and where Link sends the user afterwards."""

    auto_link: AutoLinkPolicy = Field(default_factory=ManualLink)
    redirect_url: RedirectUrl | None = None
    """Codat's "Redirect URL" with `{placeholder}`s; None shows the emulator's own success/failure page."""
    strict_bodies: bool | None = None
    """Refuse unknown request-body fields (True) or ignore them (False); None follows `--strict-bodies`."""


def policy_is_manual(settings: TenantSettings) -> bool:
    return isinstance(settings.auto_link, ManualLink)


def is_due(policy: AutoLinkPolicy, *, created: datetime, now: datetime, reads: int) -> bool:
    """Whether a PendingAuth connection should be Linked by the read that is now happening.

    `reads` counts the reads of the connection so far, this one included.
    """
    if isinstance(policy, ImmediateLink):
        return True
    if isinstance(policy, LinkAfterSeconds):
        # Compared as a difference: `created + seconds` could pass the year 9999, which datetime cannot hold.
        return now - created >= timedelta(seconds=policy.seconds)
    if isinstance(policy, LinkAfterReads):
        return reads > policy.reads
    return False


def fingerprint(tenant: str) -> str:
    """A short, stable, non-reversible name for a tenant: what the journal and control plane show."""
    return hashlib.sha256(b"codat-mock tenant\x00" + tenant.encode("utf-8")).hexdigest()[:16]


def client_id(tenant: str) -> str:
    """The `{clientId}` of Link redirects: a UUID derived from the tenant, stable across runs."""
    return str(uuid.uuid5(_CLIENT_NAMESPACE, fingerprint(tenant)))

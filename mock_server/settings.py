"""One typed Settings object, from `CODAT_MOCK_*` environment variables and command-line flags.

Nothing is read at import time: `Settings.from_env(os.environ)` is called by the CLI (and by tests with
their own mapping), and flags given on the command line override the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

ENV_PREFIX = "CODAT_MOCK_"

LogLevel = Literal["critical", "error", "warning", "info", "debug", "trace"]


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable or flag."""


class Settings(BaseModel):
    """Everything the emulator can be configured with."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    public_url: str | None = None
    """Base URL used in `redirect` and `linkUrl`; when unset, the URL the request itself was sent to."""
    log_level: LogLevel = "info"
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    """Request bodies larger than this are refused with 413."""
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)
    """Deterministic mode: ids from a generator seeded with this, and a manual clock from a fixed instant."""
    seed_file: str | None = None
    """A JSON file of tenants' state to import at start-up (see docs/control-plane.md)."""
    admin_token: SecretStr | None = None
    """Guards the control plane's global operations; when unset they are open to every caller."""
    journal_size: int = Field(default=1000, ge=0, le=1_000_000)
    """How many requests the journal keeps (the oldest go first); 0 turns the journal off."""
    journal_body_bytes: int = Field(default=4096, ge=0, le=1024 * 1024)
    """How much of each request and response body the journal keeps."""
    payables_attachment_bytes: int = Field(default=256 * 1024 * 1024, ge=0, le=2**40)
    """Bill Pay attachments held in memory, all tenants together; an upload past it is refused (400)."""
    # --- serving limits (mock_server/serving.py; docs/decisions.md "Serving limits") ---
    max_url_bytes: int = Field(default=64 * 1024, ge=256, le=16 * 1024 * 1024)
    """A request target (path and query) longer than this is refused with 414."""
    max_header_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * 1024 * 1024)
    """Request headers (names and values together) larger than this are refused with 431."""
    max_header_count: int = Field(default=100, ge=8, le=10_000)
    """A request with more header lines than this is refused with 431."""
    request_timeout: float = Field(default=30.0, gt=0, le=3600)
    """Seconds a client has to send a whole request (head and body) once it starts one; then 408."""
    keep_alive_timeout: int = Field(default=5, ge=1, le=3600)
    """Seconds an idle connection (a new one, or one between requests) is kept open."""
    shutdown_timeout: int = Field(default=3, ge=0, le=3600)
    """On SIGTERM/SIGINT, seconds in-flight requests get to finish before they are cancelled."""
    # --- webhooks (docs/webhooks.md) ---
    webhook_secret: SecretStr | None = None
    """One signing secret (`whsec_` + base64) for every consumer; when unset each gets its own random one."""
    webhook_retry_scale: float = Field(default=1.0, ge=0, le=1000, allow_inf_nan=False)
    """Multiplies every wait of Codat's retry schedule (5 s … 10 h); tests use 0.001."""
    webhook_timeout: float = Field(default=15.0, gt=0, le=3600, allow_inf_nan=False)
    """Seconds a receiver has to answer 2xx before the attempt counts as failed (Codat: 15)."""
    webhook_queue_size: int = Field(default=10_000, ge=1, le=1_000_000)
    """Deliveries that may wait at once; a full queue drops the oldest waiting one (counted)."""
    strict_bodies: bool = False
    """Refuse unknown request-body fields with 400 instead of ignoring them (a tenant setting can override)."""

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        from .domain.webhooks.signing import normalise_secret

        return SecretStr(normalise_secret(value.get_secret_value())) if value is not None else None

    @field_validator("seed_file", "admin_token", "webhook_secret", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # An empty variable (CODAT_MOCK_ADMIN_TOKEN=) means "not set", not "the empty token".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **overrides: Any) -> Settings:
        """Settings from `CODAT_MOCK_<FIELD>` variables, then `overrides` (None values are ignored)."""
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            raw = environ.get(ENV_PREFIX + name.upper())
            if raw is not None:
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            # Environment values are strings; lax mode turns "8000" into 8000 with a clear error otherwise.
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = "; ".join(_describe(e["loc"], e["msg"], e["input"]) for e in exc.errors(include_url=False))
            raise SettingsError(problems) from None


def _describe(loc: tuple[int | str, ...], message: str, value: object) -> str:
    name = "_".join(map(str, loc))
    return f"{ENV_PREFIX}{name.upper()} / --{name.replace('_', '-')}: {message}, got {value!r}"

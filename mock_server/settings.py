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

    @field_validator("seed_file", "admin_token", mode="before")
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

"""Who may do what on the control plane: the caller's tenant (its Authorization), or the admin.

The admin token is optional. When it is configured, global operations need it in the `X-Codat-Mock-Admin`
header; when it is not, every caller is an admin (a developer's laptop, a CI job's private emulator).
"""

from __future__ import annotations

import hmac

from pydantic import SecretStr
from starlette.requests import Request

from ..domain.errors import CodatError, Unauthorized, ValidationItem
from ..http.auth import tenant_of

ADMIN_HEADER = "X-Codat-Mock-Admin"


class Forbidden(CodatError):
    """403: the operation needs the admin (its token, or no Authorization), and the request is not from it."""

    def __init__(self, message: str, *, validation: tuple[ValidationItem, ...] = ()) -> None:
        super().__init__(message, 403, validation=validation)


class Access:
    def __init__(self, token: SecretStr | None) -> None:
        self._token = token.get_secret_value().encode("utf-8") if token is not None else None

    @property
    def token_required(self) -> bool:
        return self._token is not None

    def is_admin(self, request: Request) -> bool:
        if self._token is None:
            return True
        given = request.headers.get(ADMIN_HEADER)
        return given is not None and hmac.compare_digest(given.encode("utf-8"), self._token)

    def require_admin(self, request: Request) -> None:
        if self.is_admin(request):
            return
        if request.headers.get(ADMIN_HEADER) is None:
            raise Forbidden(f"This operation needs the admin token: send it in the {ADMIN_HEADER} header.")
        raise Forbidden(f"The admin token in the {ADMIN_HEADER} header does not match.")

    def tenant(self, request: Request) -> str:
        """The caller's tenant, exactly as the API parses `Authorization` (401 when missing or malformed)."""
        return tenant_of(request)

    def scope(self, request: Request) -> str | None:
        """The tenant a tenant-or-global operation is about: the caller's, or None (all) for an admin.

        A request with `Authorization` always means its own tenant, even from an admin; one without it
        (or with a blank one: no credentials at all) means everything, and is allowed only to the admin.
        """
        if (request.headers.get("authorization") or "").strip():
            return tenant_of(request)
        if self.is_admin(request):
            return None
        if request.headers.get(ADMIN_HEADER) is not None:
            raise Forbidden(f"The admin token in the {ADMIN_HEADER} header does not match.")
        raise Unauthorized(
            "Send Authorization: Basic <base64 API key> for your own tenant, "
            f"or the admin token in the {ADMIN_HEADER} header for every tenant."
        )

"""`CodatMock`: one test's tenant (a fresh API key) and typed helpers over the `/_mock` control plane.

Every helper is one control-plane call (see docs/control-plane.md); an answer other than 2xx raises
`ControlPlaneError` with the emulator's ErrorMessage, so a bad argument fails the test where it was made.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from sdk_stub import AsyncCodatClient, CodatClient

    from .server import CodatMockServer

__all__ = ["CodatMock", "CodatSecurity", "ControlPlaneError"]

JSON = dict[str, Any]


class ControlPlaneError(AssertionError):
    """The control plane refused a helper's request. `status` and `body` are the emulator's answer.

    An AssertionError, so pytest reports it as a failed test, not an error in the plugin."""

    def __init__(self, method: str, path: str, response: httpx.Response) -> None:
        self.status = response.status_code
        try:
            self.body: Any = response.json()
        except ValueError:
            self.body = response.text
        detail = self.body.get("error") if isinstance(self.body, dict) else None
        errors = self.body.get("validation", {}) if isinstance(self.body, dict) else None
        fields = [e.get("message") for e in (errors or {}).get("errors", []) if isinstance(e, dict)]
        text = "; ".join(str(m) for m in [detail, *fields] if m) or str(self.body)[:500]
        super().__init__(f"codat-mock: {method} {path} answered {self.status}: {text}")


class CodatSecurity:
    """What Codat's official SDKs take as `security=`: an object with an `auth_header` attribute."""

    def __init__(self, auth_header: str) -> None:
        self.auth_header = auth_header

    def __repr__(self) -> str:
        return "CodatSecurity(auth_header='Basic …')"


class CodatMock:
    """A tenant of the session's emulator, for one test.

    - `api_key`: a fresh, unique key (a key names a tenant, so nothing another test does is visible here).
    - `auth_header`: `"Basic <base64 key>"`; `headers`: `{"Authorization": auth_header}`.
    - `base_url`: where to send requests (`server.url`, or the in-process placeholder).
    - `http`: an `httpx.Client` bound to `base_url` with this tenant's `Authorization`.
    - `server`: the session's `CodatMockServer`.
    """

    def __init__(self, server: CodatMockServer, api_key: str) -> None:
        self.server = server
        self.api_key = api_key
        self.auth_header = "Basic " + base64.b64encode(api_key.encode()).decode()
        self.headers = {"Authorization": self.auth_header}
        self.base_url = server.base_url
        self._http: httpx.Client | None = None

    @property
    def http(self) -> httpx.Client:
        # Made on first use: many tests only use the typed client.
        if self._http is None:
            self._http = self.server.client(headers=self.headers)
        return self._http

    # -- clients bound to this tenant -------------------------------------------------------------------------

    def client(self, **kwargs: Any) -> CodatClient:
        """An `sdk_stub.CodatClient` for this tenant; `kwargs` go to its constructor (`retry=None`, …)."""
        from sdk_stub import CodatClient

        return CodatClient(self.api_key, base_url=self.base_url, http_client=self.server.client(), **kwargs)

    def async_client(self, **kwargs: Any) -> AsyncCodatClient:
        """An `sdk_stub.AsyncCodatClient` for this tenant."""
        from sdk_stub import AsyncCodatClient

        return AsyncCodatClient(self.api_key, base_url=self.base_url, http_client=self.server.async_client(), **kwargs)

    def sdk_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for Codat's official SDKs (`CodatPlatform(**kwargs)`, `CodatSyncPayables(...)`).

        `server_url` and `security` always; in-process also `client`, an `httpx.Client` over the in-process
        transport, which these SDKs send every request through (their sync and `*_async` methods alike)."""
        kwargs: dict[str, Any] = {"server_url": self.base_url, "security": CodatSecurity(self.auth_header)}
        if self.server.app is not None:
            kwargs["client"] = self.server.client()
        return kwargs

    # -- headless Link ------------------------------------------------------------------------------------------

    def link(self, company_id: str, connection_id: str, **params: str) -> JSON:
        """Complete Link with Authorize (PendingAuth/Unlinked/Deauthorized → Linked). `params` play the Link
        URL's custom query parameters. The answer: `{"connection": …, "outcome": …}`."""
        return self._link_action("authorize", company_id, connection_id, params)

    def cancel(self, company_id: str, connection_id: str, **params: str) -> JSON:
        """Complete Link with Cancel: the status stays, a 403 "User cancelled" error entry is added."""
        return self._link_action("cancel", company_id, connection_id, params)

    def fail(self, company_id: str, connection_id: str, **params: str) -> JSON:
        """Complete Link with a platform error: the status stays, a 500 error entry is added."""
        return self._link_action("fail", company_id, connection_id, params)

    def deauthorize(self, company_id: str, connection_id: str) -> JSON:
        """The platform revokes access: Linked → Deauthorized. The answer: `{"connection": …}`."""
        return self._link_action("deauthorize", company_id, connection_id, {})

    def _link_action(self, action: str, company_id: str, connection_id: str, params: Mapping[str, str]) -> JSON:
        path = f"/_mock/companies/{company_id}/connections/{connection_id}/{action}"
        return self._call("POST", path, params=dict(params))

    # -- settings ---------------------------------------------------------------------------------------------

    def settings(self) -> JSON:
        """The tenant's settings: `{"autoLink": {...}, "redirectUrl": ...}`."""
        return self._call("GET", "/_mock/settings")

    def set_auto_link(self, mode: str = "immediate", *, seconds: float | None = None, reads: int | None = None) -> JSON:
        """The auto-link policy: `"manual"`, `"immediate"`, `"afterSeconds"` (with `seconds`) or
        `"afterReads"` (with `reads`). Keeps the redirect URL. Returns the settings now in force."""
        policy: JSON = {"mode": mode}
        if seconds is not None:
            policy["seconds"] = seconds
        if reads is not None:
            policy["reads"] = reads
        return self._update_settings(autoLink=policy)

    def set_redirect(self, url: str | None) -> JSON:
        """Where Link sends the browser afterwards (`{placeholder}`s substituted); None for the emulator's own
        pages. Keeps the auto-link policy. Returns the settings now in force."""
        return self._update_settings(redirectUrl=url)

    def put_settings(self, settings: Mapping[str, Any]) -> JSON:
        """Replace the settings (PUT /_mock/settings: an omitted field goes back to its default)."""
        return self._call("PUT", "/_mock/settings", json=dict(settings))

    def _update_settings(self, **changes: Any) -> JSON:
        # PUT replaces both settings, so the one not being changed is sent back as it is.
        return self.put_settings({**self.settings(), **changes})

    # -- state --------------------------------------------------------------------------------------------------

    def seed(self, state: Mapping[str, Any] | str | Path) -> JSON:
        """Replace the tenant with a state document (a mapping, or the path of a JSON file): PUT /_mock/state,
        all or nothing. `version` defaults to 1. Returns the tenant as imported (the export document)."""
        document: Mapping[str, Any] = (
            json.loads(Path(state).read_text(encoding="utf-8")) if isinstance(state, str | Path) else state
        )
        return self._call("PUT", "/_mock/state", json={"version": 1, **document})

    def export(self) -> JSON:
        """The tenant's whole state as a document `seed()` takes back."""
        return self._call("GET", "/_mock/state")

    def reset(self) -> JSON:
        """Forget the tenant's companies, connections, settings, journal entries and fault rules."""
        return self._call("POST", "/_mock/reset")

    # -- clock (global: one per emulator) -----------------------------------------------------------------------

    def clock(self) -> str:
        """The emulator's clock, an RFC 3339 time."""
        return str(self._call("GET", "/_mock/clock")["now"])

    def advance_clock(self, seconds: float) -> str:
        """Move the emulator's clock forward; its new time. Needs a deterministic emulator (the
        `--codat-mock-server-seed` option, or `--seed` on your own server); the clock is the whole emulator's,
        so other tests sharing a live server see it move too."""
        return str(self._call("POST", "/_mock/clock", json={"advanceSeconds": seconds}, admin=True)["now"])

    def set_clock(self, now: str) -> str:
        """Set the emulator's clock to an RFC 3339 time (deterministic emulators only; global)."""
        return str(self._call("POST", "/_mock/clock", json={"now": now}, admin=True)["now"])

    # -- faults --------------------------------------------------------------------------------------------------

    def fault(
        self,
        operation_id: str | None = None,
        status: int | None = None,
        *,
        count: int | None = None,
        retry_after: int | str | None = None,
        delay_ms: int | None = None,
        message: str | None = None,
        method: str | None = None,
        path: str | None = None,
        probability: float | None = None,
    ) -> JSON:
        """Add a fault or latency rule for this tenant (POST /_mock/faults); the rule as stored, with its `id`.

        `fault("list-companies", 503, count=2, retry_after=0)`: the next two list-companies calls answer 503
        with `Retry-After: 0`. Match by `operation_id`, `method` and/or `path` (`*`, `{name}`, a final `/**`)."""
        fields = {
            "operationId": operation_id,
            "status": status,
            "count": count,
            "retryAfter": retry_after,
            "delayMs": delay_ms,
            "message": message,
            "method": method,
            "path": path,
            "probability": probability,
        }
        return self._call("POST", "/_mock/faults", json={k: v for k, v in fields.items() if v is not None})

    def faults(self) -> list[JSON]:
        """This tenant's rules in matching order, each with `applied` and `remaining` counts."""
        return list(self._call("GET", "/_mock/faults")["rules"])

    def clear_faults(self) -> int:
        """Remove this tenant's rules; how many there were."""
        return int(self._call("DELETE", "/_mock/faults")["removed"])

    # -- journal -------------------------------------------------------------------------------------------------

    def journal(
        self,
        operation_id: str | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        path_prefix: str | None = None,
        status: int | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[JSON]:
        """This tenant's recorded API and Link-page requests, oldest first, filtered (all given must match):
        `journal("create-connection", status=200)`. Each entry has `method`, `path`, `status`,
        `operationId`, `requestBody`, `responseBody`, `faultRuleId`, …"""
        filters = {
            "operationId": operation_id,
            "method": method,
            "path": path,
            "pathPrefix": path_prefix,
            "status": status,
            "since": since,
            "limit": limit,
        }
        params = {k: str(v) for k, v in filters.items() if v is not None}
        return list(self._call("GET", "/_mock/journal", params=params)["entries"])

    def clear_journal(self) -> int:
        """Forget this tenant's journal entries; how many there were."""
        return int(self._call("DELETE", "/_mock/journal")["removed"])

    # -- plumbing ------------------------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        admin: bool = False,
    ) -> JSON:
        headers = self.server.admin_headers() if admin else None
        response = self.http.request(method, path, json=json, params=params, headers=headers)
        if not response.is_success:
            raise ControlPlaneError(method, path, response)
        body: JSON = response.json()
        return body

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def __repr__(self) -> str:
        return f"<CodatMock tenant on {self.server!r}>"

"""Health, readiness, and the control plane's own OpenAPI document."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .. import __version__
from .plane import ControlPlane
from .responses import json_body


def load_openapi() -> dict[str, Any]:
    """The control plane's OpenAPI 3.1 document, shipped as `mock_server/control/openapi.yaml`."""
    import yaml  # here, not at start-up: the document is loaded on its first request

    text = resources.files("mock_server.control").joinpath("openapi.yaml").read_text(encoding="utf-8")
    # libyaml's loader when PyYAML was built with it: several times faster than the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document = yaml.load(text, Loader=loader)  # a safe loader either way
    if not isinstance(document, dict):
        raise TypeError("mock_server/control/openapi.yaml does not hold a mapping")
    return document


def served_openapi(*, admin_token_required: bool) -> dict[str, Any]:
    """The document as this emulator serves it: its security as the running configuration enforces it.

    The file describes an emulator without an admin token, where every caller is an admin: operations the
    admin may call list `{}` (no credentials) among their security requirements. With a token configured
    that alternative is gone, so those operations need the `admin` scheme (or, where listed, `tenant`).
    """
    document = load_openapi()
    if admin_token_required:
        for path_item in document["paths"].values():
            for operation in path_item.values():
                requirements = operation.get("security") if isinstance(operation, dict) else None
                if requirements and {"admin": []} in requirements:
                    operation["security"] = [r for r in requirements if r]
    return document


class ServiceHandlers:
    def __init__(self, plane: ControlPlane) -> None:
        self.plane = plane
        # Rendered on first request, then kept: building an app (every test does) must stay cheap.
        self._openapi: str | None = None

    async def health(self, request: Request) -> Response:
        return json_body({"status": "ok", "version": __version__})

    async def ready(self, request: Request) -> Response:
        # The app is built (seed file imported) before the server accepts a connection, so answering at
        # all means ready; the body says what kind of emulator answered.
        return json_body(
            {
                "status": "ready",
                "version": __version__,
                "deterministic": self.plane.deterministic,
                "adminTokenRequired": self.plane.settings.admin_token is not None,
                "journalCapacity": self.plane.journal.capacity,
            }
        )

    async def openapi(self, request: Request) -> Response:
        if self._openapi is None:
            document = served_openapi(admin_token_required=self.plane.settings.admin_token is not None)
            self._openapi = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
        return Response(self._openapi, media_type="application/json")

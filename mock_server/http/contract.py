"""`GET /openapi.json` and `/openapi.yaml`: the contract this emulator answers by, from `contracts/`.

The document is served as shipped except for `servers`, whose first entry becomes this emulator's own
public URL: a tool pointed at the served document (Schemathesis, an SDK generator, Swagger UI) then
calls the emulator it read it from, whatever host and port that is.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from contracts.spec import load_contract

from .context import ApiContext

#: Paths of the served contract: not Codat operations, so neither journaled nor faulted.
CONTRACT_PATHS = frozenset({"/openapi.json", "/openapi.yaml"})


class ContractHandlers:
    def __init__(self, ctx: ApiContext) -> None:
        self.ctx = ctx
        # Parsed on the first request for it, not at start-up: the YAML parse is most of start-up's cost,
        # and most runs never ask for the document.
        self._document: dict[str, Any] | None = None
        # Rendered once per public URL: a server normally sees one or two (localhost and a container name).
        self._rendered: dict[tuple[str, str], str] = {}

    def _render(self, request: Request, fmt: str) -> str:
        base = self.ctx.urls(request).public_url
        key = (base, fmt)
        text = self._rendered.get(key)
        if text is None:
            if self._document is None:
                self._document = load_contract()
            document: dict[str, Any] = copy.deepcopy(self._document)
            others = [s for s in document.get("servers", []) if s.get("url") != base]
            document["servers"] = [{"url": base, "description": "This emulator."}, *others]
            if fmt == "json":
                text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            else:
                import yaml  # only here: not imported at start-up

                text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)
            if len(self._rendered) < 64:
                self._rendered[key] = text
        return text

    async def openapi_json(self, request: Request) -> Response:
        return Response(self._render(request, "json"), media_type="application/json")

    async def openapi_yaml(self, request: Request) -> Response:
        return Response(self._render(request, "yaml"), media_type="application/yaml")


def contract_routes(ctx: ApiContext) -> list[BaseRoute]:
    handlers = ContractHandlers(ctx)
    return [
        Route("/openapi.json", handlers.openapi_json, methods=["GET"], name="openapi-json"),
        Route("/openapi.yaml", handlers.openapi_yaml, methods=["GET"], name="openapi-yaml"),
    ]

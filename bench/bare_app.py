"""The bare-stack reference: the least a Starlette + uvicorn + orjson app can do for the same requests.

Dicts in memory, no validation beyond "is it JSON", no tenants, no journal: what the emulator is measured
against (`bench/run.py` reports emulator ÷ this). Same server settings as `codat-mock serve` gets from
uvicorn (httptools, one process), bound to 127.0.0.1.

    .venv/bin/python bench/bare_app.py --port 0
"""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def _json(value: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(value), status_code=status, media_type="application/json")


def _now() -> str:
    return datetime.now(UTC).isoformat()


def build() -> Starlette:
    companies: dict[str, dict[str, Any]] = {}

    async def list_companies(request: Request) -> Response:
        size = int(request.query_params.get("pageSize", "100"))
        page = int(request.query_params.get("page", "1"))
        values = list(companies.values())
        results = values[(page - 1) * size : page * size]
        return _json({"results": results, "pageNumber": page, "pageSize": size, "totalResults": len(values)})

    async def create_company(request: Request) -> Response:
        body = orjson.loads(await request.body())
        company_id = str(uuid.uuid4())
        company = {"id": company_id, "name": body["name"], "created": _now(), "dataConnections": []}
        companies[company_id] = company
        return _json(company)

    async def get_company(request: Request) -> Response:
        company = companies.get(request.path_params["companyId"])
        return _json(company) if company is not None else _json({"error": "not found"}, 404)

    async def create_connection(request: Request) -> Response:
        company = companies.get(request.path_params["companyId"])
        if company is None:
            return _json({"error": "not found"}, 404)
        body = orjson.loads(await request.body())
        connection = {"id": str(uuid.uuid4()), "platformKey": body["platformKey"], "status": "PendingAuth"}
        company["dataConnections"].append(connection)
        return _json(connection)

    async def get_connection(request: Request) -> Response:
        company = companies.get(request.path_params["companyId"])
        wanted = request.path_params["connectionId"]
        for connection in company["dataConnections"] if company is not None else []:
            if connection["id"] == wanted:
                return _json(connection)
        return _json({"error": "not found"}, 404)

    return Starlette(
        routes=[
            Route("/companies", list_companies, methods=["GET"]),
            Route("/companies", create_company, methods=["POST"]),
            Route("/companies/{companyId}", get_company, methods=["GET"]),
            Route("/companies/{companyId}/connections", create_connection, methods=["POST"]),
            Route("/companies/{companyId}/connections/{connectionId}", get_connection, methods=["GET"]),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    uvicorn.run(build(), host="127.0.0.1", port=args.port, log_level="info", access_log=False)


if __name__ == "__main__":
    main()

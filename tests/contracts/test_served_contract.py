"""The server serves the contract, and its routes are exactly the contract's operations."""

from __future__ import annotations

import json
from collections.abc import Callable

import yaml
from starlette.routing import Route
from starlette.testclient import TestClient

from contracts.spec import iter_operations, load_contract
from mock_server.app import create_app
from mock_server.domain.store import Store
from mock_server.settings import Settings

# Routes that are the emulator's own, not Codat operations: the served contract, the Link pages and /_mock.
OWN_PREFIXES = ("/openapi.", "/link", "/_mock")


def _api_routes() -> dict[str, tuple[str, str]]:
    """operationId → (METHOD, path) for every Codat route of a fresh app."""
    app = create_app()
    table: dict[str, tuple[str, str]] = {}
    for route in app.routes:
        assert isinstance(route, Route)
        if route.path.startswith(OWN_PREFIXES):
            continue
        methods = sorted((route.methods or set()) - {"HEAD"})
        assert len(methods) == 1, f"{route.name} serves {methods}; one operation per route"
        assert route.name not in table, f"two routes are named {route.name}"
        table[route.name] = (methods[0], route.path)
    return table


def test_routes_and_contract_operations_match_both_ways() -> None:
    routes = _api_routes()
    contract = {op_id: (method, path) for op_id, method, path, _ in iter_operations(load_contract())}
    assert set(routes) - set(contract) == set(), "routes the contract does not describe"
    assert set(contract) - set(routes) == set(), "contract operations the server does not serve"
    assert routes == contract, "an operation is served on another method or path than the contract says"


def test_openapi_json_is_the_contract_with_this_server_first(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    served = response.json()
    shipped = load_contract()
    assert served["servers"][0]["url"] == "http://testserver"
    assert "https://api.codat.io" in [s["url"] for s in served["servers"]]
    served.pop("servers"), shipped.pop("servers")
    assert served == shipped


def test_openapi_yaml_is_the_same_document(client: TestClient) -> None:
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/yaml")
    assert yaml.safe_load(response.text) == json.loads(client.get("/openapi.json").text)


def test_public_url_names_the_server(store: Store) -> None:
    app = create_app(Settings(public_url="https://codat-mock.internal:9000"), store)
    with TestClient(app) as http:
        served = http.get("/openapi.json").json()
    assert served["servers"][0]["url"] == "https://codat-mock.internal:9000"
    assert [s["url"] for s in served["servers"]].count("https://codat-mock.internal:9000") == 1


def test_the_served_contract_needs_no_auth_and_is_not_journaled(
    client: TestClient, basic_auth: Callable[[str], dict[str, str]]
) -> None:
    auth = basic_auth("contract-reader")
    assert client.get("/openapi.json").status_code == 200
    client.post("/_mock/faults", json={"path": "/**", "status": 503})
    assert client.get("/openapi.json").status_code == 200, "a fault rule for every path must not hide the contract"
    client.delete("/_mock/faults")
    client.get("/openapi.yaml", headers=auth)
    paths = [entry["path"] for entry in client.get("/_mock/journal").json()["entries"]]
    assert "/openapi.json" not in paths and "/openapi.yaml" not in paths

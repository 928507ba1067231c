"""Health, readiness, and the control plane's OpenAPI document: valid, complete, and what the server does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from starlette.routing import Route
from starlette.testclient import TestClient

from contracts.spec import iter_operations, resolve_refs
from mock_server.app import create_app
from mock_server.control.service import load_openapi
from mock_server.domain.catalogue import Catalogue
from mock_server.domain.enums import SourceType
from mock_server.domain.errors import BadRequest
from mock_server.domain.faults import compile_path_pattern
from mock_server.domain.rules import clean_company_name
from mock_server.domain.store import Store
from mock_server.domain.tenants import REDIRECT_URL_PATTERN
from mock_server.domain.timestamps import TIMESTAMP_PATTERN
from mock_server.http.context import ApiContext
from mock_server.http.routes import api_routes
from mock_server.settings import Settings


def test_health_and_ready(client: TestClient) -> None:
    health = client.get("/_mock/health", headers={"Authorization": ""})
    assert health.status_code == 200 and health.json()["status"] == "ok"
    ready = client.get("/_mock/ready").json()
    assert ready["status"] == "ready"
    assert ready["deterministic"] is False and ready["adminTokenRequired"] is False
    assert ready["journalCapacity"] == 1000


def test_ready_reports_the_configuration() -> None:
    settings = Settings(seed=1, admin_token="s3cret", journal_size=5)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        ready = client.get("/_mock/ready").json()
    assert (ready["deterministic"], ready["adminTokenRequired"], ready["journalCapacity"]) == (True, True, 5)
    assert "s3cret" not in str(ready)


def test_the_document_is_served_and_well_formed(client: TestClient) -> None:
    served = client.get("/_mock/openapi.json")
    assert served.status_code == 200 and served.headers["content-type"] == "application/json"
    document = served.json()
    assert document == load_openapi()
    assert document["openapi"].startswith("3.1")
    resolved = resolve_refs(document)  # every $ref points at something
    for name, schema in resolved["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema), name
    for op_id, _, _, operation in iter_operations(resolved):
        assert operation.get("summary"), op_id
        assert operation["responses"], op_id


def test_routes_and_document_agree_both_ways(store: Store) -> None:
    app = create_app(store=store)
    served = {
        (route.name, method, route.path)
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith("/_mock")
        for method in (route.methods or set()) - {"HEAD"}
    }
    documented = {(op_id, method, path) for op_id, method, path, _ in iter_operations(load_openapi())}
    assert served == documented


# --- responses match the documented schemas ---------------------------------------------------------


def response_schema(document: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    operation = document["paths"][path][method.lower()]
    response = operation["responses"][str(status)]
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


@pytest.fixture(scope="module")
def resolved() -> dict[str, Any]:
    return resolve_refs(load_openapi())


def check(resolved: dict[str, Any], response: Any, path: str, method: str) -> None:
    """The response's status is documented for the operation, and its body fits the documented schema."""
    documented = resolved["paths"][path][method.lower()]["responses"]
    assert str(response.status_code) in documented, (path, method, response.status_code, response.text)
    schema = response_schema(resolved, path, method, response.status_code)
    errors = sorted(Draft202012Validator(schema).iter_errors(response.json()), key=str)
    assert not errors, (path, method, [e.message for e in errors])


def test_every_operation_answers_as_documented(client: TestClient, resolved: dict[str, Any]) -> None:
    company = client.post("/companies", json={"name": "Acme"}).json()
    connection = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}).json()
    other = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "gbol"}).json()
    link = "/_mock/companies/{companyId}/connections/{connectionId}/"
    concrete = f"/_mock/companies/{company['id']}/connections/"
    calls: list[tuple[str, str, str, dict[str, Any] | None, dict[str, str] | None]] = [
        ("GET", "/_mock/health", "/_mock/health", None, None),
        ("GET", "/_mock/ready", "/_mock/ready", None, None),
        ("GET", "/_mock/openapi.json", "/_mock/openapi.json", None, None),
        ("PUT", "/_mock/settings", "/_mock/settings", {"redirectUrl": "https://x.example/{statusCode}"}, None),
        ("PUT", "/_mock/settings", "/_mock/settings", {"autoLink": {"mode": "sometimes"}}, None),
        ("GET", "/_mock/settings", "/_mock/settings", None, None),
        ("GET", "/_mock/state", "/_mock/state", None, None),
        ("PUT", "/_mock/state", "/_mock/state", {"version": 7}, None),
        ("GET", "/_mock/clock", "/_mock/clock", None, None),
        ("POST", "/_mock/clock", "/_mock/clock", {"advanceSeconds": 5}, None),
        ("POST", "/_mock/clock", "/_mock/clock", {}, None),
        ("POST", link + "authorize", concrete + connection["id"] + "/authorize", None, None),
        ("POST", link + "authorize", concrete + other["id"] + "/authorize", None, None),
        ("POST", link + "cancel", concrete + other["id"] + "/cancel", None, None),
        ("POST", link + "fail", concrete + other["id"] + "/fail", None, None),
        ("POST", link + "fail", concrete + "00000000-0000-4000-8000-000000000000/fail", None, None),
        ("POST", link + "deauthorize", concrete + connection["id"] + "/deauthorize", None, None),
        ("POST", link + "deauthorize", concrete + other["id"] + "/deauthorize", None, None),
        ("GET", "/_mock/journal", "/_mock/journal", None, None),
        ("GET", "/_mock/journal", "/_mock/journal?status=abc", None, None),
        ("POST", "/_mock/faults", "/_mock/faults", {"operationId": "get-company", "status": 503}, None),
        ("POST", "/_mock/faults", "/_mock/faults", {"status": 503}, None),
        ("GET", "/_mock/faults", "/_mock/faults", None, None),
        ("DELETE", "/_mock/faults/{ruleId}", "/_mock/faults/fault-1", None, None),
        ("DELETE", "/_mock/faults/{ruleId}", "/_mock/faults/fault-1", None, None),
        ("DELETE", "/_mock/faults", "/_mock/faults", None, None),
        ("DELETE", "/_mock/journal", "/_mock/journal", None, None),
        ("GET", "/_mock/tenants", "/_mock/tenants", None, None),
        ("POST", "/_mock/reset", "/_mock/reset", None, None),
        ("POST", "/_mock/reset", "/_mock/reset", None, {"Authorization": "Bearer x"}),
        ("POST", "/_mock/reset/all", "/_mock/reset/all", None, None),
    ]
    for method, template, url, body, headers in calls:
        response = client.request(method, url, json=body, headers=headers)
        check(resolved, response, template, method)


def test_admin_refusals_answer_as_documented(store: Store, resolved: dict[str, Any]) -> None:
    settings = Settings(admin_token="s3cret")  # type: ignore[arg-type]
    with TestClient(create_app(settings, store=store)) as client:
        for method, path, status in (
            ("POST", "/_mock/reset/all", 403),
            ("GET", "/_mock/tenants", 403),
            ("GET", "/_mock/journal", 401),  # neither a tenant nor the admin: names both ways in
        ):
            response = client.request(method, path)
            assert response.status_code == status
            check(resolved, response, path, method)
        unauthenticated = client.post("/_mock/reset")
        check(resolved, unauthenticated, "/_mock/reset", "POST")
        assert re.fullmatch(r"[0-9a-f]{32}", unauthenticated.json()["correlationId"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=10,
)
field_names = st.sampled_from(
    [
        "version",
        "companies",
        "settings",
        "autoLink",
        "redirectUrl",
        "mode",
        "seconds",
        "reads",
        "now",
        "advanceSeconds",
        "operationId",
        "method",
        "path",
        "status",
        "delayMs",
        "count",
        "probability",
        "retryAfter",
        "message",
        "x",
    ]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(field_names, json_values, max_size=6), query=st.dictionaries(field_names, st.text(max_size=30))
)
def test_no_control_input_ever_yields_a_server_error(
    client: TestClient, body: dict[str, Any], query: dict[str, str]
) -> None:
    company = client.post("/companies", json={"name": "Fixed"}).json()
    connection = client.post(f"/companies/{company['id']}/connections", json={"platformKey": "qhyg"}).json()
    base = f"/_mock/companies/{company['id']}/connections/{connection['id']}"
    for method, url in (
        ("PUT", "/_mock/state"),
        ("PUT", "/_mock/settings"),
        ("POST", "/_mock/clock"),
        ("POST", "/_mock/faults"),
        ("GET", "/_mock/journal"),
        ("POST", f"{base}/cancel"),
        ("POST", f"{base}/authorize"),
    ):
        response = client.request(method, url, json=body, params=query)
        assert response.status_code < 500, (method, url, response.text)
    client.delete("/_mock/faults")
    client.post("/_mock/reset")


# --- the document states what the code enforces ------------------------------------------------------


def test_the_documents_constraints_are_the_codes(store: Store) -> None:
    # The patterns and enums below are spelled out in openapi.yaml; each must be the one the code applies.
    schemas = load_openapi()["components"]["schemas"]
    assert schemas["DateTime"]["pattern"] == TIMESTAMP_PATTERN
    assert schemas["TenantSettings"]["properties"]["redirectUrl"]["pattern"] == REDIRECT_URL_PATTERN
    catalogue = Catalogue.default()
    assert schemas["PlatformKey"]["enum"] == [i.key for i in catalogue]
    assert schemas["AccountingPlatformKey"]["enum"] == [
        i.key for i in catalogue if i.source_type is SourceType.ACCOUNTING
    ]
    served = sorted(r.name for r in api_routes(ApiContext(store=store, settings=Settings())) if isinstance(r, Route))
    assert schemas["FaultRuleRequest"]["properties"]["operationId"]["enum"] == served


NAME_PATTERN = re.compile(
    load_openapi()["components"]["schemas"]["TenantState"]["properties"]["companies"]["items"]["properties"]["name"][
        "pattern"
    ]
)


def stored_as_is(name: str) -> bool:
    """Whether the API could have stored `name`: cleaning keeps it whole, and it is not all whitespace."""
    try:
        return clean_company_name(name) == name
    except BadRequest:
        return False


@settings(max_examples=300, deadline=None)
@given(
    name=st.text(alphabet=st.characters(codec="utf-8"), max_size=8) | st.sampled_from(["A", " ", "\u3000a", "a\x1c"])
)
def test_the_documents_name_pattern_is_what_import_accepts(name: str) -> None:
    assert (NAME_PATTERN.fullmatch(name) is not None) == stored_as_is(name), repr(name)


def test_the_served_document_says_who_needs_the_admin_token(store: Store) -> None:
    open_document = TestClient(create_app(store=store)).get("/_mock/openapi.json").json()
    guarded = create_app(Settings(admin_token="s3cret"), store=store)  # type: ignore[arg-type]
    guarded_document = TestClient(guarded).get("/_mock/openapi.json").json()
    admin_capable = 0
    for op_id, method, path, operation in iter_operations(open_document):
        guarded_security = guarded_document["paths"][path][method.lower()]["security"]
        if {"admin": []} in operation["security"]:
            # Without a token every caller is an admin: no credentials at all is one way in.
            admin_capable += 1
            assert operation["security"][-1] == {}, op_id
            assert guarded_security == operation["security"][:-1], op_id
        else:
            assert guarded_security == operation["security"], op_id
    assert admin_capable == 9  # reset all, tenants, set clock; journal ×2; faults ×4


PATH_PATTERN = re.compile(load_openapi()["components"]["schemas"]["FaultRuleRequest"]["properties"]["path"]["pattern"])
path_segments = st.sampled_from(["*", "**", "{id}", "{a-b}", "companies", "a*", "{x}y", "", "a\nb", "{", "}"])


def compiles(pattern: str) -> bool:
    try:
        compile_path_pattern(pattern)
    except ValueError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.lists(path_segments, max_size=5).map(lambda segments: "/" + "/".join(segments))
    | st.text(alphabet="/*{}ab_", min_size=1, max_size=12)
)
def test_the_documents_path_pattern_is_what_a_fault_rule_accepts(pattern: str) -> None:
    assert (PATH_PATTERN.fullmatch(pattern) is not None) == compiles(pattern), repr(pattern)

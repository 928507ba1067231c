"""Every Bill Pay request `sdk_stub` builds is one Codat's published Payables document allows.

For each of the 14 operations, Hypothesis drives the client method with inputs the client accepts, and the
request that reaches the transport is checked against ../shared/codat-oas/Codat-Sync-Payables.json: it
reaches exactly that operation (method and path), its path parameters, query parameters and headers are
declared there and valid, and its body (JSON or multipart) is valid against the operation's request schema.
The document is only present in the development workspace; without it this module is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from payables_calls import CALLS
from payables_fake import canned, parse_multipart
from sdk_fake import API_KEY, BASE_URL

from contracts.spec import resolve_refs
from sdk_stub import CodatClient

OAS_FILE = Path(__file__).resolve().parents[2] / ".." / "shared" / "codat-oas" / "Codat-Sync-Payables.json"
if not OAS_FILE.is_file():
    pytest.skip(
        f"Codat's published Payables document is not at {OAS_FILE} (it exists only in the development workspace)",
        allow_module_level=True,
    )


def _nullable(node: Any) -> Any:
    """The document is OpenAPI 3.1 but marks optional nulls the 3.0 way (`nullable: true`), which JSON Schema
    ignores; read it as its authors meant, so a null is allowed exactly where they say."""
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, Mapping):
        return node
    out = {key: _nullable(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        else:
            return {"anyOf": [out, {"type": "null"}]}
    return out


DOCUMENT = _nullable(resolve_refs(json.loads(OAS_FILE.read_text(encoding="utf-8"))))
PREFIX = "/companies/{companyId}/connections/{connectionId}/payables"


def _operations() -> dict[str, tuple[str, str, dict[tuple[str, str], Any], Mapping[str, Any]]]:
    """operationId → (method, path template, (name, in) → parameter, operation)."""
    found = {}
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if method == "parameters" or not isinstance(operation, Mapping) or "operationId" not in operation:
                continue
            parameters = {
                (p["name"], p["in"]): p for p in [*item.get("parameters", []), *operation.get("parameters", [])]
            }
            found[operation["operationId"]] = (method.upper(), path, parameters, operation)
    return found


OPERATIONS = _operations()


def _match(template: str, raw_path: str) -> dict[str, str] | None:
    wanted, got = template.split("/"), raw_path.split("/")
    if len(wanted) != len(got):
        return None
    captured = {}
    for pattern, segment in zip(wanted, got, strict=True):
        if pattern.startswith("{") and pattern.endswith("}"):
            if not segment:
                return None
            captured[pattern[1:-1]] = unquote(segment)
        elif pattern != segment:
            return None
    return captured


def _validate(schema: Mapping[str, Any], value: object) -> None:
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(value)


def assert_allowed(request: httpx.Request, operation_id: str) -> None:
    raw_path, _, query = request.url.raw_path.decode("ascii").partition("?")
    raw_path = raw_path.removeprefix(httpx.URL(BASE_URL).raw_path.decode().rstrip("/"))
    reached = {
        op_id: captured
        for op_id, (method, template, _, _) in OPERATIONS.items()
        if method == request.method and (captured := _match(template, raw_path)) is not None
    }
    assert list(reached) == [operation_id], f"{request.method} {raw_path} reaches {sorted(reached)}"
    _, _, parameters, operation = OPERATIONS[operation_id]

    for name, value in reached[operation_id].items():
        _validate(parameters[(name, "path")]["schema"], value)

    sent = parse_qsl(query, keep_blank_values=True)
    assert len({name for name, _ in sent}) == len(sent), "a query parameter is repeated"
    for name, value in sent:
        assert (name, "query") in parameters, f"query parameter {name!r} is not declared for {operation_id}"
        _validate(parameters[(name, "query")]["schema"], value)

    declared_headers = {name.lower() for name, where in parameters if where == "header"}
    standard = {"host", "accept", "accept-encoding", "connection", "user-agent", "authorization"}
    standard |= {"content-type", "content-length"}
    for header in request.headers:
        assert header.lower() in standard | declared_headers, f"header {header!r} is not declared for {operation_id}"
        if header.lower() in declared_headers:
            [schema] = [
                p["schema"] for (n, w), p in parameters.items() if w == "header" and n.lower() == header.lower()
            ]
            _validate(schema, request.headers[header])

    request_body = operation.get("requestBody")
    if request_body is None:
        assert request.content == b"", f"{operation_id} takes no body"
        return
    media_type = request.headers.get("Content-Type", "").split(";")[0].strip()
    assert media_type in request_body["content"], f"{media_type!r} is not a media type {operation_id} takes"
    schema = request_body["content"][media_type]["schema"]
    if media_type == "application/json":
        _validate(schema, json.loads(request.content))
    else:
        parts = parse_multipart(request)
        assert set(schema.get("required", [])) <= set(parts), "a required multipart part is missing"
        assert set(parts) <= set(schema["properties"]), "an undeclared multipart part was sent"
        for name, (filename, _, _) in parts.items():
            if schema["properties"][name].get("format") == "binary":
                assert filename, f"the binary part {name!r} is sent as a file"

    # Every success answer the operation documents is acceptable to the Accept header the client sends.
    accepted = {part.split(";")[0].strip() for part in request.headers.get("Accept", "*/*").split(",")}
    for status, response in operation["responses"].items():
        if status.startswith("2"):
            for documented in response.get("content", {}):
                assert accepted & {documented, "*/*"}, f"Accept refuses the documented {documented}"


def test_the_document_has_exactly_the_payables_operations_the_client_calls() -> None:
    payables = {op_id for op_id, (_, path, _, _) in OPERATIONS.items() if path.startswith(PREFIX)}
    assert payables == set(CALLS)


@pytest.mark.parametrize("operation_id", sorted(CALLS))
def test_every_request_the_client_builds_is_valid_for_the_document(operation_id: str) -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return canned(request)

    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as http,
        CodatClient(API_KEY, base_url=BASE_URL, http_client=http, retry=None) as codat,
    ):

        @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(CALLS[operation_id]())
        def check(call: tuple[str, str, dict[str, Any]]) -> None:
            group, method, kwargs = call
            seen.clear()
            getattr(getattr(codat, group), method)(**kwargs)
            [request] = seen
            assert_allowed(request, operation_id)
            if "idempotency_key" in kwargs:
                assert request.headers["Idempotency-Key"] == kwargs["idempotency_key"]

        check()

"""The contract document itself: valid OpenAPI 3.1, complete, self-consistent, and in our own words."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from contracts.drift import DEVIATION_KEY, KINDS
from contracts.spec import (
    contract_text,
    iter_operations,
    load_contract,
    operation_ids,
    operations,
    resolve_refs,
)

REPO = Path(__file__).resolve().parents[2]
UPSTREAM_DIR = REPO / ".." / "shared" / "codat-oas"
NOT_HERE = "Codat's published spec is not present at ../shared/codat-oas (only in the development workspace)"

EXPECTED_OPERATIONS = {
    "list-companies": ("GET", "/companies"),
    "create-company": ("POST", "/companies"),
    "get-company": ("GET", "/companies/{companyId}"),
    "replace-company": ("PUT", "/companies/{companyId}"),
    "update-company": ("PATCH", "/companies/{companyId}"),
    "delete-company": ("DELETE", "/companies/{companyId}"),
    "list-connections": ("GET", "/companies/{companyId}/connections"),
    "create-connection": ("POST", "/companies/{companyId}/connections"),
    "get-connection": ("GET", "/companies/{companyId}/connections/{connectionId}"),
    "delete-connection": ("DELETE", "/companies/{companyId}/connections/{connectionId}"),
    "unlink-connection": ("PATCH", "/companies/{companyId}/connections/{connectionId}"),
    "update-connection-authorization": ("PUT", "/companies/{companyId}/connections/{connectionId}/authorization"),
    "list-integrations": ("GET", "/integrations"),
    "get-integration": ("GET", "/integrations/{platformKey}"),
    "list-webhook-consumers": ("GET", "/webhooks"),
    "create-webhook-consumer": ("POST", "/webhooks"),
    "delete-webhook-consumer": ("DELETE", "/webhooks/{webhookId}"),
}
SUCCESS = {op: "200" for op in EXPECTED_OPERATIONS} | {
    "delete-company": "204",
    "create-webhook-consumer": "201",
    "delete-webhook-consumer": "204",
}
_P = "/companies/{companyId}/connections/{connectionId}/payables"
PAYABLES_OPERATIONS = {
    "get-company-information": ("GET", f"{_P}/info"),
    "get-mapping-options-bills": ("GET", f"{_P}/mappingOptions/bills"),
    "get-mapping-options-payments": ("GET", f"{_P}/mappingOptions/payments"),
    "list-bills": ("GET", f"{_P}/bills"),
    "create-bill": ("POST", f"{_P}/bills"),
    "update-bill": ("PUT", f"{_P}/bills/{{billId}}"),
    "upload-bill-attachment": ("POST", f"{_P}/bills/{{billId}}/attachments"),
    "list-bill-attachments": ("GET", f"{_P}/bills/{{billId}}/attachments"),
    "download-bill-attachment": ("GET", f"{_P}/bills/{{billId}}/attachments/{{attachmentId}}/download"),
    "create-bill-payment": ("POST", f"{_P}/bills/{{billId}}/payment"),
    "list-suppliers": ("GET", f"{_P}/suppliers"),
    "create-supplier": ("POST", f"{_P}/suppliers"),
    "update-supplier": ("PUT", f"{_P}/suppliers/{{supplierId}}"),
    "create-bank-account": ("POST", f"{_P}/bankAccounts"),
}
EXPECTED_OPERATIONS |= PAYABLES_OPERATIONS
CREATED = {"create-bill", "upload-bill-attachment", "create-bill-payment", "create-supplier", "create-bank-account"}
# Writes that take an Idempotency-Key, and so may answer 422 for a reused one.
IDEMPOTENT = {"create-bill", "update-bill", "create-bill-payment", "create-supplier", "create-bank-account"}
SUCCESS = (
    {op: "200" for op in EXPECTED_OPERATIONS}
    | {"delete-company": "204", "create-webhook-consumer": "201", "delete-webhook-consumer": "204"}
    | {op: "201" for op in CREATED}
)
# The operations whose input the emulator validates (docs/decisions.md, "Status codes").
ANSWERS_400 = {
    "list-companies",
    "create-company",
    "replace-company",
    "update-company",
    "list-connections",
    "create-connection",
    "unlink-connection",
    "update-connection-authorization",
    "list-integrations",
    "create-webhook-consumer",
} | (set(PAYABLES_OPERATIONS) - {"list-bill-attachments", "download-bill-attachment"})


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    return load_contract()


@pytest.fixture(scope="module")
def resolved(contract: dict[str, Any]) -> dict[str, Any]:
    return resolve_refs(contract)


def _operation(resolved: Mapping[str, Any], op_id: str) -> Mapping[str, Any]:
    method, path = EXPECTED_OPERATIONS[op_id]
    operation: Mapping[str, Any] = resolved["paths"][path][method.lower()]
    return operation


def _path_parameters(resolved: Mapping[str, Any], op_id: str) -> set[str]:
    _, path = EXPECTED_OPERATIONS[op_id]
    item = resolved["paths"][path]
    params = [*(item.get("parameters") or []), *(_operation(resolved, op_id).get("parameters") or [])]
    return {p["name"] for p in params if p["in"] == "path"}


def _validator(schema: Mapping[str, Any]) -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# --- validity ----------------------------------------------------------------------------------------------


def test_is_valid_openapi_3_1(contract: dict[str, Any]) -> None:
    assert contract["openapi"].startswith("3.1")
    try:
        from openapi_spec_validator import validate
    except ImportError:  # not a test dependency; Schemathesis' loader is the fallback check
        import schemathesis

        schema = schemathesis.openapi.from_dict(load_contract())  # it may change what it is given
        loaded = [result.ok() for result in schema.get_all_operations()]
        assert len(loaded) == len(EXPECTED_OPERATIONS)
    else:
        validate(contract)


def test_schemathesis_builds_the_stateful_workflow_from_our_links() -> None:
    import schemathesis

    # Building the state machine validates every link (target operation, parameters, expressions).
    machine = schemathesis.openapi.from_dict(load_contract()).as_state_machine()
    assert machine is not None


def test_every_ref_resolves_and_none_is_cyclic(resolved: dict[str, Any]) -> None:
    assert "$ref" not in json.dumps(resolved)


def test_status_codes_are_strings_in_yaml(contract: dict[str, Any]) -> None:
    # An unquoted 200 in YAML is an int, which OpenAPI tools read differently from "200".
    for _, _, _, operation in iter_operations(contract):
        assert all(isinstance(code, str) for code in operation["responses"])


def test_versions(contract: dict[str, Any]) -> None:
    assert contract["info"]["version"] == "0.1.0"
    assert contract["x-codat-upstream"]["version"] == "3.0.0"


# --- operations and responses ------------------------------------------------------------------------------


def test_operations_are_exactly_the_emulated_ones() -> None:
    assert operations() == EXPECTED_OPERATIONS
    assert operation_ids() == frozenset(EXPECTED_OPERATIONS)


@pytest.mark.parametrize("op_id", sorted(EXPECTED_OPERATIONS))
def test_every_response_the_emulator_can_give_is_documented(resolved: dict[str, Any], op_id: str) -> None:
    operation = _operation(resolved, op_id)
    expected = {SUCCESS[op_id], "401", "429", "503"}
    if _path_parameters(resolved, op_id):
        expected.add("404")
    if "requestBody" in operation:
        expected.add("400")
        if "application/json" in operation["requestBody"]["content"]:  # a multipart upload has its own limit
            expected.add("413")
    if op_id in IDEMPOTENT:
        expected.add("422")
    if op_id in ANSWERS_400:
        expected.add("400")
    assert set(operation["responses"]) == expected
    for code, response in operation["responses"].items():
        if code.startswith("2"):
            continue
        schema = response["content"]["application/json"]["schema"]
        assert schema == resolved["components"]["schemas"]["ErrorMessage"]
        if code in ("429", "503"):
            assert response["headers"]["Retry-After"]["schema"]["type"] == "integer"


@pytest.mark.parametrize("op_id", ["delete-company", "delete-connection"])
def test_deletes_have_no_body(resolved: dict[str, Any], op_id: str) -> None:
    assert "content" not in _operation(resolved, op_id)["responses"][SUCCESS[op_id]]


def test_every_operation_needs_the_authorization_header(contract: dict[str, Any]) -> None:
    assert contract["security"] == [{"auth_header": []}]
    scheme = contract["components"]["securitySchemes"]["auth_header"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert all("security" not in op for _, _, _, op in iter_operations(contract))


def test_parameter_constraints(resolved: dict[str, Any]) -> None:
    parameters = resolved["components"]["parameters"]
    page, page_size = parameters["page"]["schema"], parameters["pageSize"]["schema"]
    assert (page["minimum"], page["default"]) == (1, 1)
    assert (page_size["minimum"], page_size["maximum"], page_size["default"]) == (1, 5000, 100)
    for name in ("companyId", "connectionId"):
        assert parameters[name]["schema"] == {"type": "string", "format": "uuid"}
        assert parameters[name]["required"] is True
    key = _validator(parameters["platformKey"]["schema"])
    assert key.is_valid("gbol")
    for bad in ("GBOL", "gbo", "gbolx", "gb0l", ""):
        assert not key.is_valid(bad), bad


def test_company_name_accepts_what_the_emulator_keeps(resolved: dict[str, Any]) -> None:
    # The emulator strips characters outside Codat's alphabet and refuses a name left empty or blank.
    name = _validator(resolved["components"]["schemas"]["CompanyRequestBody"]["properties"]["name"])
    for good in ("Acme Ltd.", "Acme (UK) [2]", "Ünïcode & Sons", " x ", "?"):
        assert name.is_valid(good), good
    for bad in ("", "   ", "()[]", "é", "\t\n"):
        assert not name.is_valid(bad), bad


def test_request_bodies(resolved: dict[str, Any]) -> None:
    schemas = resolved["components"]["schemas"]
    create = _validator(schemas["CompanyRequestBody"])
    assert create.is_valid({"name": "Acme", "description": None, "tags": {"region": "uk"}})
    assert not create.is_valid({"description": "no name"})
    # Open, as Codat's are: an unknown field is ignored by the emulator (a 400 only with strict bodies).
    assert create.is_valid({"name": "Acme", "colour": "red"})
    assert not create.is_valid({"name": "Acme", "tags": {f"k{i}": "v" for i in range(11)}})
    assert not create.is_valid({"name": "Acme", "tags": {"k" * 28: "v"}})
    assert not create.is_valid({"name": "Acme", "tags": {"k": "v" * 101}})
    update = _validator(schemas["CompanyUpdateRequest"])
    assert update.is_valid({}) and update.is_valid({"name": None, "tags": None}) and update.is_valid({"x": 1})
    connection = _validator(schemas["CreateConnection"])
    assert connection.is_valid({"platformKey": "qhyg"}) and connection.is_valid({"platformKey": "qhyg", "x": 1})
    assert not connection.is_valid({})
    unlink = _validator(schemas["UpdateConnectionStatus"])
    # Unlinked, or nothing (which means Unlinked); any other status is a 400 from the emulator.
    assert all(unlink.is_valid(body) for body in ({"status": "Unlinked"}, {}, {"status": None}))
    assert not any(unlink.is_valid(body) for body in ({"status": "Linked"}, {"status": "Gone"}))
    assert unlink.is_valid({"status": "Unlinked", "x": 1})  # ignored, like every unknown body field
    authorization = _validator(schemas["ConnectionAuthorization"])
    assert authorization.is_valid({"accessToken": "0000"}) and not authorization.is_valid({"n": 1})
    # Optional as in Codat's documents (none reads as `{}`), except where `{}` lacks a field a 400 names.
    for op_id in ("update-company", "unlink-connection", "update-connection-authorization"):
        assert _operation(resolved, op_id)["requestBody"].get("required", False) is False
    for op_id in ("create-company", "replace-company", "create-connection"):
        assert _operation(resolved, op_id)["requestBody"]["required"] is True


CONNECTION: dict[str, Any] = {
    "id": "2e9d2c44-f675-40ba-8049-353bfcb5e171",
    "integrationId": "adeb7fe9-4c64-4848-9e0d-175317876b6f",
    "integrationKey": "qhyg",
    "sourceId": "afe268b1-289e-4496-b890-3d65e9ce1acb",
    "sourceType": "Accounting",
    "platformName": "QuickBooks Online",
    "linkUrl": "http://localhost:8000/link/companies/8a210b68-6988-11ed-a1eb-0242ac120002/connections/2e9d/start",
    "status": "PendingAuth",
    "created": "2026-11-26T06:53:22.1234560Z",
    "dataConnectionErrors": [
        {
            "statusCode": "403",
            "statusText": "User cancelled",
            "errorMessage": "User cancelled",
            "erroredOnUtc": "2026-11-26T06:54:00.0000000Z",
            "status": "Active",
        }
    ],
}
COMPANY: dict[str, Any] = {
    "id": "8a210b68-6988-11ed-a1eb-0242ac120002",
    "name": "Acme",
    "description": "",
    "redirect": "http://localhost:8000/link/company/8a210b68-6988-11ed-a1eb-0242ac120002",
    "created": "2026-11-26T06:53:22.1234560Z",
    "createdByUserName": None,
    "products": [],
    "tags": {},
    "referenceSubsidiaryCompanies": [],
    "dataConnections": [CONNECTION],
}
INTEGRATION: dict[str, Any] = {
    "key": "gbol",
    "logoUrl": "https://static.codat.io/public/platforms/gbol.png",
    "name": "Xero",
    "enabled": True,
    "sourceId": "8a156a5a-39cb-4f9d-856e-76ef9b9a9607",
    "sourceType": "Accounting",
    "integrationId": "0f20c943-12d0-4800-9f6c-d218f62d494c",
    "isOfflineConnector": False,
    "isBeta": False,
    "dataProvidedBy": "Codat",
    "datatypeFeatures": [],
}
ERROR: dict[str, Any] = {
    "statusCode": 400,
    "service": "PublicApi",
    "error": "Error processing request - not valid.",
    "correlationId": "0123456789abcdef0123456789abcdef",
    "validation": {"errors": [{"itemId": "name", "message": "required", "validatorName": "Required"}], "warnings": []},
    "canBeRetried": "Unknown",
    "detailedErrorCode": 0,
}


def _page(results: list[Any], path: str) -> dict[str, Any]:
    links = {"self": {"href": path}, "current": {"href": f"{path}?page=2&pageSize=1"}}
    links["previous"] = {"href": f"{path}?page=1&pageSize=1"}
    return {"results": results, "pageNumber": 2, "pageSize": 1, "totalResults": 2, "_links": links}


@pytest.mark.parametrize(
    ("schema_name", "body"),
    [
        ("Company", COMPANY),
        ("Connection", CONNECTION),
        ("Integration", INTEGRATION),
        ("ErrorMessage", ERROR),
        ("ErrorMessage", {**ERROR, "validation": None}),
        ("Companies", _page([COMPANY], "/companies")),
        ("Connections", _page([CONNECTION], "/companies/8a210b68-6988-11ed-a1eb-0242ac120002/connections")),
        ("Integrations", _page([INTEGRATION], "/integrations")),
    ],
)
def test_the_emulators_documented_bodies_validate(resolved: dict[str, Any], schema_name: str, body: Any) -> None:
    _validator(resolved["components"]["schemas"][schema_name]).validate(body)


def test_response_schemas_refuse_what_the_emulator_never_sends(resolved: dict[str, Any]) -> None:
    schemas = resolved["components"]["schemas"]
    assert not _validator(schemas["Connection"]).is_valid({**CONNECTION, "surprise": 1})
    assert not _validator(schemas["Connection"]).is_valid({**CONNECTION, "status": "Gone"})
    missing_redirect = {k: v for k, v in COMPANY.items() if k != "redirect"}
    assert not _validator(schemas["Company"]).is_valid(missing_redirect)
    assert not _validator(schemas["Companies"]).is_valid({"results": []})


# --- links -------------------------------------------------------------------------------------------------

EXPECTED_LINKS = {
    "create-company": {
        "get-company",
        "replace-company",
        "update-company",
        "delete-company",
        "create-connection",
        "list-connections",
    },
    "create-connection": {
        "get-connection",
        "unlink-connection",
        "delete-connection",
        "update-connection-authorization",
        "get-integration",
    },
}


def test_links_chain_the_stateful_calls(resolved: dict[str, Any]) -> None:
    for source, targets in EXPECTED_LINKS.items():
        links = _operation(resolved, source)["responses"]["200"]["links"]
        assert {link["operationId"] for link in links.values()} == targets


def test_every_link_names_real_operations_parameters_and_fields(resolved: dict[str, Any]) -> None:
    count = 0
    for source in EXPECTED_OPERATIONS:
        for code, response in _operation(resolved, source)["responses"].items():
            for name, link in (response.get("links") or {}).items():
                count += 1
                target = link["operationId"]
                assert target in EXPECTED_OPERATIONS, name
                for parameter, expression in link["parameters"].items():
                    where, param = parameter.split(".")
                    assert where == "path" and param in _path_parameters(resolved, target), (name, parameter)
                    if expression.startswith("$request.path."):
                        assert expression.removeprefix("$request.path.") in _path_parameters(resolved, source)
                    else:
                        assert expression.startswith("$response.body#/"), expression
                        # Walk the pointer through the schema: every step a required property. Never an array
                        # item: a page can be empty, and Schemathesis then warns that it cannot follow the link.
                        schema = response["content"]["application/json"]["schema"]
                        for step in expression.removeprefix("$response.body#/").split("/"):
                            if "allOf" in schema:  # a page is paging metadata allOf its results
                                schema = next(part for part in schema["allOf"] if step in part.get("properties", {}))
                            assert not step.isdigit(), ("an array element may not exist", source, code, expression)
                            assert step in schema["required"], (source, code, expression)
                            schema = schema["properties"][step]
    assert count >= 10


# --- text and loading --------------------------------------------------------------------------------------


def test_contract_text_round_trips(contract: dict[str, Any]) -> None:
    assert yaml.safe_load(contract_text("yaml")) == contract
    assert json.loads(contract_text("json")) == contract
    with pytest.raises(ValueError, match="unknown format"):
        contract_text("toml")  # type: ignore[arg-type]


def test_load_contract_hands_out_private_copies() -> None:
    first = load_contract()
    first["paths"].clear()
    assert load_contract()["paths"]


def test_importing_the_spec_stays_light() -> None:
    code = "import contracts.spec, contracts.drift, sys; print(sorted({'schemathesis', 'httpx'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == "[]"


def test_deviation_annotations_name_known_kinds(contract: dict[str, Any]) -> None:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if DEVIATION_KEY in node:
                found.extend(node[DEVIATION_KEY])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(contract)
    assert found and set(found) <= set(KINDS)


def _upstream_sentences() -> set[str]:
    sentences: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "summary") and isinstance(value, str):
                    for sentence in re.split(r"(?<=[.!?])\s+|\n+", value):
                        sentence = " ".join(sentence.split()).lower()
                        if len(sentence) >= 40:
                            sentences.add(sentence)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for document in UPSTREAM_DIR.glob("*.json"):
        walk(json.loads(document.read_text(encoding="utf-8")))
    return sentences


@pytest.mark.skipif(not UPSTREAM_DIR.exists(), reason=NOT_HERE)
def test_no_text_is_copied_from_codats_documents() -> None:
    sentences = _upstream_sentences()
    assert sentences
    ours = [REPO / "contracts" / name for name in ("openapi.yaml", "spec.py")]
    ours += sorted((REPO / "contracts" / "drift").glob("*.py"))
    ours.append(REPO / "docs" / "contract.md")
    for path in ours:
        text = " ".join(path.read_text(encoding="utf-8").split()).lower()
        copied = [sentence for sentence in sentences if sentence in text]
        assert not copied, f"{path.name} repeats Codat's wording: {copied[:3]}"

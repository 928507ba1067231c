"""The drift check: each kind of difference on small hand-made documents, the CLI, and Codat's own documents."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.drift import KINDS, Difference, UnknownOperationError, diff_documents, main
from contracts.spec import contract_text, iter_operations, load_contract, resolve_refs

UPSTREAM_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "codat-oas"
NOT_HERE = "Codat's published spec is not present at ../shared/codat-oas (only in the development workspace)"

Doc = dict[str, Any]

THING = "#/components/schemas/Thing"
ERROR = {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

# A small API in the shape of ours: a list, a create with a body, a get and a delete by id.
BASE: Doc = {
    "openapi": "3.1.0",
    "info": {"title": "things", "version": "1"},
    "security": [{"key": []}],
    "paths": {
        "/things": {
            "get": {
                "operationId": "list-things",
                "parameters": [{"$ref": "#/components/parameters/page"}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": THING}}}},
                    },
                    "401": ERROR,
                },
            },
            "post": {
                "operationId": "create-thing",
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewThing"}}},
                },
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": THING}}}},
                    "400": ERROR,
                },
            },
        },
        "/things/{thingId}": {
            "parameters": [{"$ref": "#/components/parameters/thingId"}],
            "get": {
                "operationId": "get-thing",
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": THING}}}},
                    "404": ERROR,
                },
            },
            "delete": {"operationId": "delete-thing", "responses": {"204": {"description": "gone"}}},
        },
    },
    "components": {
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "Authorization"}},
        "parameters": {
            "thingId": {
                "name": "thingId",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
            },
            "page": {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
        },
        "schemas": {
            "Thing": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "status"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "status": {"type": "string", "enum": ["On", "Off"]},
                    "count": {"type": "integer", "minimum": 0},
                    "note": {"type": "string"},
                },
            },
            "NewThing": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 50},
                    "kind": {"type": "string", "enum": ["Big", "Small"]},
                    "labels": {"type": "array", "items": {"type": "string"}},
                },
            },
            "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
        },
    },
}


def _schemas(doc: Doc) -> dict[str, Any]:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def _get(doc: Doc, path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = doc["paths"][path][method]
    return operation


def _diff(ours: Doc | None = None, upstream: Doc | None = None, **kwargs: Any) -> list[Difference]:
    return diff_documents(ours or BASE, upstream or BASE, **kwargs)


def _only(differences: list[Difference]) -> Difference:
    assert len(differences) == 1, differences
    return differences[0]


def test_identical_documents_have_no_difference() -> None:
    assert _diff() == []


# Each case: which side to change, how, and the single difference expected (kind, severity, operation, location).
Change = Callable[[Doc], None]
CASES: list[tuple[str, str, Change, tuple[str, str, str, str]]] = [
    (
        "operation only ours",
        "upstream",
        lambda d: d["paths"]["/things/{thingId}"].pop("delete"),
        ("operation-missing", "breaking", "delete-thing", "operation"),
    ),
    (
        "method changed",
        "upstream",
        lambda d: d["paths"]["/things/{thingId}"].__setitem__("put", d["paths"]["/things/{thingId}"].pop("delete")),
        ("method-changed", "breaking", "delete-thing", "operation"),
    ),
    (
        "path changed",
        "upstream",
        lambda d: d["paths"].__setitem__("/widgets/{thingId}", d["paths"].pop("/things/{thingId}")),
        ("path-changed", "breaking", "get-thing", "operation"),
    ),
    (
        "security changed",
        "upstream",
        lambda d: d["components"]["securitySchemes"]["key"].__setitem__("in", "query"),
        ("security-changed", "breaking", "get-thing", "security"),
    ),
    (
        "optional parameter only ours",
        "ours",
        lambda d: _get(d, "/things", "get")["parameters"].append({"name": "q", "in": "query", "schema": {}}),
        ("parameter-added", "extension", "list-things", "parameter query q"),
    ),
    (
        "required parameter only ours",
        "ours",
        lambda d: _get(d, "/things", "get")["parameters"].append(
            {"name": "q", "in": "query", "required": True, "schema": {}}
        ),
        ("parameter-added", "breaking", "list-things", "parameter query q"),
    ),
    (
        "parameter only upstream",
        "upstream",
        lambda d: _get(d, "/things", "get")["parameters"].append({"name": "q", "in": "query", "schema": {}}),
        ("parameter-removed", "breaking", "list-things", "parameter query q"),
    ),
    (
        "parameter required in ours only",
        "ours",
        lambda d: d["components"]["parameters"]["page"].__setitem__("required", True),
        ("parameter-required-changed", "breaking", "list-things", "parameter query page"),
    ),
    (
        "parameter required upstream only",
        "upstream",
        lambda d: d["components"]["parameters"]["page"].__setitem__("required", True),
        ("parameter-required-changed", "extension", "list-things", "parameter query page"),
    ),
    (
        "parameter minimum raised in ours",
        "upstream",
        lambda d: d["components"]["parameters"]["page"]["schema"].__setitem__("minimum", 0),
        ("constraint-changed", "breaking", "list-things", "parameter query page"),
    ),
    (
        "parameter minimum lowered in ours",
        "upstream",
        lambda d: d["components"]["parameters"]["page"]["schema"].__setitem__("minimum", 2),
        ("constraint-changed", "extension", "list-things", "parameter query page"),
    ),
    (
        "parameter default changed",
        "upstream",
        lambda d: d["components"]["parameters"]["page"]["schema"].__setitem__("default", 0),
        ("constraint-changed", "breaking", "list-things", "parameter query page"),
    ),
    (
        "path id format only in ours",
        "upstream",
        lambda d: d["components"]["parameters"]["thingId"]["schema"].pop("format"),
        ("format-changed", "breaking", "get-thing", "parameter path thingId"),
    ),
    (
        "request body only upstream",
        "ours",
        lambda d: _get(d, "/things", "post").pop("requestBody"),
        ("request-body-removed", "breaking", "create-thing", "request body"),
    ),
    (
        "optional request body only ours",
        "ours",
        lambda d: _get(d, "/things/{thingId}", "delete").__setitem__("requestBody", {"content": {}}),
        ("request-body-added", "extension", "delete-thing", "request body"),
    ),
    (
        "request body required in ours only",
        "ours",
        lambda d: _get(d, "/things", "post")["requestBody"].__setitem__("required", True),
        ("request-body-required-changed", "breaking", "create-thing", "request body"),
    ),
    (
        "request media type only upstream",
        "upstream",
        lambda d: _get(d, "/things", "post")["requestBody"]["content"].__setitem__("application/xml", {}),
        ("media-type-removed", "breaking", "create-thing", "request body (application/xml)"),
    ),
    (
        "request media type only ours",
        "ours",
        lambda d: _get(d, "/things", "post")["requestBody"]["content"].__setitem__("application/xml", {}),
        ("media-type-added", "extension", "create-thing", "request body (application/xml)"),
    ),
    (
        "success status changed",
        "upstream",
        lambda d: _get(d, "/things", "post")["responses"].__setitem__(
            "201", _get(d, "/things", "post")["responses"].pop("200")
        ),
        ("success-status-changed", "breaking", "create-thing", "responses"),
    ),
    (
        "error status only ours",
        "ours",
        lambda d: _get(d, "/things/{thingId}", "get")["responses"].__setitem__("429", ERROR),
        ("status-added", "extension", "get-thing", "response 429"),
    ),
    (
        "error status only upstream",
        "upstream",
        lambda d: _get(d, "/things/{thingId}", "get")["responses"].__setitem__("500", ERROR),
        ("status-removed", "extension", "get-thing", "response 500"),
    ),
    (
        "response body only upstream",
        "upstream",
        lambda d: _get(d, "/things/{thingId}", "delete")["responses"]["204"].__setitem__(
            "content", {"application/json": {"schema": {}}}
        ),
        ("response-body-removed", "breaking", "delete-thing", "response 204"),
    ),
    (
        "response body only ours",
        "ours",
        lambda d: _get(d, "/things/{thingId}", "delete")["responses"]["204"].__setitem__(
            "content", {"application/json": {"schema": {}}}
        ),
        ("response-body-added", "extension", "delete-thing", "response 204"),
    ),
    (
        "request property only ours",
        "ours",
        lambda d: _schemas(d)["NewThing"]["properties"].__setitem__("colour", {"type": "string"}),
        ("property-added", "extension", "create-thing", "request body/colour"),
    ),
    (
        "request property only upstream",
        "upstream",
        lambda d: _schemas(d)["NewThing"]["properties"].__setitem__("colour", {"type": "string"}),
        ("property-removed", "breaking", "create-thing", "request body/colour"),
    ),
    (
        "request property required in ours only",
        "ours",
        lambda d: _schemas(d)["NewThing"]["required"].append("labels"),
        ("required-changed", "breaking", "create-thing", "request body"),
    ),
    (
        "request property required upstream only",
        "upstream",
        lambda d: _schemas(d)["NewThing"]["required"].append("labels"),
        ("required-changed", "extension", "create-thing", "request body"),
    ),
    (
        "request string longer upstream",
        "upstream",
        lambda d: _schemas(d)["NewThing"]["properties"]["name"].__setitem__("maxLength", 100),
        ("constraint-changed", "breaking", "create-thing", "request body/name"),
    ),
    (
        "request pattern only upstream",
        "upstream",
        lambda d: _schemas(d)["NewThing"]["properties"]["name"].__setitem__("pattern", "^[a-z]+$"),
        ("constraint-changed", "extension", "create-thing", "request body/name"),
    ),
    (
        "request pattern only ours",
        "ours",
        lambda d: _schemas(d)["NewThing"]["properties"]["name"].__setitem__("pattern", "^[a-z]+$"),
        ("constraint-changed", "breaking", "create-thing", "request body/name"),
    ),
    (
        "request enum value only upstream",
        "upstream",
        lambda d: _schemas(d)["NewThing"]["properties"]["kind"]["enum"].append("Huge"),
        ("enum-changed", "breaking", "create-thing", "request body/kind"),
    ),
    (
        "request enum value only ours",
        "ours",
        lambda d: _schemas(d)["NewThing"]["properties"]["kind"]["enum"].append("Huge"),
        ("enum-changed", "extension", "create-thing", "request body/kind"),
    ),
    (
        "request object closed in ours",
        "ours",
        lambda d: _schemas(d)["NewThing"].__setitem__("additionalProperties", False),
        ("additional-properties-changed", "breaking", "create-thing", "request body"),
    ),
    (
        "request array items typed upstream only",
        "ours",
        lambda d: _schemas(d)["NewThing"]["properties"]["labels"].pop("items"),
        ("type-changed", "extension", "create-thing", "request body/labels[]"),
    ),
    (
        "request nullable in ours only",
        "ours",
        lambda d: _schemas(d)["NewThing"]["properties"]["name"].__setitem__("type", ["string", "null"]),
        ("nullable-changed", "extension", "create-thing", "request body/name"),
    ),
    (
        "response property only ours, upstream closed",
        "ours",
        lambda d: _schemas(d)["Thing"]["properties"].__setitem__("colour", {"type": "string"}),
        ("property-added", "breaking", "get-thing", "response 200/colour"),
    ),
    (
        "response property only upstream",
        "upstream",
        lambda d: _schemas(d)["Thing"]["properties"].__setitem__("colour", {"type": "string"}),
        ("property-removed", "extension", "get-thing", "response 200/colour"),
    ),
    (
        "response field required upstream only",
        "upstream",
        lambda d: _schemas(d)["Thing"]["required"].append("count"),
        ("required-changed", "breaking", "get-thing", "response 200"),
    ),
    (
        "response field required in ours only",
        "ours",
        lambda d: _schemas(d)["Thing"]["required"].append("count"),
        ("required-changed", "extension", "get-thing", "response 200"),
    ),
    (
        "response type changed",
        "upstream",
        lambda d: _schemas(d)["Thing"]["properties"]["count"].__setitem__("type", "string"),
        ("type-changed", "breaking", "get-thing", "response 200/count"),
    ),
    (
        "response integer where upstream says number",
        "upstream",
        lambda d: _schemas(d)["Thing"]["properties"]["count"].__setitem__("type", "number"),
        ("type-changed", "extension", "get-thing", "response 200/count"),
    ),
    (
        "response nullable in ours only",
        "ours",
        lambda d: _schemas(d)["Thing"]["properties"]["note"].__setitem__("type", ["string", "null"]),
        ("nullable-changed", "breaking", "get-thing", "response 200/note"),
    ),
    (
        "response format only upstream",
        "ours",
        lambda d: _schemas(d)["Thing"]["properties"]["id"].pop("format"),
        ("format-changed", "breaking", "get-thing", "response 200/id"),
    ),
    (
        "response format only ours",
        "upstream",
        lambda d: _schemas(d)["Thing"]["properties"]["id"].pop("format"),
        ("format-changed", "extension", "get-thing", "response 200/id"),
    ),
    (
        "response format different",
        "upstream",
        lambda d: _schemas(d)["Thing"]["properties"]["id"].__setitem__("format", "uri"),
        ("format-changed", "breaking", "get-thing", "response 200/id"),
    ),
    (
        "response enum value only upstream",
        "upstream",
        lambda d: _schemas(d)["Thing"]["properties"]["status"]["enum"].append("Broken"),
        ("enum-changed", "extension", "get-thing", "response 200/status"),
    ),
    (
        "response enum value only ours",
        "ours",
        lambda d: _schemas(d)["Thing"]["properties"]["status"]["enum"].append("Broken"),
        ("enum-changed", "breaking", "get-thing", "response 200/status"),
    ),
    (
        "response object open in ours",
        "ours",
        lambda d: _schemas(d)["Thing"].pop("additionalProperties"),
        ("additional-properties-changed", "breaking", "get-thing", "response 200"),
    ),
    (
        "response minimum dropped in ours",
        "ours",
        lambda d: _schemas(d)["Thing"]["properties"]["count"].pop("minimum"),
        ("constraint-changed", "breaking", "get-thing", "response 200/count"),
    ),
]


@pytest.mark.parametrize(("side", "change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_kind_of_difference(side: str, change: Change, expected: tuple[str, str, str, str]) -> None:
    changed = copy.deepcopy(BASE)
    change(changed)
    ours, upstream = (changed, BASE) if side == "ours" else (BASE, changed)
    found = [d for d in _diff(ours, upstream) if d.operation == expected[2]]
    assert [(d.kind, d.severity, d.operation, d.location) for d in found] == [expected]
    assert found[0].kind in KINDS and found[0].detail


def test_every_kind_is_exercised() -> None:
    covered = {expected[0] for *_, expected in CASES}
    assert covered | {"deviation-unused"} == set(KINDS)


def test_an_operation_missing_in_ours_is_found_when_asked_for() -> None:
    ours = copy.deepcopy(BASE)
    ours["paths"]["/things/{thingId}"].pop("delete")
    difference = _only(_diff(ours, BASE, operations=["delete-thing"]))
    assert (difference.kind, difference.severity, difference.detail) == (
        "operation-missing",
        "breaking",
        "not in our contract",
    )


def test_an_operation_neither_side_has_is_an_error() -> None:
    with pytest.raises(UnknownOperationError, match="no-such-op"):
        _diff(operations=["get-thing", "no-such-op"])


def test_a_deviation_annotation_turns_breaking_into_deliberate() -> None:
    ours = copy.deepcopy(BASE)
    reason = "Unknown fields are refused on purpose."
    _schemas(ours)["NewThing"]["additionalProperties"] = False
    _schemas(ours)["NewThing"]["x-codat-mock-deviation"] = {"additional-properties-changed": reason}
    difference = _only(_diff(ours, BASE, operations=["create-thing"]))
    assert (difference.kind, difference.severity, difference.deviation) == (
        "additional-properties-changed",
        "extension",
        reason,
    )


def test_a_deviation_annotation_excuses_only_its_own_kind() -> None:
    ours = copy.deepcopy(BASE)
    _schemas(ours)["NewThing"]["additionalProperties"] = False
    _schemas(ours)["NewThing"]["x-codat-mock-deviation"] = {"required-changed": "not this one"}
    found = {(d.kind, d.severity) for d in _diff(ours, BASE, operations=["create-thing"])}
    assert found == {("additional-properties-changed", "breaking"), ("deviation-unused", "extension")}


def test_a_stale_deviation_annotation_is_reported() -> None:
    ours = copy.deepcopy(BASE)
    _schemas(ours)["NewThing"]["properties"]["name"]["x-codat-mock-deviation"] = {"constraint-changed": "gone"}
    difference = _only(_diff(ours, BASE, operations=["create-thing"]))
    assert (difference.kind, difference.severity, difference.location) == (
        "deviation-unused",
        "extension",
        "request body/name",
    )


# --- normalisation: different spellings of the same contract -------------------------------------------------


def test_codat_style_refs_allof_and_nullable_match_31_style() -> None:
    # Codat's habits: refs into nested `definitions` and through other refs, escaped and percent-encoded
    # pointers, allOf composition, and 3.0 `nullable` next to a `$ref`.
    upstream = copy.deepcopy(BASE)
    schemas = _schemas(upstream)
    schemas["Thing"] = {
        "title": "A thing",
        "allOf": [
            {"$ref": "#/components/schemas/Thing/definitions/identity"},
            {
                "type": "object",
                "properties": {
                    "status": {"$ref": "#/components/schemas/Thing/definitions/status"},
                    "count": {"type": "integer", "minimum": 0, "description": "How many."},
                    "note": {"$ref": "#/components/schemas/Thing/definitions/status/x-note"},
                },
            },
        ],
        "definitions": {
            "identity": {
                "type": "object",
                "required": ["id", "status"],
                "additionalProperties": False,
                "properties": {"id": {"$ref": "#/paths/~1things~1%7BthingId%7D/parameters/0/schema"}},
            },
            "status": {"type": "string", "enum": ["On", "Off"], "x-note": {"type": "string"}},
        },
    }
    ours = copy.deepcopy(BASE)
    _schemas(ours)["Thing"]["properties"]["note"] = {"type": ["string", "null"]}
    _schemas(upstream)["Thing"]["definitions"]["status"]["x-note"] = {"type": "string", "nullable": True}
    assert _diff(ours, upstream) == []


def test_nullable_spellings_are_equivalent() -> None:
    ours, upstream = copy.deepcopy(BASE), copy.deepcopy(BASE)
    _schemas(ours)["Thing"]["properties"]["status"] = {"type": ["string", "null"], "enum": ["On", "Off", None]}
    _schemas(upstream)["Thing"]["properties"]["status"] = {"type": "string", "nullable": True, "enum": ["On", "Off"]}
    _schemas(ours)["Thing"]["properties"]["note"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    _schemas(upstream)["Thing"]["properties"]["note"] = {"oneOf": [{"type": "null"}, {"type": "string"}]}
    _schemas(ours)["Thing"]["properties"]["count"] = {"type": "integer", "exclusiveMinimum": 0}
    _schemas(upstream)["Thing"]["properties"]["count"] = {"type": "integer", "minimum": 0, "exclusiveMinimum": True}
    assert _diff(ours, upstream) == []


def test_cyclic_schemas_are_compared_without_looping() -> None:
    doc = copy.deepcopy(BASE)
    _schemas(doc)["Thing"]["properties"]["children"] = {"type": "array", "items": {"$ref": THING}}
    assert _diff(doc, copy.deepcopy(doc)) == []
    resolved = resolve_refs(doc)
    children = resolved["components"]["schemas"]["Thing"]["properties"]["children"]
    assert children["items"]["properties"]["children"]["items"] == {"$ref": THING}


# --- resolve_refs --------------------------------------------------------------------------------------------


def test_resolve_refs_follows_escapes_percent_encoding_and_chains() -> None:
    doc = {
        "a/b": {"c~d": {"value": 1}},
        "p": {"{x}": [{"value": 2}]},
        "chain": {"$ref": "#/a~1b"},
        "one": {"$ref": "#/a~1b/c~0d"},
        "two": {"$ref": "#/p/%7Bx%7D/0"},
        "through": {"$ref": "#/chain/c~0d/value"},
        "sibling": {"$ref": "#/a~1b/c~0d", "extra": True},
    }
    resolved = resolve_refs(doc)
    assert resolved["one"] == {"value": 1}
    assert resolved["two"] == {"value": 2}
    assert resolved["through"] == 1
    assert resolved["sibling"] == {"value": 1, "extra": True}
    assert doc["one"] == {"$ref": "#/a~1b/c~0d"}  # the input is left alone


@pytest.mark.parametrize("ref", ["#/missing", "#/a/9", "other.json#/a", "#no-slash"])
def test_resolve_refs_rejects_what_it_cannot_follow(ref: str) -> None:
    with pytest.raises(ValueError, match="no|only|pointer|nothing"):
        resolve_refs({"a": [1], "b": {"$ref": ref}})


# --- properties ----------------------------------------------------------------------------------------------

_leaves = st.fixed_dictionaries(
    {"type": st.sampled_from(["string", "integer", "number", "boolean"])},
    optional={
        "format": st.sampled_from(["uuid", "date-time", "int32"]),
        "minimum": st.integers(-5, 5),
        "maxLength": st.integers(0, 9),
        "pattern": st.sampled_from(["^a", "[0-9]"]),
        "enum": st.lists(st.sampled_from(["A", "B", "C", 1, None]), min_size=1, max_size=3, unique=True),
        "nullable": st.booleans(),
    },
)
_names = st.sampled_from(["id", "name", "status", "items", "_links", "a/b", "~x"])


def _objects(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda props, required, closed: {
            "type": "object",
            "properties": props,
            "required": sorted(set(required) & props.keys()),
            **({"additionalProperties": False} if closed else {}),
        },
        st.dictionaries(_names, children, max_size=3),
        st.lists(_names, max_size=3),
        st.booleans(),
    )


_schemas_strategy = st.recursive(
    _leaves,
    lambda children: st.one_of(
        _objects(children),
        st.builds(lambda c: {"type": "array", "items": c}, children),
        st.builds(lambda c: {"anyOf": [c, {"type": "null"}]}, children),
        st.builds(lambda a, b: {"allOf": [a, b]}, _objects(children), _objects(children)),
    ),
    max_leaves=8,
)


def _document(request: dict[str, Any], response: dict[str, Any]) -> Doc:
    """One operation taking `request` and answering `response`, both behind `$ref`s."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "post": {
                    "operationId": "op",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"In": request, "Out": response}},
    }


@settings(max_examples=150, deadline=None)
@given(_schemas_strategy, _schemas_strategy)
def test_a_document_never_differs_from_itself(request: dict[str, Any], response: dict[str, Any]) -> None:
    doc = _document(request, response)
    assert diff_documents(doc, copy.deepcopy(doc)) == []


@settings(max_examples=150, deadline=None)
@given(_objects(_schemas_strategy), _leaves, st.sampled_from(["request", "response"]))
def test_a_field_upstream_requires_and_we_lack_is_always_breaking(
    base: dict[str, Any], field: dict[str, Any], side: str
) -> None:
    name = "addedByUpstream"
    upstream_schema = copy.deepcopy(base)
    upstream_schema["properties"][name] = field
    upstream_schema["required"] = [*base["required"], name]
    other = {"type": "string"}
    ours = _document(base, other) if side == "request" else _document(other, base)
    upstream = _document(upstream_schema, other) if side == "request" else _document(other, upstream_schema)
    assert any(d.severity == "breaking" for d in diff_documents(ours, upstream))


@settings(max_examples=100, deadline=None)
@given(_schemas_strategy, _schemas_strategy)
def test_swapping_sides_swaps_severity_for_tightening(mine: dict[str, Any], theirs: dict[str, Any]) -> None:
    # What is stricter in a request is looser in a response: the same pair, placed on the other side, flips
    # every stricter/looser verdict. Incompatible differences stay breaking on both.
    as_request = diff_documents(_document(mine, {}), _document(theirs, {}))
    as_response = diff_documents(_document({}, mine), _document({}, theirs))

    def verdicts(found: list[Difference], prefix: str) -> dict[tuple[str, str, str], str]:
        return {
            (d.kind, d.location.removeprefix(prefix), d.detail): d.severity
            for d in found
            if d.detail.endswith(("(ours is stricter)", "(ours is looser)"))
        }

    request, response = verdicts(as_request, "request body"), verdicts(as_response, "response 200")
    assert request.keys() == response.keys()
    assert all(request[key] != response[key] for key in request)


# --- the command line ----------------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, doc: Doc) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc) if name.endswith(".yaml") else json.dumps(doc), encoding="utf-8")
    return str(path)


def test_cli_exit_0_when_nothing_breaks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours, upstream = _write(tmp_path, "ours.json", BASE), _write(tmp_path, "up.yaml", BASE)
    assert main(["--contract", ours, "--upstream", upstream]) == 0
    out = capsys.readouterr().out
    assert "0 breaking" in out and "Breaking differences (0): none" in out


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    upstream = copy.deepcopy(BASE)
    _schemas(upstream)["Thing"]["required"].append("count")
    args = ["--contract", _write(tmp_path, "o.json", BASE), "--upstream", _write(tmp_path, "u.json", upstream)]
    result = subprocess.run([sys.executable, "-m", "contracts.drift", *args], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "Compared 4 operations: 3 breaking" in result.stdout


def test_cli_exit_1_and_text_groups_breaking_and_extensions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    upstream = copy.deepcopy(BASE)
    _schemas(upstream)["Thing"]["required"].append("count")  # breaking wherever a Thing is answered
    _get(upstream, "/things/{thingId}", "get")["responses"]["500"] = ERROR  # an extension
    ours = copy.deepcopy(BASE)
    _schemas(ours)["NewThing"]["additionalProperties"] = False
    _schemas(ours)["NewThing"]["x-codat-mock-deviation"] = {"additional-properties-changed": "On purpose."}
    args = ["--contract", _write(tmp_path, "o.json", ours), "--upstream", _write(tmp_path, "u.json", upstream)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "Compared 4 operations: 3 breaking, 2 extensions (1 deliberate)." in out
    breaking = out.split("Breaking differences (3):\n")[1].split("\n\n")[0].splitlines()
    assert breaking == [
        "  [required-changed] response 200[]: `count` required in upstream only (ours is looser)",
        "      in: list-things",
        "  [required-changed] response 200: `count` required in upstream only (ours is looser)",
        "      in: create-thing, get-thing",
    ]
    assert "      why: On purpose.\n      in: create-thing" in out
    assert "  status-removed                       1" in out
    assert main([*args, "--verbose"]) == 1
    assert "  [status-removed] response 500: documented upstream only; we never send it" in capsys.readouterr().out


def test_cli_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    upstream = copy.deepcopy(BASE)
    _schemas(upstream)["NewThing"]["properties"]["colour"] = {"type": "string"}
    args = ["--contract", _write(tmp_path, "o.json", BASE), "--upstream", _write(tmp_path, "u.json", upstream)]
    assert main([*args, "--format", "json", "--operations", "create-thing,get-thing"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["operations"] == ["create-thing", "get-thing"]
    assert report["summary"] == {"breaking": 1, "extensions": 0}
    assert report["breaking"] == [
        {
            "kind": "property-removed",
            "severity": "breaking",
            "operation": "create-thing",
            "location": "request body/colour",
            "detail": "declared upstream only",
        }
    ]
    assert main([*args, "--format", "json", "--operations", "get-thing"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"] == {"breaking": 0, "extensions": 0}


def test_cli_reads_a_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://example.test/oas.json"

    def fake_get(requested: str, **_: Any) -> httpx.Response:
        assert requested == url
        return httpx.Response(200, json=BASE, request=httpx.Request("GET", requested))

    monkeypatch.setattr(httpx, "get", fake_get)
    assert main(["--contract", _write(tmp_path, "o.json", BASE), "--upstream", url]) == 0
    assert f"Contract drift against {url}" in capsys.readouterr().out


def test_cli_reports_a_failed_fetch(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def failing_get(requested: str, **_: Any) -> httpx.Response:
        return httpx.Response(404, request=httpx.Request("GET", requested))

    monkeypatch.setattr(httpx, "get", failing_get)
    assert main(["--upstream", "https://example.test/missing.json"]) == 2
    assert "cannot fetch https://example.test/missing.json" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--upstream", "/no/such/file.json"],
        ["--upstream", "BASE", "--operations", "no-such-operation"],
        [],
        ["--upstream", "BASE", "--format", "xml"],
    ],
)
def test_cli_usage_and_input_errors_exit_2(tmp_path: Path, argv: list[str]) -> None:
    base = _write(tmp_path, "base.json", BASE)
    argv = [base if arg == "BASE" else arg for arg in argv]
    assert main(["--contract", base, *argv]) == 2


def test_cli_defaults_to_the_packaged_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    upstream = tmp_path / "ours.json"
    upstream.write_text(contract_text("json"), encoding="utf-8")
    assert main(["--upstream", str(upstream), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["operations"] == [op for op, _, _, _ in iter_operations(load_contract())]
    # Against itself, only our deliberate-difference annotations show up, each as having nothing to excuse.
    assert report["summary"]["breaking"] == 0
    assert {d["kind"] for d in report["extensions"]} == {"deviation-unused"}


# --- Codat's published documents -----------------------------------------------------------------------------


def _upstream_operations(path: Path) -> list[str]:
    upstream = json.loads(path.read_text(encoding="utf-8"))
    theirs = {op for op, _, _, _ in iter_operations(upstream)}
    return [op for op, _, _, _ in iter_operations(load_contract()) if op in theirs]


@pytest.mark.parametrize("name", ["Codat-Platform.json", "Codat-Sync-Payables.json"])
def test_no_breaking_difference_with_codats_published_spec(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = UPSTREAM_DIR / name
    if not path.exists():
        pytest.skip(NOT_HERE)
    ops = _upstream_operations(path)
    assert len(ops) >= 11
    assert main(["--upstream", str(path), "--operations", ",".join(ops), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["breaking"] == 0
    kinds = {d["kind"] for d in report["extensions"]}
    assert "deviation-unused" not in kinds
    deliberate = {d["location"] for d in report["extensions"] if "deviation" in d}
    assert {"request body", "request body/name"} <= deliberate
    # Request bodies are open (issue 12), as Codat's are, and nothing needs excusing there: unlink's, which Codat
    # closes, is looser on our side, which is no breaking difference. A body is required only where `{}` would
    # lack the field a company, a connection or a webhook consumer (its url) needs.
    bodies = [d for d in report["extensions"] if d["location"].startswith("request body")]
    opened = [d for d in bodies if d["kind"] == "additional-properties-changed"]
    assert {d["operation"] for d in opened} == {"unlink-connection"} & set(ops)
    assert not [d for d in opened if "deviation" in d]
    required = {d["operation"] for d in bodies if d["kind"] == "request-body-required-changed"}
    assert required == {"create-company", "replace-company", "create-connection", "create-webhook-consumer"} & set(ops)


@pytest.mark.skipif(not (UPSTREAM_DIR / "Codat-Sync-Payables.json").exists(), reason=NOT_HERE)
def test_operations_sync_for_payables_lacks_are_reported_missing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--upstream", str(UPSTREAM_DIR / "Codat-Sync-Payables.json"), "--format", "json"]) == 1
    breaking = json.loads(capsys.readouterr().out)["breaking"]
    assert {(d["kind"], d["operation"]) for d in breaking} == {
        ("operation-missing", "update-connection-authorization"),
        ("operation-missing", "list-integrations"),
        ("operation-missing", "get-integration"),
        # Webhook consumers are a Platform API operation; the Payables document does not carry them.
        ("operation-missing", "list-webhook-consumers"),
        ("operation-missing", "create-webhook-consumer"),
        ("operation-missing", "delete-webhook-consumer"),
    }

"""Structural diff of our contract against a Codat-published OpenAPI document.

`diff_documents(ours, upstream)` compares, operation by operation (matched by operationId), the method and
path, the security scheme, parameters, request bodies and responses, down to every schema keyword that
changes what is valid. Descriptions, examples, titles and `x-` extensions are ignored. Both documents may use
`$ref`s anywhere (Codat points into nested `definitions` and even into other operations), `allOf`, and
either style of nullability (3.0 `nullable: true` or 3.1 `type: [..., "null"]`).

Severity follows from which side a schema constrains and how ours differs:

- Requests (parameters, bodies) travel from a client written against Codat to us. Ours being **stricter**
  (a value Codat accepts that we refuse) is *breaking*; ours being **looser** is an *extension*.
- Responses travel from us to that client. Ours being **looser** (we may send what the client does not
  expect) is *breaking*; ours being **stricter** (we promise more) is an *extension*.
- Changes that are neither (a different type, format or pattern) are *breaking* in both directions.
- A missing operation, a different method or path, a different success status, a parameter or request
  field Codat documents that we lack, a response body Codat documents that we lack: *breaking*.
- A status code documented on one side only is an *extension*: a status we add is one Codat's SDKs raise as
  a generic error (docs/decisions.md), and one only Codat documents (402, 403, 500) we never send.

A difference we make on purpose is annotated in our contract: `x-codat-mock-deviation: {kind: reason}` on
the node where the difference is found turns a breaking difference of that kind into an extension and
carries the reason. An annotation that no longer excuses any breaking difference is reported
(`deviation-unused`), so annotations cannot outlive the drift they excuse.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from contracts.spec import iter_operations, load_contract, resolve_refs

__all__ = [
    "DEVIATION_KEY",
    "KINDS",
    "Difference",
    "UnknownOperationError",
    "diff_documents",
    "load_document",
    "main",
    "render_json",
    "render_text",
]

Severity = Literal["breaking", "extension"]
Direction = Literal["request", "response"]
# How ours relates to upstream in what it allows: fewer values, more values, or neither.
Relation = Literal["narrower", "wider", "different"]
# Called by the keyword comparisons with (kind, relation, what differs).
_Report = Callable[[str, Relation, str], None]

DEVIATION_KEY = "x-codat-mock-deviation"

#: Every kind of difference the diff reports, with what it means.
KINDS: Mapping[str, str] = {
    "operation-missing": "the operation exists on one side only",
    "method-changed": "the operation uses another HTTP method",
    "path-changed": "the operation lives at another path",
    "security-changed": "the operation is authenticated differently",
    "parameter-added": "a parameter only our contract declares",
    "parameter-removed": "a parameter only upstream declares",
    "parameter-required-changed": "a parameter is required on one side only",
    "request-body-added": "a request body only our contract declares",
    "request-body-removed": "a request body only upstream declares",
    "request-body-required-changed": "the request body is required on one side only",
    "media-type-added": "a media type only our contract declares",
    "media-type-removed": "a media type only upstream declares",
    "success-status-changed": "the 2xx statuses differ",
    "status-added": "an error status only our contract documents",
    "status-removed": "an error status only upstream documents",
    "response-body-added": "a response body only our contract declares",
    "response-body-removed": "a response body only upstream declares",
    "property-added": "an object property only our contract declares",
    "property-removed": "an object property only upstream declares",
    "required-changed": "a property is required on one side only",
    "type-changed": "the JSON types differ",
    "nullable-changed": "null is allowed on one side only",
    "format-changed": "the format differs",
    "enum-changed": "the allowed values differ",
    "constraint-changed": "a bound, pattern, default or similar keyword differs",
    "additional-properties-changed": "undeclared properties are treated differently",
    "deviation-unused": f"an {DEVIATION_KEY} annotation excuses no breaking difference",
}


@dataclass(frozen=True, slots=True)
class Difference:
    """One difference between our contract and upstream, for one operation."""

    kind: str
    severity: Severity
    operation: str
    location: str
    detail: str
    #: The reason from our contract's `x-codat-mock-deviation`, when the difference is deliberate.
    deviation: str | None = None

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready mapping; `deviation` is left out when there is none."""
        return {key: value for key, value in asdict(self).items() if value is not None}


class UnknownOperationError(ValueError):
    """An operation was asked for that neither document declares."""


def diff_documents(
    ours: Mapping[str, Any], upstream: Mapping[str, Any], operations: Iterable[str] | None = None
) -> list[Difference]:
    """Every difference between `ours` and `upstream` on `operations` (default: every operation of ours).

    Raises `UnknownOperationError` for an operation neither document declares.
    """
    our_ops = _index(resolve_refs(ours))
    their_ops = _index(resolve_refs(upstream))
    selected = list(dict.fromkeys(operations)) if operations is not None else list(our_ops)
    unknown = [op for op in selected if op not in our_ops and op not in their_ops]
    if unknown:
        raise UnknownOperationError(f"no such operation in either document: {', '.join(unknown)}")
    differences: list[Difference] = []
    for op_id in selected:
        out = _Collector(op_id)
        _compare_operation(our_ops.get(op_id), their_ops.get(op_id), out)
        differences.extend(out.finish())
    return differences


# --- operations --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Operation:
    method: str
    path: str
    node: Mapping[str, Any]
    parameters: Mapping[tuple[str, str], Mapping[str, Any]]
    security: frozenset[frozenset[tuple[str, ...]]]


def _index(document: Mapping[str, Any]) -> dict[str, _Operation]:
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    global_security = document.get("security")
    result: dict[str, _Operation] = {}
    for op_id, method, path, node in iter_operations(document):
        path_item = document["paths"][path]
        parameters: dict[tuple[str, str], Mapping[str, Any]] = {}
        # Operation-level parameters override path-level ones with the same name and location.
        for param in [*(path_item.get("parameters") or []), *(node.get("parameters") or [])]:
            if isinstance(param, Mapping) and "name" in param and "in" in param:
                parameters[_param_key(param)] = param
        security = node.get("security", global_security) or []
        result[op_id] = _Operation(method, path, node, parameters, _security(security, schemes))
    return result


def _param_key(param: Mapping[str, Any]) -> tuple[str, str]:
    where, name = str(param["in"]), str(param["name"])
    # Header names are case-insensitive; the others are not.
    return (where, name.lower() if where == "header" else name)


def _security(
    requirements: Sequence[Mapping[str, Any]], schemes: Mapping[str, Any]
) -> frozenset[frozenset[tuple[str, ...]]]:
    """Each alternative requirement as the set of what its schemes are, not what they are called."""
    alternatives = set()
    for requirement in requirements:
        signatures = set()
        for name in requirement:
            scheme = schemes.get(name) or {}
            signatures.add(
                (
                    str(scheme.get("type", name)),
                    str(scheme.get("in", "")),
                    str(scheme.get("name", "")).lower(),
                    str(scheme.get("scheme", "")).lower(),
                )
            )
        alternatives.add(frozenset(signatures))
    return frozenset(alternatives)


def _compare_operation(ours: _Operation | None, theirs: _Operation | None, out: _Collector) -> None:
    if ours is None or theirs is None:
        side = "our contract" if ours is None else "the upstream document"
        out.add("operation-missing", "breaking", "operation", f"not in {side}")
        return
    out.visit(ours.node, "operation")
    if ours.method != theirs.method:
        out.add("method-changed", "breaking", "operation", f"ours {ours.method}, upstream {theirs.method}", ours.node)
    if ours.path != theirs.path:
        out.add("path-changed", "breaking", "operation", f"ours {ours.path}, upstream {theirs.path}", ours.node)
    if ours.security != theirs.security:
        detail = f"ours {_show_security(ours.security)}, upstream {_show_security(theirs.security)}"
        out.add("security-changed", "breaking", "security", detail, ours.node)
    _compare_parameters(ours, theirs, out)
    _compare_request_body(ours.node.get("requestBody"), theirs.node.get("requestBody"), out)
    _compare_responses(ours.node.get("responses") or {}, theirs.node.get("responses") or {}, out)


def _show_security(security: frozenset[frozenset[tuple[str, ...]]]) -> str:
    shown = sorted(" + ".join(sorted(":".join(filter(None, s)) for s in alt)) or "none" for alt in security)
    return " or ".join(shown) or "none"


def _compare_parameters(ours: _Operation, theirs: _Operation, out: _Collector) -> None:
    for key in sorted(ours.parameters.keys() | theirs.parameters.keys()):
        mine, other = ours.parameters.get(key), theirs.parameters.get(key)
        location = f"parameter {key[0]} {key[1]}"
        if other is None:
            assert mine is not None
            required = bool(mine.get("required"))
            severity: Severity = "breaking" if required else "extension"
            out.add("parameter-added", severity, location, "required" if required else "optional", mine)
            continue
        if mine is None:
            out.add("parameter-removed", "breaking", location, "upstream clients may send it; we do not read it")
            continue
        out.visit(mine, location)
        _compare_required("parameter-required-changed", mine, other, location, out)
        _compare_schema(mine.get("schema") or {}, other.get("schema") or {}, "request", location, out)


def _compare_required(
    kind: str, mine: Mapping[str, Any], other: Mapping[str, Any], location: str, out: _Collector
) -> None:
    """A parameter or request body required on one side only: ours requiring it narrows what we accept."""
    mine_required, other_required = bool(mine.get("required")), bool(other.get("required"))
    if mine_required != other_required:
        relation: Relation = "narrower" if mine_required else "wider"
        detail = f"required in {'ours' if mine_required else 'upstream'} only"
        out.add(kind, _severity("request", relation), location, detail, mine)


def _compare_request_body(mine: Any, other: Any, out: _Collector) -> None:
    location = "request body"
    if not isinstance(mine, Mapping) or not isinstance(other, Mapping):
        if isinstance(other, Mapping):
            out.add("request-body-removed", "breaking", location, "upstream takes a body; ours declares none")
        elif isinstance(mine, Mapping):
            required = bool(mine.get("required"))
            severity: Severity = "breaking" if required else "extension"
            out.add("request-body-added", severity, location, "required" if required else "optional", mine)
        return
    out.visit(mine, location)
    _compare_required("request-body-required-changed", mine, other, location, out)
    _compare_content(mine.get("content") or {}, other.get("content") or {}, "request", location, mine, out)


def _compare_responses(mine: Mapping[str, Any], other: Mapping[str, Any], out: _Collector) -> None:
    mine = {str(status): response for status, response in mine.items()}
    other = {str(status): response for status, response in other.items()}
    mine_ok = sorted(status for status in mine if status.startswith("2"))
    other_ok = sorted(status for status in other if status.startswith("2"))
    if mine_ok != other_ok:
        detail = f"ours {', '.join(mine_ok) or 'none'}, upstream {', '.join(other_ok) or 'none'}"
        out.add("success-status-changed", "breaking", "responses", detail)
    for status in sorted(mine.keys() | other.keys()):
        location = f"response {status}"
        if status not in other:
            if not status.startswith("2"):
                out.add("status-added", "extension", location, "documented by ours only", mine[status])
            continue
        if status not in mine:
            if not status.startswith("2"):
                out.add("status-removed", "extension", location, "documented upstream only; we never send it")
            continue
        response, upstream = mine[status], other[status]
        out.visit(response, location)
        content, upstream_content = response.get("content") or {}, upstream.get("content") or {}
        if upstream_content and not content:
            out.add("response-body-removed", "breaking", location, "upstream sends a body; ours none", response)
        elif content and not upstream_content:
            out.add("response-body-added", "extension", location, "ours sends a body; upstream none", response)
        else:
            _compare_content(content, upstream_content, "response", location, response, out)


def _compare_content(
    mine: Mapping[str, Any],
    other: Mapping[str, Any],
    direction: Direction,
    location: str,
    owner: Mapping[str, Any],
    out: _Collector,
) -> None:
    for media_type in sorted(mine.keys() | other.keys()):
        where = location if media_type == "application/json" else f"{location} ({media_type})"
        if media_type not in other:
            out.add("media-type-added", "extension", where, f"{media_type} in ours only", owner)
        elif media_type not in mine:
            out.add("media-type-removed", "breaking", where, f"{media_type} upstream only", owner)
        else:
            mine_schema = (mine[media_type] or {}).get("schema") or {}
            other_schema = (other[media_type] or {}).get("schema") or {}
            _compare_schema(mine_schema, other_schema, direction, where, out)


# --- schemas -----------------------------------------------------------------------------------------------

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
# Counting keywords whose absence means 0, so `minItems: 0` is no constraint at all.
_ZERO_DEFAULT = frozenset({"minLength", "minItems", "minProperties"})
_NARROWER_FORMATS = {("int32", "int64"), ("int32", "integer"), ("int64", "integer"), ("float", "double")}


def _severity(direction: Direction, relation: Relation) -> Severity:
    if relation == "different":
        return "breaking"
    harmful: Relation = "narrower" if direction == "request" else "wider"
    return "breaking" if relation == harmful else "extension"


_EXPLAIN: Mapping[Relation, str] = {
    "narrower": "ours is stricter",
    "wider": "ours is looser",
    "different": "incompatible",
}


def _compare_schema(mine: Any, other: Any, direction: Direction, location: str, out: _Collector) -> None:
    a, b = _normalise(mine), _normalise(other)
    out.visit(a, location)

    def report(kind: str, relation: Relation, what: str) -> None:
        out.add(kind, _severity(direction, relation), location, f"{what} ({_EXPLAIN[relation]})", a)

    _compare_types(a, b, report)
    _compare_format(a.get("format"), b.get("format"), report)
    _compare_enums(a, b, report)
    _compare_bounds(a, b, report)
    _compare_keywords(a, b, direction, report)
    if "object" in _types(a, "object") or "object" in _types(b, "object"):
        _compare_objects(a, b, direction, location, out, report)
    if "items" in a or "items" in b:
        _compare_schema(a.get("items", {}), b.get("items", {}), direction, f"{location}[]", out)
    if "propertyNames" in a or "propertyNames" in b:
        names = f"{location}{{names}}"
        _compare_schema(a.get("propertyNames", {}), b.get("propertyNames", {}), direction, names, out)
    mine_any, other_any = a.get("anyOf"), b.get("anyOf")
    if isinstance(mine_any, list) and isinstance(other_any, list) and len(mine_any) == len(other_any):
        for index, (x, y) in enumerate(zip(mine_any, other_any, strict=True)):
            _compare_schema(x, y, direction, f"{location}|{index}", out)
    elif mine_any is not None or other_any is not None:
        report("type-changed", "different", "the alternatives (anyOf/oneOf) differ")


def _types(schema: Mapping[str, Any], fallback: str) -> frozenset[str]:
    types: frozenset[str] | None = schema.get("type")
    return types if types is not None else frozenset({fallback})


def _compare_types(a: Mapping[str, Any], b: Mapping[str, Any], report: _Report) -> None:
    mine: frozenset[str] | None = a.get("type")
    other: frozenset[str] | None = b.get("type")
    relation = _type_relation(mine, other)
    if relation is None:
        return
    shown = f"type: ours {_show_types(mine)}, upstream {_show_types(other)}"
    if mine is not None and other is not None and mine - {"null"} == other - {"null"}:
        report("nullable-changed", relation, f"null allowed in {'ours' if 'null' in mine else 'upstream'} only")
    else:
        report("type-changed", relation, shown)


def _type_relation(mine: frozenset[str] | None, other: frozenset[str] | None) -> Relation | None:
    if mine == other:
        return None
    if other is None:
        return "narrower"
    if mine is None:
        return "wider"

    def within(inner: frozenset[str], outer: frozenset[str]) -> bool:
        # JSON Schema's integers are numbers, so `integer` fits inside `number`.
        return all(t in outer or (t == "integer" and "number" in outer) for t in inner)

    if within(mine, other):
        return "narrower"
    if within(other, mine):
        return "wider"
    return "different"


def _show_types(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types))


def _compare_format(mine: Any, other: Any, report: _Report) -> None:
    if mine == other:
        return
    if other is None or (mine, other) in _NARROWER_FORMATS:
        relation: Relation = "narrower"
    elif mine is None or (other, mine) in _NARROWER_FORMATS:
        relation = "wider"
    else:
        relation = "different"
    report("format-changed", relation, f"format: ours {mine or 'none'}, upstream {other or 'none'}")


def _compare_enums(a: Mapping[str, Any], b: Mapping[str, Any], report: _Report) -> None:
    mine: frozenset[str] | None = a.get("enum")
    other: frozenset[str] | None = b.get("enum")
    if mine == other:
        return
    if other is None:
        relation: Relation = "narrower"
        what = f"values limited to {_show_values(mine)} in ours only"
    elif mine is None:
        relation = "wider"
        what = f"values limited to {_show_values(other)} upstream only"
    else:
        relation = "narrower" if mine < other else "wider" if mine > other else "different"
        parts = []
        if other - mine:
            parts.append(f"upstream only: {_show_values(other - mine)}")
        if mine - other:
            parts.append(f"ours only: {_show_values(mine - other)}")
        what = "values " + "; ".join(parts)
    report("enum-changed", relation, what)


def _show_values(values: frozenset[str] | None) -> str:
    return ", ".join(sorted(values or ()))


def _compare_bounds(a: Mapping[str, Any], b: Mapping[str, Any], report: _Report) -> None:
    for keyword in (*_LOWER_BOUNDS, *_UPPER_BOUNDS):
        mine, other = _bound(a, keyword), _bound(b, keyword)
        if mine == other:
            continue
        lower = keyword in _LOWER_BOUNDS
        if other is None:
            relation: Relation = "narrower"
        elif mine is None:
            relation = "wider"
        else:
            # A higher lower bound, or a lower upper bound, allows fewer values.
            relation = "narrower" if (mine > other) == lower else "wider"
        report("constraint-changed", relation, f"{keyword}: ours {_show(mine)}, upstream {_show(other)}")


def _bound(schema: Mapping[str, Any], keyword: str) -> float | None:
    value = schema.get(keyword)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if keyword in _ZERO_DEFAULT and value == 0:
        return None
    return float(value)


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value) if not isinstance(value, str) else repr(value)


def _compare_keywords(a: Mapping[str, Any], b: Mapping[str, Any], direction: Direction, report: _Report) -> None:
    for keyword in ("pattern", "multipleOf"):
        mine, other = a.get(keyword), b.get(keyword)
        if mine != other:
            relation: Relation = "narrower" if other is None else "wider" if mine is None else "different"
            report("constraint-changed", relation, f"{keyword}: ours {_show(mine)}, upstream {_show(other)}")
    if bool(a.get("uniqueItems")) != bool(b.get("uniqueItems")):
        unique: Relation = "narrower" if a.get("uniqueItems") else "wider"
        report("constraint-changed", unique, "uniqueItems differs")
    # A default only matters where the server applies it: to what the client left out of a request.
    if direction == "request" and a.get("default") != b.get("default"):
        report(
            "constraint-changed",
            "different",
            f"default: ours {_show(a.get('default'))}, upstream {_show(b.get('default'))}",
        )


def _compare_objects(
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    direction: Direction,
    location: str,
    out: _Collector,
    report: _Report,
) -> None:
    mine_props: Mapping[str, Any] = a.get("properties") or {}
    other_props: Mapping[str, Any] = b.get("properties") or {}
    other_closed = b.get("additionalProperties") is False
    for name in sorted(mine_props.keys() | other_props.keys()):
        where = f"{location}/{name}"
        if name not in other_props:
            # A field upstream clients never see costs nothing, unless upstream forbids unknown fields.
            harmful = direction == "response" and other_closed
            severity: Severity = "breaking" if harmful else "extension"
            out.add("property-added", severity, where, "declared in ours only", a, node_location=location)
        elif name not in mine_props:
            # Upstream clients may send it (and we refuse or drop it); in a response it is simply never sent.
            severity = "breaking" if direction == "request" else "extension"
            out.add("property-removed", severity, where, "declared upstream only", a, node_location=location)
        else:
            _compare_schema(mine_props[name], other_props[name], direction, where, out)
    mine_required, other_required = set(a.get("required") or ()), set(b.get("required") or ())
    for name in sorted(mine_required ^ other_required):
        ours_only = name in mine_required
        what = f"`{name}` required in {'ours' if ours_only else 'upstream'} only"
        report("required-changed", "narrower" if ours_only else "wider", what)
    _compare_additional(
        a.get("additionalProperties", True), b.get("additionalProperties", True), direction, location, out, report
    )


def _compare_additional(
    mine: Any, other: Any, direction: Direction, location: str, out: _Collector, report: _Report
) -> None:
    def kind(value: Any) -> str:
        if value is True or value == {}:
            return "open"
        return "closed" if value is False else "schema"

    mine_kind, other_kind = kind(mine), kind(other)
    if mine_kind == other_kind == "schema":
        _compare_schema(mine, other, direction, f"{location}{{*}}", out)
        return
    if mine_kind == other_kind:
        return
    order = {"closed": 0, "schema": 1, "open": 2}
    relation: Relation = "narrower" if order[mine_kind] < order[other_kind] else "wider"
    report("additional-properties-changed", relation, f"undeclared properties: ours {mine_kind}, upstream {other_kind}")


# --- normalisation -----------------------------------------------------------------------------------------

_IGNORED = frozenset(
    {
        "description",
        "summary",
        "title",
        "example",
        "examples",
        "definitions",
        "$defs",
        "$id",
        "$schema",
        "$comment",
        "externalDocs",
        "deprecated",
        "readOnly",
        "writeOnly",
        "xml",
        "discriminator",
        "nullable",
    }
)


class _Normalised(dict[str, Any]):
    """A schema already in canonical form; normalising it again returns it unchanged."""


def _normalise(schema: Any) -> _Normalised:
    """One canonical form for the comparisons above.

    `allOf` members are merged into one schema (properties and required united, types intersected);
    an `anyOf`/`oneOf` branch of type null becomes nullability, and a single remaining branch is merged in;
    `type` becomes a frozenset with "null" when nullable (both 3.0 and 3.1 spellings); `enum`/`const`
    become a frozenset of JSON texts without null. A schema without `type` that declares `properties`
    is read as an object, and one with `items` as an array, as their authors mean them.
    """
    if isinstance(schema, _Normalised):
        return schema
    if not isinstance(schema, Mapping):
        return _Normalised()
    result: dict[str, Any] = {}
    nullable = schema.get("nullable") is True
    for key, value in schema.items():
        if key in ("allOf", "anyOf", "oneOf") or (key in _IGNORED) or (key.startswith("x-") and key != DEVIATION_KEY):
            continue
        result[key] = value
    types = _declared_types(schema)
    enum = _enum(schema)
    if enum is not None and json.dumps(None) in enum:
        nullable = True
        enum = enum - {json.dumps(None)}
    result.pop("const", None)
    result.pop("enum", None)
    if enum is not None:
        result["enum"] = enum
    for exclusive, inclusive in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        # OpenAPI 3.0 spells an exclusive bound as `minimum: 0, exclusiveMinimum: true`; 3.1 as `exclusiveMinimum: 0`.
        if isinstance(result.get(exclusive), bool) and result.pop(exclusive) and inclusive in result:
            result[exclusive] = result.pop(inclusive)
    result.pop("type", None)
    if types is not None:
        result["type"] = types  # null is added at the end, after allOf members have narrowed the types
    for member in schema.get("allOf") or ():
        result = _merge(result, _normalise(member))
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if not isinstance(branches, list):
            continue
        kept = [branch for branch in branches if _declared_types(branch) != frozenset({"null"})]
        if len(kept) < len(branches):
            nullable = True
        if len(kept) == 1:
            result = _merge(result, _normalise(kept[0]))
        elif kept:
            result["anyOf"] = kept
    if "type" not in result:
        if "properties" in result:
            result["type"] = frozenset({"object"})
        elif "items" in result:
            result["type"] = frozenset({"array"})
    if nullable and "type" in result:
        result["type"] = result["type"] | {"null"}
    return _Normalised(result)


def _declared_types(schema: Any) -> frozenset[str] | None:
    if not isinstance(schema, Mapping):
        return None
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(str(t) for t in declared)
    return None


def _enum(schema: Mapping[str, Any]) -> frozenset[str] | None:
    if "const" in schema:
        return frozenset({json.dumps(schema["const"], sort_keys=True)})
    values = schema.get("enum")
    if not isinstance(values, list):
        return None
    # JSON texts: enum members may be any JSON value, and sets need hashable members.
    return frozenset(json.dumps(value, sort_keys=True) for value in values)


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if key not in merged:
            merged[key] = value
        elif key == "properties":
            properties = dict(merged[key])
            for name, schema in value.items():
                properties[name] = (
                    _merge(_normalise(properties[name]), _normalise(schema)) if name in properties else schema
                )
            merged[key] = properties
        elif key == "required":
            merged[key] = list(dict.fromkeys([*merged[key], *value]))
        elif key in ("type", "enum"):  # both sets: allOf allows only what every member allows
            merged[key] = merged[key] & value
        elif key == DEVIATION_KEY and isinstance(value, Mapping):
            merged[key] = {**value, **merged[key]}
    return merged


# --- collecting --------------------------------------------------------------------------------------------


@dataclass
class _Collector:
    operation: str
    found: list[Difference] = field(default_factory=list)
    # (location, kind) → reason, for each annotation met where both sides were compared.
    annotations: dict[tuple[str, str], str] = field(default_factory=dict)
    used: set[tuple[str, str]] = field(default_factory=set)

    def visit(self, node: Mapping[str, Any], location: str) -> None:
        deviations = node.get(DEVIATION_KEY)
        if isinstance(deviations, Mapping):
            for kind, reason in deviations.items():
                self.annotations.setdefault((location, str(kind)), " ".join(str(reason).split()))

    def add(
        self,
        kind: str,
        severity: Severity,
        location: str,
        detail: str,
        node: Mapping[str, Any] | None = None,
        *,
        node_location: str | None = None,
    ) -> None:
        """Record a difference found at `location`; `node` (at `node_location`) may excuse it."""
        reason = None
        deviations = node.get(DEVIATION_KEY) if node is not None else None
        # An annotation excuses what would break; a compatible difference needs no excuse.
        if severity == "breaking" and isinstance(deviations, Mapping) and kind in deviations:
            reason = " ".join(str(deviations[kind]).split())
            self.used.add((node_location or location, kind))
            severity = "extension"
        self.found.append(Difference(kind, severity, self.operation, location, detail, reason))

    def finish(self) -> list[Difference]:
        for (location, kind), reason in self.annotations.items():
            if (location, kind) not in self.used:
                detail = f"{DEVIATION_KEY} excuses `{kind}` here, but no such breaking difference is left: {reason}"
                self.found.append(Difference("deviation-unused", "extension", self.operation, location, detail))
        return self.found


# --- rendering and the command line ------------------------------------------------------------------------


def render_text(
    differences: Sequence[Difference],
    *,
    upstream: str = "upstream",
    operations: Sequence[str] = (),
    verbose: bool = False,
) -> str:
    """Human-readable report.

    Breaking differences and deliberate ones (annotated in our contract) are listed; the other extensions
    are counted by kind, and listed too when `verbose`. A difference that several operations or response
    statuses share is printed once, followed by where it occurs.
    """
    breaking = [d for d in differences if d.severity == "breaking"]
    deliberate = [d for d in differences if d.severity == "extension" and d.deviation]
    other = [d for d in differences if d.severity == "extension" and not d.deviation]
    compared = f"{len(operations)} operations" if operations else "operations"
    lines = [
        f"Contract drift against {upstream}",
        f"Compared {compared}: {len(breaking)} breaking, {len(deliberate) + len(other)} extensions "
        f"({len(deliberate)} deliberate).",
        "",
    ]
    lines += _section(f"Breaking differences ({len(breaking)})", breaking, len(operations))
    lines += _section(f"Deliberate differences, from {DEVIATION_KEY} ({len(deliberate)})", deliberate, len(operations))
    if verbose:
        lines += _section(f"Other extensions ({len(other)})", other, len(operations))
    else:
        lines.append(f"Other extensions ({len(other)})" + (", by kind (--verbose lists each):" if other else ": none"))
        counts: dict[str, int] = {}
        for difference in other:
            counts[difference.kind] = counts.get(difference.kind, 0) + 1
        lines += [f"  {kind:<32}{count:>6}" for kind, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines).rstrip() + "\n"


def _section(title: str, differences: Sequence[Difference], total_operations: int) -> list[str]:
    if not differences:
        return [f"{title}: none", ""]
    lines = [f"{title}:"]
    for (kind, location, detail, deviation), operations in _grouped(differences).items():
        lines.append(f"  [{kind}] {location}: {detail}")
        if deviation:
            lines.append(f"      why: {deviation}")
        everywhere = total_operations > 1 and len(operations) == total_operations
        lines.append("      in: " + ("every operation compared" if everywhere else ", ".join(operations)))
    lines.append("")
    return lines


_STATUS_LOCATION = re.compile(r"response (\w+)(.*)")


def _grouped(differences: Sequence[Difference]) -> dict[tuple[str, str, str, str | None], list[str]]:
    """Identical differences under one key: statuses merged within an operation, then operations merged."""
    statuses: dict[tuple[str, str, str, str, str | None], list[str]] = {}
    for d in differences:
        match = _STATUS_LOCATION.fullmatch(d.location)
        status, tail = (match.group(1), match.group(2)) if match else ("", d.location)
        statuses.setdefault((d.operation, d.kind, tail, d.detail, d.deviation), []).append(status)
    grouped: dict[tuple[str, str, str, str | None], list[str]] = {}
    for (operation, kind, tail, detail, deviation), codes in statuses.items():
        location = f"response {'|'.join(codes)}{tail}" if any(codes) else tail
        grouped.setdefault((kind, location, detail, deviation), []).append(operation)
    return grouped


def render_json(
    differences: Sequence[Difference], *, upstream: str = "upstream", operations: Sequence[str] = ()
) -> str:
    """Machine-readable report: counts and both groups of differences as lists of objects."""
    breaking = [d.to_dict() for d in differences if d.severity == "breaking"]
    extensions = [d.to_dict() for d in differences if d.severity == "extension"]
    report = {
        "upstream": upstream,
        "operations": list(operations),
        "summary": {"breaking": len(breaking), "extensions": len(extensions)},
        "breaking": breaking,
        "extensions": extensions,
    }
    return json.dumps(report, indent=2) + "\n"


def load_document(source: str) -> dict[str, Any]:
    """Read an OpenAPI document (JSON or YAML) from a file path or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        import httpx  # only the URL case needs it

        try:
            response = httpx.get(source, follow_redirects=True, timeout=30.0)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise ValueError(f"cannot fetch {source}: {exc}") from exc
        text = response.text
    else:
        text = Path(source).read_text(encoding="utf-8")
    document = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    if not isinstance(document, dict):
        raise ValueError(f"{source} is not an OpenAPI document (no top-level mapping)")
    return document


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codat-mock contract drift",
        description="Compare the emulator's contract with a Codat-published OpenAPI document. "
        "Exit status: 0 no breaking difference, 1 breaking differences, 2 usage or input error.",
    )
    parser.add_argument(
        "--upstream", required=True, metavar="PATH_OR_URL", help="Codat's OpenAPI document (JSON or YAML)"
    )
    parser.add_argument(
        "--operations",
        action="append",
        metavar="OP[,OP...]",
        help="operationIds to compare (comma-separated, repeatable); default: every operation of our contract",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    parser.add_argument("--contract", metavar="PATH", help="compare this document instead of the packaged contract")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every extension, not only their counts")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """`codat-mock contract drift`: print the report; 1 if anything is breaking, 2 on bad usage or input."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2): an exit status, not an exception, for callers
        return exc.code if isinstance(exc.code, int) else 2
    operations = None
    if args.operations:
        operations = [op.strip() for chunk in args.operations for op in chunk.split(",") if op.strip()]
    try:
        ours = load_document(args.contract) if args.contract else load_contract()
        upstream = load_document(args.upstream)
        differences = diff_documents(ours, upstream, operations)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        sys.stderr.write(f"codat-mock contract drift: {exc}\n")
        return 2
    compared = operations if operations is not None else [op_id for op_id, _, _, _ in iter_operations(ours)]
    if args.format == "json":
        sys.stdout.write(render_json(differences, upstream=args.upstream, operations=compared))
    else:
        sys.stdout.write(render_text(differences, upstream=args.upstream, operations=compared, verbose=args.verbose))
    return 1 if any(d.severity == "breaking" for d in differences) else 0

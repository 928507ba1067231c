"""Schema comparison: types, formats, enums, bounds, keywords, object properties and additional properties."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from .differences import Collector, Direction, Relation, Severity, severity_for
from .normalise import normalise

# Called by the keyword comparisons with (kind, relation, what differs).
_Report = Callable[[str, Relation, str], None]

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
# Counting keywords whose absence means 0, so `minItems: 0` is no constraint at all.
_ZERO_DEFAULT = frozenset({"minLength", "minItems", "minProperties"})
_NARROWER_FORMATS = {("int32", "int64"), ("int32", "integer"), ("int64", "integer"), ("float", "double")}

_EXPLAIN: Mapping[Relation, str] = {
    "narrower": "ours is stricter",
    "wider": "ours is looser",
    "different": "incompatible",
}


def compare_schema(mine: Any, other: Any, direction: Direction, location: str, out: Collector) -> None:
    """Report into `out` every way schema `mine` differs from `other` at `location`, recursing into members."""
    a, b = normalise(mine), normalise(other)
    out.visit(a, location)

    def report(kind: str, relation: Relation, what: str) -> None:
        out.add(kind, severity_for(direction, relation), location, f"{what} ({_EXPLAIN[relation]})", a)

    _compare_types(a, b, report)
    _compare_format(a.get("format"), b.get("format"), report)
    _compare_enums(a, b, report)
    _compare_bounds(a, b, report)
    _compare_keywords(a, b, direction, report)
    if "object" in _types(a, "object") or "object" in _types(b, "object"):
        _compare_objects(a, b, direction, location, out, report)
    if "items" in a or "items" in b:
        compare_schema(a.get("items", {}), b.get("items", {}), direction, f"{location}[]", out)
    if "propertyNames" in a or "propertyNames" in b:
        names = f"{location}{{names}}"
        compare_schema(a.get("propertyNames", {}), b.get("propertyNames", {}), direction, names, out)
    mine_any, other_any = a.get("anyOf"), b.get("anyOf")
    if isinstance(mine_any, list) and isinstance(other_any, list) and len(mine_any) == len(other_any):
        for index, (x, y) in enumerate(zip(mine_any, other_any, strict=True)):
            compare_schema(x, y, direction, f"{location}|{index}", out)
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
    out: Collector,
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
            compare_schema(mine_props[name], other_props[name], direction, where, out)
    mine_required, other_required = set(a.get("required") or ()), set(b.get("required") or ())
    for name in sorted(mine_required ^ other_required):
        ours_only = name in mine_required
        what = f"`{name}` required in {'ours' if ours_only else 'upstream'} only"
        report("required-changed", "narrower" if ours_only else "wider", what)
    _compare_additional(
        a.get("additionalProperties", True), b.get("additionalProperties", True), direction, location, out, report
    )


def _compare_additional(
    mine: Any, other: Any, direction: Direction, location: str, out: Collector, report: _Report
) -> None:
    def kind(value: Any) -> str:
        if value is True or value == {}:
            return "open"
        return "closed" if value is False else "schema"

    mine_kind, other_kind = kind(mine), kind(other)
    if mine_kind == other_kind == "schema":
        compare_schema(mine, other, direction, f"{location}{{*}}", out)
        return
    if mine_kind == other_kind:
        return
    order = {"closed": 0, "schema": 1, "open": 2}
    relation: Relation = "narrower" if order[mine_kind] < order[other_kind] else "wider"
    report("additional-properties-changed", relation, f"undeclared properties: ours {mine_kind}, upstream {other_kind}")

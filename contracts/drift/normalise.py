"""Schemas in one canonical form, so that the comparisons see past `allOf`, `anyOf` and the spellings of null."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .differences import DEVIATION_KEY

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


class Normalised(dict[str, Any]):
    """A schema already in canonical form; normalising it again returns it unchanged."""


def normalise(schema: Any) -> Normalised:
    """One canonical form for the comparisons in `schemas`.

    `allOf` members are merged into one schema (properties and required united, types intersected);
    an `anyOf`/`oneOf` branch of type null becomes nullability, and a single remaining branch is merged in;
    `type` becomes a frozenset with "null" when nullable (both 3.0 and 3.1 spellings); `enum`/`const`
    become a frozenset of JSON texts without null. A schema without `type` that declares `properties`
    is read as an object, and one with `items` as an array, as their authors mean them.
    """
    if isinstance(schema, Normalised):
        return schema
    if not isinstance(schema, Mapping):
        return Normalised()
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
        result = _merge(result, normalise(member))
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if not isinstance(branches, list):
            continue
        kept = [branch for branch in branches if _declared_types(branch) != frozenset({"null"})]
        if len(kept) < len(branches):
            nullable = True
        if len(kept) == 1:
            result = _merge(result, normalise(kept[0]))
        elif kept:
            result["anyOf"] = kept
    if "type" not in result:
        if "properties" in result:
            result["type"] = frozenset({"object"})
        elif "items" in result:
            result["type"] = frozenset({"array"})
    if nullable and "type" in result:
        result["type"] = result["type"] | {"null"}
    return Normalised(result)


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
                    _merge(normalise(properties[name]), normalise(schema)) if name in properties else schema
                )
            merged[key] = properties
        elif key == "required":
            merged[key] = list(dict.fromkeys([*merged[key], *value]))
        elif key in ("type", "enum"):  # both sets: allOf allows only what every member allows
            merged[key] = merged[key] & value
        elif key == DEVIATION_KEY and isinstance(value, Mapping):
            merged[key] = {**value, **merged[key]}
    return merged

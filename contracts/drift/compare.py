"""Operation-level comparison: method and path, security, parameters, request bodies and responses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..spec import iter_operations, resolve_refs
from .differences import Collector, Difference, Direction, Relation, Severity, UnknownOperationError, severity_for
from .schemas import compare_schema


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
        out = Collector(op_id)
        _compare_operation(our_ops.get(op_id), their_ops.get(op_id), out)
        differences.extend(out.finish())
    return differences


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


def _compare_operation(ours: _Operation | None, theirs: _Operation | None, out: Collector) -> None:
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


def _compare_parameters(ours: _Operation, theirs: _Operation, out: Collector) -> None:
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
        compare_schema(mine.get("schema") or {}, other.get("schema") or {}, "request", location, out)


def _compare_required(
    kind: str, mine: Mapping[str, Any], other: Mapping[str, Any], location: str, out: Collector
) -> None:
    """A parameter or request body required on one side only: ours requiring it narrows what we accept."""
    mine_required, other_required = bool(mine.get("required")), bool(other.get("required"))
    if mine_required != other_required:
        relation: Relation = "narrower" if mine_required else "wider"
        detail = f"required in {'ours' if mine_required else 'upstream'} only"
        out.add(kind, severity_for("request", relation), location, detail, mine)


def _compare_request_body(mine: Any, other: Any, out: Collector) -> None:
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


def _compare_responses(mine: Mapping[str, Any], other: Mapping[str, Any], out: Collector) -> None:
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
    out: Collector,
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
            compare_schema(mine_schema, other_schema, direction, where, out)

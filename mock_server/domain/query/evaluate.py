"""Compile a parsed query against a target into one fast predicate.

Property names are resolved (case-insensitively) and values parsed once, here; evaluation is then only
closure calls. Collections (``dataConnections.status``) follow Codat's documented reading:

- ``coll.field != v`` holds when **no** item has ``v`` (so a record without items satisfies every ``!=``);
- every other operator holds when **any** item matches.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import QueryError
from .decoding import decode_query_value
from .limits import check_length
from .nodes import And, Condition, Expr, Op
from .parser import parse_query
from .schema import Predicate, QueryTarget, lookup
from .values import field_predicate


def compile_query(raw: str | None, target: QueryTarget) -> Predicate:
    """The predicate selected by a ``query`` parameter; ``None`` or blank text selects every record.

    The text is decoded once more if it is still percent-encoded (see ``decode_query_value``), then
    length-checked, parsed and resolved against ``target``. Raises ``QueryError`` (and nothing else) for any
    text that is too long, malformed, or names a property ``target`` does not have.
    """
    if raw is None:
        return _everything
    text = decode_query_value(raw)
    check_length(text, "query")
    if not text.strip():
        return _everything
    return compile_expr(parse_query(text), target)


def compile_expr(expr: Expr, target: QueryTarget, *, parameter: str = "query") -> Predicate:
    """Resolve ``expr`` against ``target`` and combine its conditions into one predicate."""
    if isinstance(expr, Condition):
        return _condition(target, expr.path, expr.op, expr.value, parameter)
    parts = [compile_expr(item, target, parameter=parameter) for item in expr.items]
    return all_of(parts) if isinstance(expr, And) else any_of(parts)


def all_of(parts: Sequence[Predicate]) -> Predicate:
    """True when every predicate is (short-circuiting, left to right)."""
    if len(parts) == 2:  # by far the commonest shape; skip the loop
        first, second = parts
        return lambda record: first(record) and second(record)
    frozen = tuple(parts)
    return lambda record: all(part(record) for part in frozen)


def any_of(parts: Sequence[Predicate]) -> Predicate:
    """True when some predicate is (short-circuiting, left to right)."""
    if len(parts) == 2:
        first, second = parts
        return lambda record: first(record) or second(record)
    frozen = tuple(parts)
    return lambda record: any(part(record) for part in frozen)


def _condition(target: QueryTarget, path: tuple[str, ...], op: Op, value: str, parameter: str) -> Predicate:
    name, rest = path[0], path[1:]
    field = lookup(target.fields, name)
    if field is not None:
        if rest:  # "name.foo": a scalar has no properties
            raise QueryError.unresolved(".".join(path), target.name, parameter=parameter)
        return field_predicate(field, op, value, parameter=parameter)
    collection = lookup(target.collections, name)
    if collection is None or not rest:  # unknown, or "dataConnections=x" with no item property
        raise QueryError.unresolved(name, target.name, parameter=parameter)
    get_items = collection.get
    if op is Op.NE:
        # "none of the items equals v", not "some item differs from v"
        has_value = _condition(collection.target, rest, Op.EQ, value, parameter)
        return lambda record: not any(map(has_value, get_items(record)))
    matches = _condition(collection.target, rest, op, value, parameter)
    return lambda record: any(map(matches, get_items(record)))


def _everything(record: object) -> bool:
    return True

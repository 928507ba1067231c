"""The query language of Codat's list endpoints: ``query``, ``tags`` and ``orderBy``.

    compile_query("dataConnections.status=Linked && created>=2024-01-01", COMPANY)  -> predicate
    compile_tags_filter("region=uk && team~finance")                                  -> predicate on tags
    compile_order_by("-created", COMPANY)                                             -> OrderBy | None

Text goes lexer → parser (AST: ``Condition``/``And``/``Or``) → compiled predicate; all name resolution and
value parsing happen at compile time. Every failure is a ``QueryError``. The language itself is described
in docs/query-language.md.
"""

from __future__ import annotations

from .decoding import decode_query_value
from .evaluate import compile_query
from .limits import MAX_NESTING, MAX_QUERY_LENGTH
from .nodes import And, Condition, Expr, Op, Or, format_query
from .ordering import OrderBy, compile_order_by
from .parser import parse_query, parse_tags_filter
from .schema import FieldType, Predicate, QueryCollection, QueryField, QueryTarget
from .tags import TagsPredicate, compile_tags_filter

__all__ = [
    "MAX_NESTING",
    "MAX_QUERY_LENGTH",
    "And",
    "Condition",
    "Expr",
    "FieldType",
    "Op",
    "Or",
    "OrderBy",
    "Predicate",
    "QueryCollection",
    "QueryField",
    "QueryTarget",
    "TagsPredicate",
    "compile_order_by",
    "compile_query",
    "compile_tags_filter",
    "decode_query_value",
    "format_query",
    "parse_query",
    "parse_tags_filter",
]

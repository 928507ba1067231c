"""The ``tags`` filter of list-companies: the query grammar over a company's tag map.

``region = uk && team ~ finance``: the left side is a tag key (case-sensitive, as keys are stored), the
right side is compared case-insensitively with that tag's value. Only ``=``, ``!=`` and ``~`` exist here.
A company without the tag fails ``=`` and ``~`` and passes ``!=``, the same null rule as ``query``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..errors import QueryError
from .decoding import decode_query_value
from .evaluate import all_of, any_of
from .limits import check_length
from .nodes import And, Condition, Expr, Op
from .parser import parse_tags_filter
from .values import text_predicate

TagsPredicate = Callable[[Mapping[str, str]], bool]

_TAG_OPS = frozenset({Op.EQ, Op.NE, Op.CONTAINS})


def compile_tags_filter(raw: str | None) -> TagsPredicate:
    """The predicate over a tag map selected by a ``tags`` parameter; ``None`` or blank selects everything.

    Decoding and the 2048-character limit are as for ``query``; every error names the ``tags`` parameter.
    """
    if raw is None:
        return _everything
    text = decode_query_value(raw)
    check_length(text, "tags")
    if not text.strip():
        return _everything
    return _compile(parse_tags_filter(text))


def _compile(expr: Expr) -> TagsPredicate:
    if isinstance(expr, Condition):
        if expr.op not in _TAG_OPS:
            raise QueryError(parameter="tags")
        key = expr.path[0]
        return text_predicate(lambda tags: tags.get(key), expr.op, expr.value)
    parts = [_compile(item) for item in expr.items]
    return all_of(parts) if isinstance(expr, And) else any_of(parts)


def _everything(tags: Mapping[str, str]) -> bool:
    return True

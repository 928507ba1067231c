"""The query AST, and its canonical text form.

A parsed query is a tree of ``Condition`` leaves under ``And``/``Or`` nodes. Braces leave no node of their
own: ``{a=1}`` parses to the same ``Condition`` as ``a=1``, and ``format_query`` writes braces back exactly
where the tree needs them, so ``parse_query(format_query(e)) == e`` for every valid tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

# A value runs until one of these (or the end of the text), so it can never contain one.
VALUE_TERMINATOR = re.compile(r"&&|\|\||\}")


class Op(StrEnum):
    """A comparison operator; the value is its text in the query language."""

    EQ = "="
    NE = "!="
    CONTAINS = "~"
    GT = ">"
    LT = "<"
    GE = ">="
    LE = "<="


@dataclass(frozen=True, slots=True)
class Condition:
    """``path op value``: e.g. ``Condition(("dataConnections", "status"), Op.EQ, "Linked")``.

    ``path`` holds the property names as the caller wrote them (a tag key is a one-element path).
    ``value`` is the raw text, trimmed, non-empty, and free of ``&&``, ``||`` and ``}``; it is only given a
    type when the query is compiled against a target.
    """

    path: tuple[str, ...]
    op: Op
    value: str

    def __post_init__(self) -> None:
        # Guarding the invariant here is what makes format_query an exact inverse of parse_query.
        if not self.path or not all(self.path):
            raise ValueError("a condition needs a non-empty path")
        if not self.value or self.value != self.value.strip() or VALUE_TERMINATOR.search(self.value):
            raise ValueError(f"a condition value must be trimmed, non-empty and free of &&, || and }}: {self.value!r}")


@dataclass(frozen=True, slots=True)
class And:
    """All of ``items`` (at least two)."""

    items: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if len(self.items) < 2:
            raise ValueError("And needs at least two items")


@dataclass(frozen=True, slots=True)
class Or:
    """Any of ``items`` (at least two)."""

    items: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if len(self.items) < 2:
            raise ValueError("Or needs at least two items")


Expr: TypeAlias = Condition | And | Or


def format_query(expr: Expr) -> str:
    """The canonical text of ``expr``: ``path op value`` with single spaces, braces only where needed.

    Spaces around the operator matter: without them ``Condition(("a",), Op.GT, "=1")`` would print as
    ``a>=1``, which reads back as ``>=``.
    """
    if isinstance(expr, Condition):
        return f"{'.'.join(expr.path)} {expr.op.value} {expr.value}"
    if isinstance(expr, And):
        # && binds tighter than ||, so an Or under an And needs braces; a nested And needs them to stay nested.
        return " && ".join(_braced(item) if isinstance(item, (And, Or)) else format_query(item) for item in expr.items)
    return " || ".join(_braced(item) if isinstance(item, Or) else format_query(item) for item in expr.items)


def _braced(expr: Expr) -> str:
    return "{" + format_query(expr) + "}"

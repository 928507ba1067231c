"""Recursive-descent parser: query text → AST.

    query := or
    or    := and ("||" and)*
    and   := unary ("&&" unary)*
    unary := "{" or "}" | cond
    cond  := path op value

Parsing is purely syntactic; whether the properties exist and the values fit their types is checked when
the AST is compiled against a target (``compile_query``).
"""

from __future__ import annotations

from ..errors import QueryError
from .lexer import Token, TokenKind, tokenize
from .limits import MAX_NESTING
from .nodes import And, Condition, Expr, Op, Or


def parse_query(raw: str) -> Expr:
    """Parse the text of a ``query`` parameter (already decoded) into its AST.

    Raises the malformed ``QueryError`` for anything that is not a complete query, including blank text.
    No length limit is applied here; ``compile_query`` applies it.
    """
    return _Parser(raw, tag_keys=False, parameter="query").parse()


def parse_tags_filter(raw: str) -> Expr:
    """Parse the text of a ``tags`` parameter: the same grammar, with tag keys in place of property paths.

    Each ``Condition.path`` is the one-element tuple ``(key,)``. Errors name the ``tags`` parameter.
    """
    return _Parser(raw, tag_keys=True, parameter="tags").parse()


class _Parser:
    def __init__(self, text: str, *, tag_keys: bool, parameter: str) -> None:
        self._parameter = parameter
        self._tag_keys = tag_keys
        self._tokens = tokenize(text, tag_keys=tag_keys, parameter=parameter)
        self._pos = 0
        self._depth = 0

    def parse(self) -> Expr:
        expr = self._or()
        self._expect(TokenKind.END)
        return expr

    def _or(self) -> Expr:
        items = [self._and()]
        while self._accept(TokenKind.OR):
            items.append(self._and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def _and(self) -> Expr:
        items = [self._unary()]
        while self._accept(TokenKind.AND):
            items.append(self._unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def _unary(self) -> Expr:
        if self._accept(TokenKind.LBRACE):
            self._depth += 1
            if self._depth > MAX_NESTING:
                raise self._malformed()
            expr = self._or()
            self._expect(TokenKind.RBRACE)
            self._depth -= 1
            return expr
        path = self._expect(TokenKind.PATH).text
        op = Op(self._expect(TokenKind.OP).text)
        value = self._expect(TokenKind.VALUE).text
        # A tag key may contain dots; only property paths are dotted.
        return Condition((path,) if self._tag_keys else tuple(path.split(".")), op, value)

    def _accept(self, kind: TokenKind) -> bool:
        if self._tokens[self._pos].kind is kind:
            self._pos += 1
            return True
        return False

    def _expect(self, kind: TokenKind) -> Token:
        token = self._tokens[self._pos]
        if token.kind is not kind:
            raise self._malformed()
        self._pos += 1
        return token

    def _malformed(self) -> QueryError:
        return QueryError(parameter=self._parameter)

"""Tokenizer for the query language.

The language has no quoting, so a value is "everything up to the next ``&&``, ``||``, ``}`` or the end".
That makes the lexer slightly context-sensitive: the token after an operator is always a VALUE, scanned
with that rule, whatever characters it holds (``name = a=b {c`` has the value ``a=b {c``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, auto

from ..errors import QueryError
from .nodes import VALUE_TERMINATOR


class TokenKind(Enum):
    LBRACE = auto()
    RBRACE = auto()
    AND = auto()
    OR = auto()
    PATH = auto()  # a dotted property path, or a tag key in the tags filter
    OP = auto()
    VALUE = auto()
    END = auto()


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str = ""


_WHITESPACE = re.compile(r"\s*")
# Longest operators first, so ">=" is not read as ">" followed by a value starting with "=".
_OPERATOR = re.compile(r"!=|>=|<=|=|~|>|<")
_PROPERTY_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# Codat allows nearly anything in a tag key; we only exclude what the syntax itself needs.
_TAG_KEY = re.compile(r"[^\s=!~<>&|{}]+")
_PUNCTUATION = {"&&": TokenKind.AND, "||": TokenKind.OR, "{": TokenKind.LBRACE, "}": TokenKind.RBRACE}


def tokenize(text: str, *, tag_keys: bool, parameter: str) -> list[Token]:
    """Split ``text`` into tokens, ending with END; raise the malformed QueryError on a stray character.

    With ``tag_keys`` the left side of a condition is a tag key rather than a property path.
    """
    path_pattern = _TAG_KEY if tag_keys else _PROPERTY_PATH
    tokens: list[Token] = []
    pos, end = 0, len(text)
    while True:
        pos = _skip_whitespace(text, pos)
        if pos >= end:
            tokens.append(Token(TokenKind.END))
            return tokens
        if tokens and tokens[-1].kind is TokenKind.OP:
            stop = VALUE_TERMINATOR.search(text, pos)
            value_end = stop.start() if stop else end
            value = text[pos:value_end].rstrip()
            if not value:  # "name= && …" or "name=}"
                raise QueryError(parameter=parameter)
            tokens.append(Token(TokenKind.VALUE, value))
            pos = value_end
            continue
        token = _punctuation_at(text, pos)
        if token is None:
            matched = _OPERATOR.match(text, pos)
            kind = TokenKind.OP
            if matched is None:
                matched = path_pattern.match(text, pos)
                kind = TokenKind.PATH
            if matched is None:
                raise QueryError(parameter=parameter)
            token = Token(kind, matched.group())
        tokens.append(token)
        pos += len(token.text)


def _skip_whitespace(text: str, pos: int) -> int:
    matched = _WHITESPACE.match(text, pos)
    return matched.end() if matched else pos


def _punctuation_at(text: str, pos: int) -> Token | None:
    for symbol, kind in _PUNCTUATION.items():
        if text.startswith(symbol, pos):
            return Token(kind, symbol)
    return None

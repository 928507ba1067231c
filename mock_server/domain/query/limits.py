"""Size limits of the query language and the errors they raise."""

from __future__ import annotations

from ..errors import QueryError

MAX_QUERY_LENGTH = 2048
"""Codat: "The total length of your query should be under 2048 characters". 2048 or more is refused."""

MAX_NESTING = 32
"""Deepest brace nesting accepted. Codat states no limit; ours keeps the recursive parser and the compiled
predicate far from Python's recursion limit, which a 2047-character run of ``{`` would otherwise reach."""

TOO_LONG = f"Error parsing query - Query must be shorter than {MAX_QUERY_LENGTH} characters."


def check_length(text: str, parameter: str) -> None:
    """Raise the length QueryError when ``text`` (already decoded) is too long."""
    if len(text) >= MAX_QUERY_LENGTH:
        raise QueryError(TOO_LONG, parameter=parameter)

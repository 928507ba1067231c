"""The second percent-decoding that Codat's own examples rely on.

The HTTP layer decodes every query-string parameter once. Some of Codat's documented examples are encoded
twice (``query=id%253D…``), so after that first decode they still read ``id%3D…``. Codat appears to
accept them; so do we.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

# Escapes of the characters the query syntax is made of: = ! ~ > < & | { } and space, in either case.
_SYNTAX_ESCAPE = re.compile(r"%(?:3[DdEeCc]|2[016]|7[EeCcBbDd])")


def decode_query_value(text: str) -> str:
    """Percent-decode ``text`` once more if it still holds an escaped syntax character, else return it as is.

    Only syntax escapes trigger the decode, so a value that merely contains ``%`` (``name=100%``) or an
    escape of some other character (``name=a%2Fb``) is left alone.
    """
    if _SYNTAX_ESCAPE.search(text) is None:
        return text
    # unquote never raises: invalid escapes stay as they are, invalid UTF-8 becomes U+FFFD.
    return unquote(text)

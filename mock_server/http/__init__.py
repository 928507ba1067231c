"""The thin Starlette adapter over the domain: parse the request, call the store, render the result.

The application itself is assembled in `mock_server.app`, above this package, the Link pages and the control
plane. `from mock_server.http import create_app` keeps working for code written before that move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> object:
    # Resolved on first use: importing `mock_server.app` here at import time would be circular, since the
    # app is built from this package's modules.
    if name == "create_app":
        from ..app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

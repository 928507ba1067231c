"""The thin Starlette adapter over the domain: parse the request, call the store, render the result.

The application itself is assembled in `mock_server.app` (`create_app`), above this package, the Link pages and
the control plane; this package knows neither of the other two.
"""

from __future__ import annotations
